//! Message templates and quick replies (M2, M5, M6, A7): bodies with `{{…}}` variables —
//! positional (`{{1}}`) in WhatsApp templates, named (`{{first_name}}`) in quick replies —
//! filled from the customer, the associate and the store.

use serde::{Deserialize, Serialize};

use crate::Channel;

/// A data field a variable can be filled from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The customer's first name.
    FirstName,
    /// The customer's last name.
    LastName,
    /// The associate's full name.
    AssociateName,
    /// The associate's first name.
    AssociateFirstName,
    /// The store's name.
    StoreName,
}

impl Field {
    /// Every field.
    pub const ALL: [Field; 5] = [
        Field::FirstName,
        Field::LastName,
        Field::AssociateName,
        Field::AssociateFirstName,
        Field::StoreName,
    ];

    /// The variable name used in quick replies, e.g. `first_name`.
    pub fn key(self) -> &'static str {
        match self {
            Field::FirstName => "first_name",
            Field::LastName => "last_name",
            Field::AssociateName => "associate_name",
            Field::AssociateFirstName => "associate_first_name",
            Field::StoreName => "store_name",
        }
    }

    /// Parses a variable name back.
    pub fn parse(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.key() == key)
    }
}

/// The values variables are filled from.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FillContext {
    /// Customer's first name.
    pub first_name: String,
    /// Customer's last name.
    pub last_name: String,
    /// Associate's full name.
    pub associate_name: String,
    /// Store's name.
    pub store_name: String,
}

impl FillContext {
    /// The value of one field.
    pub fn value(&self, field: Field) -> &str {
        match field {
            Field::FirstName => &self.first_name,
            Field::LastName => &self.last_name,
            Field::AssociateName => &self.associate_name,
            Field::AssociateFirstName => self
                .associate_name
                .split_whitespace()
                .next()
                .unwrap_or_default(),
            Field::StoreName => &self.store_name,
        }
    }
}

/// Why a body could not be filled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FillError {
    /// A `{{` without its `}}`.
    #[error("a variable is not closed with }}}}")]
    Unclosed,
    /// A variable that names no known field or mapping.
    #[error("unknown variable {{{{{0}}}}}")]
    Unknown(String),
    /// The field it maps to has no value for this customer.
    #[error("no value for {{{{{0}}}}}")]
    Missing(String),
}

/// Replaces every `{{key}}` in `body` with `lookup(key)`.
pub fn fill(
    body: &str,
    lookup: impl Fn(&str) -> Result<String, FillError>,
) -> Result<String, FillError> {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or(FillError::Unclosed)?;
        out.push_str(&lookup(after[..end].trim())?);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The variable keys of a body, in order of first appearance.
pub fn variables(body: &str) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let key = after[..end].trim().to_owned();
        if !keys.contains(&key) {
            keys.push(key);
        }
        rest = &after[end + 2..];
    }
    keys
}

/// Where a template is in its approval lifecycle (A7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TemplateStatus {
    /// Submitted, waiting for the provider.
    Received,
    /// Approved by the provider, variables not yet mapped.
    Approved,
    /// Refused by the provider.
    Rejected,
    /// Approved and every variable mapped to a field: can be sent.
    Mapped,
}

/// What a template is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TemplatePurpose {
    /// Asks the customer to opt in (M2).
    OptIn,
    /// Re-opens contact outside the service window (M5).
    Reconnect,
    /// Shares a product.
    ProductShare,
    /// Shares a cart.
    CartShare,
    /// Anything else.
    Other,
}

/// A message template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Template {
    /// Identifier.
    pub id: String,
    /// Name shown in the picker.
    pub name: String,
    /// Channel it is approved for.
    pub channel: Channel,
    /// What it is for.
    pub purpose: TemplatePurpose,
    /// Language (BCP 47), e.g. "en".
    pub language: String,
    /// Body with positional `{{1}}` variables.
    pub body: String,
    /// The field each positional variable maps to: `variable_fields[0]` fills `{{1}}`.
    pub variable_fields: Vec<Field>,
    /// Lifecycle status; only `mapped` templates can be sent.
    pub status: TemplateStatus,
}

impl Template {
    /// Whether it may be sent (only mapped templates can, A7).
    pub fn is_sendable(&self) -> bool {
        self.status == TemplateStatus::Mapped
    }

    /// The body with its variables filled from `context`.
    pub fn render(&self, context: &FillContext) -> Result<String, FillError> {
        fill(&self.body, |key| {
            let field = key
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| self.variable_fields.get(i))
                .ok_or_else(|| FillError::Unknown(key.to_owned()))?;
            let value = context.value(*field);
            if value.is_empty() {
                Err(FillError::Missing(key.to_owned()))
            } else {
                Ok(value.to_owned())
            }
        })
    }
}

/// A store's quick reply (M6): a snippet with named variables, text and links only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuickReply {
    /// Identifier.
    pub id: String,
    /// Short title shown in the picker.
    pub title: String,
    /// Body with named variables, e.g. "Hi {{first_name}}, it's {{associate_first_name}}".
    pub body: String,
    /// Language (BCP 47).
    pub language: String,
}

impl QuickReply {
    /// The body with its variables filled; unknown variables are an error, and a known
    /// variable without a value is left for the associate to fill in.
    pub fn render(&self, context: &FillContext) -> Result<String, FillError> {
        fill(&self.body, |key| {
            let field = Field::parse(key).ok_or_else(|| FillError::Unknown(key.to_owned()))?;
            let value = context.value(field);
            Ok(if value.is_empty() {
                format!("[{key}]")
            } else {
                value.to_owned()
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> FillContext {
        FillContext {
            first_name: "Grace".into(),
            last_name: "Hopper".into(),
            associate_name: "Ava Johnson".into(),
            store_name: "Fifth Avenue".into(),
        }
    }

    fn reconnect() -> Template {
        Template {
            id: "t1".into(),
            name: "Reconnect".into(),
            channel: Channel::Whatsapp,
            purpose: TemplatePurpose::Reconnect,
            language: "en".into(),
            body: "Hi {{1}}, this is {{2}} from {{3}}. Reply to continue our chat.".into(),
            variable_fields: vec![
                Field::FirstName,
                Field::AssociateFirstName,
                Field::StoreName,
            ],
            status: TemplateStatus::Mapped,
        }
    }

    #[test]
    fn m5_template_variables_are_filled_from_the_customer_associate_and_store() {
        assert_eq!(
            reconnect().render(&context()),
            Ok("Hi Grace, this is Ava from Fifth Avenue. Reply to continue our chat.".into()),
            "positional variables map to fields in order"
        );
    }

    #[test]
    fn m2_template_with_a_missing_value_is_refused() {
        let ctx = FillContext {
            first_name: String::new(),
            ..context()
        };
        assert_eq!(
            reconnect().render(&ctx),
            Err(FillError::Missing("1".into())),
            "an empty name must not go out as 'Hi ,'"
        );
    }

    #[test]
    fn a7_only_mapped_templates_are_sendable() {
        let mut t = reconnect();
        assert!(t.is_sendable(), "mapped is sendable");
        t.status = TemplateStatus::Approved;
        assert!(!t.is_sendable(), "approved but unmapped is not");
    }

    #[test]
    fn m6_quick_reply_fills_named_variables() {
        let q = QuickReply {
            id: "q1".into(),
            title: "Greeting".into(),
            body: "Hi {{first_name}}, it's {{ associate_first_name }} at {{store_name}}: https://shop.example/new".into(),
            language: "en".into(),
        };
        assert_eq!(
            q.render(&context()),
            Ok("Hi Grace, it's Ava at Fifth Avenue: https://shop.example/new".into()),
            "named variables, spaces inside braces allowed, links kept"
        );
        let unknown = QuickReply {
            body: "Hi {{nickname}}".into(),
            ..q
        };
        assert_eq!(
            unknown.render(&context()),
            Err(FillError::Unknown("nickname".into())),
            "unknown variables are reported"
        );
    }

    #[test]
    fn fill_reports_an_unclosed_variable_and_lists_variables() {
        assert_eq!(
            fill("Hi {{1", |_| Ok(String::new())),
            Err(FillError::Unclosed),
            "unclosed braces"
        );
        assert_eq!(
            variables("{{1}} and {{2}} and {{1}}"),
            vec!["1".to_owned(), "2".to_owned()],
            "distinct, in order"
        );
    }
}
