//! What the template and quick-reply pickers offer in a conversation (M2, M5, M6): the
//! templates of its channel with their filled preview or the reason they cannot be sent,
//! and the quick replies filled for its customer.

use serde::{Deserialize, Serialize};

use crate::template::{FillContext, FillError, QuickReply, Template, TemplateStatus};
use crate::Channel;

/// A template offered in a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateChoice {
    /// The template.
    pub template: Template,
    /// The body as it would be sent, when it can be sent.
    pub preview: Option<String>,
    /// Why it cannot be sent, when it cannot.
    pub problem: Option<String>,
}

/// A quick reply offered in a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuickReplyChoice {
    /// The quick reply.
    pub quick_reply: QuickReply,
    /// Its text filled for this conversation, ready to edit in the composer.
    pub text: String,
}

/// Why a template cannot be sent into a conversation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateRefusal {
    /// Not (yet) approved and mapped (A7).
    #[error("“{name}” cannot be sent: it is {}", status_words(*.status))]
    NotSendable {
        /// The template's name.
        name: String,
        /// Its status.
        status: TemplateStatus,
    },
    /// Approved for another channel.
    #[error("“{name}” is a {template} template; this conversation is on {conversation}")]
    WrongChannel {
        /// The template's name.
        name: String,
        /// Its channel.
        template: Channel,
        /// The conversation's channel.
        conversation: Channel,
    },
    /// Its variables cannot be filled for this customer.
    #[error("“{name}” cannot be filled: {error}")]
    Unfillable {
        /// The template's name.
        name: String,
        /// What is missing.
        error: FillError,
    },
}

fn status_words(status: TemplateStatus) -> &'static str {
    match status {
        TemplateStatus::Received => "waiting for approval",
        TemplateStatus::Approved => "approved but its variables are not mapped",
        TemplateStatus::Rejected => "rejected by the provider",
        TemplateStatus::Mapped => "ready",
    }
}

/// The body `template` sends into a conversation on `channel`, filled from `context`.
pub fn prepare(
    template: &Template,
    channel: Channel,
    context: &FillContext,
) -> Result<String, TemplateRefusal> {
    if template.channel != channel {
        return Err(TemplateRefusal::WrongChannel {
            name: template.name.clone(),
            template: template.channel,
            conversation: channel,
        });
    }
    if !template.is_sendable() {
        return Err(TemplateRefusal::NotSendable {
            name: template.name.clone(),
            status: template.status,
        });
    }
    template
        .render(context)
        .map_err(|error| TemplateRefusal::Unfillable {
            name: template.name.clone(),
            error,
        })
}

/// The templates of `channel`, each with its preview or problem; those that can be sent
/// first, otherwise in the given order.
pub fn template_choices(
    templates: &[Template],
    channel: Channel,
    context: &FillContext,
) -> Vec<TemplateChoice> {
    let mut choices: Vec<TemplateChoice> = templates
        .iter()
        .filter(|t| t.channel == channel)
        .map(|template| {
            let (preview, problem) = match prepare(template, channel, context) {
                Ok(body) => (Some(body), None),
                Err(refusal) => (None, Some(refusal.to_string())),
            };
            TemplateChoice {
                template: template.clone(),
                preview,
                problem,
            }
        })
        .collect();
    choices.sort_by_key(|choice| choice.preview.is_none());
    choices
}

/// The quick replies filled from `context`; one whose body names an unknown variable is
/// left out.
pub fn quick_reply_choices(
    quick_replies: &[QuickReply],
    context: &FillContext,
) -> Vec<QuickReplyChoice> {
    quick_replies
        .iter()
        .filter_map(|quick_reply| {
            let text = quick_reply.render(context).ok()?;
            Some(QuickReplyChoice {
                quick_reply: quick_reply.clone(),
                text,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::{Field, TemplatePurpose};

    fn context() -> FillContext {
        FillContext {
            first_name: "Grace".into(),
            last_name: "Hopper".into(),
            associate_name: "Ava Johnson".into(),
            store_name: "Fifth Avenue".into(),
        }
    }

    fn template(id: &str, channel: Channel, status: TemplateStatus) -> Template {
        Template {
            id: id.into(),
            name: id.into(),
            channel,
            purpose: TemplatePurpose::Reconnect,
            language: "en".into(),
            body: "Hi {{1}}, {{2}} here.".into(),
            variable_fields: vec![Field::FirstName, Field::AssociateFirstName],
            status,
        }
    }

    #[test]
    fn m5_picker_lists_the_channels_templates_sendable_first() {
        let templates = vec![
            template("sale", Channel::Whatsapp, TemplateStatus::Approved),
            template("sms", Channel::Sms, TemplateStatus::Mapped),
            template("reconnect", Channel::Whatsapp, TemplateStatus::Mapped),
        ];
        let choices = template_choices(&templates, Channel::Whatsapp, &context());
        let ids: Vec<&str> = choices.iter().map(|c| c.template.id.as_str()).collect();
        assert_eq!(
            ids,
            vec!["reconnect", "sale"],
            "only WhatsApp templates, sendable first"
        );
        assert_eq!(
            choices[0].preview.as_deref(),
            Some("Hi Grace, Ava here."),
            "the preview is filled"
        );
        assert_eq!(
            choices[1].problem.as_deref(),
            Some("“sale” cannot be sent: it is approved but its variables are not mapped"),
            "an unmapped template says why it cannot be sent"
        );
    }

    #[test]
    fn m2_prepare_refuses_another_channels_template_and_missing_values() {
        let reconnect = template("reconnect", Channel::Whatsapp, TemplateStatus::Mapped);
        assert!(
            matches!(
                prepare(&reconnect, Channel::Sms, &context()),
                Err(TemplateRefusal::WrongChannel { .. })
            ),
            "a WhatsApp template does not go by SMS"
        );
        let nameless = FillContext {
            first_name: String::new(),
            ..context()
        };
        assert!(
            matches!(
                prepare(&reconnect, Channel::Whatsapp, &nameless),
                Err(TemplateRefusal::Unfillable { .. })
            ),
            "a customer without a first name cannot get 'Hi ,'"
        );
    }

    #[test]
    fn m6_quick_replies_are_filled_and_broken_ones_left_out() {
        let ok = QuickReply {
            id: "q1".into(),
            title: "Hello".into(),
            body: "Hi {{first_name}}, it's {{associate_first_name}}".into(),
            language: "en".into(),
        };
        let broken = QuickReply {
            id: "q2".into(),
            body: "Hi {{nickname}}".into(),
            ..ok.clone()
        };
        let choices = quick_reply_choices(&[ok, broken], &context());
        assert_eq!(choices.len(), 1, "the broken quick reply is left out");
        assert_eq!(
            choices[0].text, "Hi Grace, it's Ava",
            "filled for the customer"
        );
    }
}
