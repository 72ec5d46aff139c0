//! Asking a customer to opt in (M2): the introduction an SMS request starts with, and the
//! template a WhatsApp request sends.

use clienteling_domain::template::{Field, FillContext, TemplatePurpose};

use clienteling_domain::picker::TemplateChoice;

/// The prefilled introduction of an SMS opt-in request: "Hi <first>, it's <me> from
/// <store>." — the core appends the START/STOP instructions.
pub fn default_intro(context: &FillContext) -> String {
    let first = context.value(Field::FirstName).trim();
    let me = context.value(Field::AssociateFirstName).trim();
    let store = context.value(Field::StoreName).trim();
    let greeting = if first.is_empty() {
        "Hi".to_owned()
    } else {
        format!("Hi {first}")
    };
    match (me.is_empty(), store.is_empty()) {
        (false, false) => format!("{greeting}, it's {me} from {store}."),
        (false, true) => format!("{greeting}, it's {me}."),
        (true, false) => format!("{greeting}, this is {store}."),
        (true, true) => format!("{greeting}!"),
    }
}

/// The template a WhatsApp opt-in request sends, as the core picks it: the first sendable
/// opt-in template; failing that the first opt-in template, to show why it cannot go out.
pub fn opt_in_template(choices: &[TemplateChoice]) -> Option<&TemplateChoice> {
    let mut opt_ins = choices
        .iter()
        .filter(|choice| choice.template.purpose == TemplatePurpose::OptIn);
    let first = opt_ins.clone().next();
    opt_ins
        .find(|choice| choice.template.is_sendable())
        .or(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::templates::tests::choice;
    use clienteling_domain::template::TemplateStatus;

    fn context() -> FillContext {
        FillContext {
            first_name: "Olivia".into(),
            last_name: "Martin".into(),
            associate_name: "Ava Johnson".into(),
            store_name: "Fifth Avenue".into(),
        }
    }

    #[test]
    fn the_sms_opt_in_intro_names_the_customer_me_and_the_store_m2() {
        assert_eq!(
            default_intro(&context()),
            "Hi Olivia, it's Ava from Fifth Avenue.",
            "customer's first name, associate's first name, store"
        );
    }

    #[test]
    fn the_sms_opt_in_intro_reads_well_with_missing_names_m2() {
        let nameless = FillContext {
            first_name: " ".into(),
            ..context()
        };
        assert_eq!(
            default_intro(&nameless),
            "Hi, it's Ava from Fifth Avenue.",
            "no 'Hi ,' when the first name is unknown"
        );
        assert_eq!(
            default_intro(&FillContext::default()),
            "Hi!",
            "nothing known still reads as a greeting"
        );
    }

    #[test]
    fn whatsapp_opt_in_uses_the_opt_in_template_m2() {
        let choices = vec![
            choice(
                "t-reconnect",
                TemplatePurpose::Reconnect,
                TemplateStatus::Mapped,
            ),
            choice("t-optin", TemplatePurpose::OptIn, TemplateStatus::Mapped),
        ];
        assert_eq!(
            opt_in_template(&choices).map(|c| c.template.id.as_str()),
            Some("t-optin"),
            "the opt-in template, not the first one listed"
        );
        assert_eq!(
            opt_in_template(&choices[..1]),
            None,
            "no opt-in template means none is offered"
        );
        let pending_first = vec![
            choice("t-draft", TemplatePurpose::OptIn, TemplateStatus::Received),
            choice("t-optin", TemplatePurpose::OptIn, TemplateStatus::Mapped),
        ];
        assert_eq!(
            opt_in_template(&pending_first).map(|c| c.template.id.as_str()),
            Some("t-optin"),
            "a sendable opt-in template wins over one awaiting approval, as in the core"
        );
        assert_eq!(
            opt_in_template(&pending_first[..1]).map(|c| c.template.id.as_str()),
            Some("t-draft"),
            "with none sendable, the unsendable one is shown with its status"
        );
    }
}
