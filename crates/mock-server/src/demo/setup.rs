//! The demo stores' messaging setup: WhatsApp and SMS templates in every lifecycle status
//! (M2, M5, A7) and quick replies with named variables and a link (M6).

use clienteling_domain::api::Store;
use clienteling_domain::template::{Field, QuickReply, Template, TemplatePurpose, TemplateStatus};
use clienteling_domain::Channel;

const GREETING_FIELDS: [Field; 3] = [
    Field::FirstName,
    Field::AssociateFirstName,
    Field::StoreName,
];

/// The short code of a demo store in ids, e.g. "nyc".
fn code(store: &Store) -> &str {
    store.id.as_str().trim_start_matches("store-")
}

/// What a template is: its channel, purpose and lifecycle status.
type Kind = (Channel, TemplatePurpose, TemplateStatus);

fn template(
    store: &Store,
    slug: &str,
    name: &str,
    (channel, purpose, status): Kind,
    body: &str,
    fields: &[Field],
) -> Template {
    Template {
        id: format!("tpl-{}-{slug}", code(store)),
        name: name.into(),
        channel,
        purpose,
        language: "en".into(),
        body: body.into(),
        variable_fields: fields.to_vec(),
        status,
    }
}

/// A store's templates: on WhatsApp (where the store has it) an opt-in request, a
/// reconnect and a product share ready to send, a seasonal sale approved but not mapped
/// and a rejected one; on SMS a reconnect and an appointment reminder.
pub fn templates(store: &Store) -> Vec<Template> {
    use TemplatePurpose as P;
    use TemplateStatus as S;
    let mut list = Vec::new();
    if store.channels.contains(&Channel::Whatsapp) {
        let wa = Channel::Whatsapp;
        list.extend([
            template(store, "wa-opt-in", "Opt-in request", (wa, P::OptIn, S::Mapped), "Hi {{1}}, this is {{2}} from {{3}}. Would you like to hear from us here about new arrivals, appointments and your orders? Reply YES to opt in or STOP to opt out.", &GREETING_FIELDS),
            template(store, "wa-reconnect", "Reconnect", (wa, P::Reconnect, S::Mapped), "Hi {{1}}, it's {{2}} at {{3}}. I have an update for you since your last visit. Reply here and we can pick up where we left off.", &GREETING_FIELDS),
            template(store, "wa-product-share", "Product share", (wa, P::ProductShare, S::Mapped), "Hi {{1}}, {{2}} from {{3}} here. A piece I think you will love just arrived. Reply and I will send you photos and sizes.", &GREETING_FIELDS),
            template(store, "wa-seasonal-sale", "Seasonal sale", (wa, P::Other, S::Approved), "Hi {{1}}, the seasonal sale at {{2}} starts on Friday with up to 30% off selected ready-to-wear. Reply to book a private appointment.", &[]),
            template(store, "wa-flash-offer", "Flash offer", (wa, P::Other, S::Rejected), "{{1}}, LAST CHANCE!!! Everything must go at {{2}}, click now", &[]),
        ]);
    }
    if store.channels.contains(&Channel::Sms) {
        let sms = Channel::Sms;
        list.extend([
            template(store, "sms-reconnect", "Reconnect", (sms, P::Reconnect, S::Mapped), "Hi {{1}}, it's {{2}} at {{3}}. I have an update for you since your last visit; reply to continue.", &GREETING_FIELDS),
            template(store, "sms-appointment", "Appointment reminder", (sms, P::Other, S::Mapped), "Hi {{1}}, this is {{2}} from {{3}}: a reminder of your appointment with us tomorrow. Reply to confirm or reschedule.", &GREETING_FIELDS),
        ]);
    }
    list
}

/// A store's quick replies: greetings, holds, hours, a link to new arrivals, thanks and
/// alterations.
pub fn quick_replies(store: &Store) -> Vec<QuickReply> {
    let reply = |slug: &str, title: &str, body: &str| QuickReply {
        id: format!("qr-{}-{slug}", code(store)),
        title: title.into(),
        body: body.into(),
        language: "en".into(),
    };
    vec![
        reply("greeting", "Greeting",
            "Hi {{first_name}}, it's {{associate_first_name}} from {{store_name}}. How can I help today?"),
        reply("on-hold", "Item on hold",
            "Hi {{first_name}}, I have put the piece on hold for you until closing tomorrow. Just ask for {{associate_first_name}} when you come in."),
        reply("hours", "Opening hours",
            "{{store_name}} is open Monday to Saturday 10am to 8pm and Sunday 11am to 6pm."),
        reply("new-arrivals", "New arrivals",
            "Here is our latest collection, {{first_name}}: https://shop.clienteling.demo/new-arrivals"),
        reply("thanks", "Thank you",
            "Thank you for visiting {{store_name}} today, {{first_name}}. It was a pleasure helping you. {{associate_first_name}}"),
        reply("alterations", "Alterations ready",
            "Good news {{first_name}}: your alterations are ready for pick-up at {{store_name}}."),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use clienteling_domain::picker::{quick_reply_choices, template_choices};
    use clienteling_domain::template::FillContext;

    fn context() -> FillContext {
        FillContext {
            first_name: "Grace".into(),
            last_name: "Hopper".into(),
            associate_name: "Ava Johnson".into(),
            store_name: "Fifth Avenue".into(),
        }
    }

    #[test]
    fn m2_m5_m6_demo_setup_fills_for_every_customer_and_shows_every_status() {
        let nyc = &super::super::stores()[0];
        let whatsapp = template_choices(&templates(nyc), Channel::Whatsapp, &context());
        let sendable = whatsapp.iter().filter(|c| c.preview.is_some()).count();
        assert_eq!(
            sendable, 3,
            "opt-in, reconnect and product share can be sent"
        );
        assert_eq!(
            whatsapp.len() - sendable,
            2,
            "the approved sale and the rejected offer are shown with a problem"
        );
        let quick = quick_reply_choices(&quick_replies(nyc), &context());
        assert_eq!(quick.len(), 6, "every quick reply fills");
        assert!(
            quick.iter().any(|c| c.text.contains("https://")),
            "one quick reply carries a link"
        );
        let london = &super::super::stores()[1];
        assert!(
            templates(london).iter().all(|t| t.channel == Channel::Sms),
            "London has no WhatsApp, so no WhatsApp templates"
        );
    }
}
