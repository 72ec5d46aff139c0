//! Last contact (B7): another associate's send arrives through the feed and the profile
//! and the chat say who contacted the customer and when, warning of a contact today, the
//! open chat reading it again when announced; this device's own send counts at once,
//! before the backend has answered.

use clienteling_domain::api::{Message, SendMessageRequest, Session};
use clienteling_domain::contact::notice;
use clienteling_domain::view::AppEvent;
use clienteling_domain::{Channel, MessageId, MessageKind};

use crate::harness::{signed_in, wait_for_event, Api};

/// New York associate, Ava's colleague.
const LIAM: &str = "liam.chen@clienteling.demo";

#[tokio::test]
async fn b7_another_associates_send_arrives_through_the_feed_and_the_profile_says_by_whom() {
    let mut signed = signed_in(crate::harness::AVA).await;
    let ava = signed
        .core
        .session()
        .await
        .expect("the session reads")
        .expect("a session")
        .staff;
    let liam = Api::sign_in(&signed.server.url(), LIAM).await;
    let liam_staff: Session = liam.get_json("/me").await;
    let conversation = liam
        .snapshot()
        .await
        .writable(Channel::Sms, |phone| !phone.ends_with("0000"));
    let customer_id = conversation.customer_id.clone();

    let sent: Message = liam
        .post_json(
            &format!("/conversations/{}/messages", conversation.id),
            &SendMessageRequest {
                id: MessageId(uuid::Uuid::new_v4().to_string()),
                body: "The blazer came in, shall I hold it?".into(),
                kind: MessageKind::Text,
                created_at: None,
                template_id: None,
            },
        )
        .await;
    wait_for_event(
        &mut signed.events,
        "the customer's change arrives through the feed",
        |event| matches!(event, AppEvent::CustomersChanged { customer_ids } if customer_ids.contains(&customer_id)),
    )
    .await;

    let profile = signed
        .core
        .show_customer(&customer_id)
        .await
        .expect("the profile shows");
    let contact = profile
        .last_contact
        .clone()
        .expect("the profile knows the last contact");
    assert_eq!(
        contact.staff_id, liam_staff.staff.id,
        "Liam made the last contact"
    );
    assert_eq!(
        contact.staff_name, liam_staff.staff.name,
        "the contact names him"
    );
    assert_eq!(
        contact.at, sent.created_at,
        "the contact is when the backend accepted his message"
    );
    let said = notice(
        Some(&contact),
        &ava.id,
        &profile.customer.first_name,
        sent.created_at,
        0,
    );
    assert!(
        said.line
            .ends_with(&format!("by {}", liam_staff.staff.name)),
        "the profile says by whom: {}",
        said.line
    );
    assert!(
        said.warning.is_some(),
        "a colleague's contact today warns Ava"
    );
    let chat = signed
        .core
        .open_conversation(&conversation.id)
        .await
        .expect("the chat opens");
    assert_eq!(
        chat.last_contact,
        Some(contact),
        "the chat knows the same last contact, for its composer's warning"
    );
}

#[tokio::test]
async fn b7_this_devices_own_send_is_the_last_contact_by_me_at_once() {
    let signed = signed_in(crate::harness::AVA).await;
    let ava = signed
        .core
        .session()
        .await
        .expect("the session reads")
        .expect("a session")
        .staff;
    let conversation = signed
        .api
        .snapshot()
        .await
        .writable(Channel::Sms, |phone| !phone.ends_with("0000"));

    let sent = signed
        .core
        .send_message(&conversation.id, "Your alterations are ready.")
        .await
        .expect("the message is queued");

    let profile = signed
        .core
        .show_customer(&conversation.customer_id)
        .await
        .expect("the profile shows");
    let contact = profile.last_contact.expect("my send is a contact");
    assert_eq!(contact.staff_id, ava.id, "I made the last contact");
    assert!(
        contact.at >= sent.created_at,
        "the contact is my message's (or the backend's later time for it)"
    );
    let said = notice(
        Some(&contact),
        &ava.id,
        &profile.customer.first_name,
        contact.at,
        0,
    );
    assert!(
        said.line.ends_with("by you"),
        "my own contact says by you: {}",
        said.line
    );
    assert_eq!(said.warning, None, "my own contact does not warn me");
}

#[tokio::test]
async fn b7_a_colleagues_send_to_the_open_chats_customer_is_announced_and_read_without_reopening_the_chat(
) {
    let mut signed = signed_in(crate::harness::AVA).await;
    let liam = Api::sign_in(&signed.server.url(), LIAM).await;
    let liam_staff: Session = liam.get_json("/me").await;
    let conversation = liam
        .snapshot()
        .await
        .writable(Channel::Sms, |phone| !phone.ends_with("0000"));
    let customer_id = conversation.customer_id.clone();
    let opened = signed
        .core
        .open_conversation(&conversation.id)
        .await
        .expect("Ava opens the chat");
    assert_ne!(
        opened.last_contact.as_ref().map(|c| &c.staff_id),
        Some(&liam_staff.staff.id),
        "Liam has not written yet"
    );

    let sent: Message = liam
        .post_json(
            &format!("/conversations/{}/messages", conversation.id),
            &SendMessageRequest {
                id: MessageId(uuid::Uuid::new_v4().to_string()),
                body: "Your order is ready for pick-up.".into(),
                kind: MessageKind::Text,
                created_at: None,
                template_id: None,
            },
        )
        .await;
    // The message and its last-contact marker may reach the device in two chunks of the
    // live feed, each announcing the customer: the chat reads its customer at every
    // announcement, as the UI does, until the marker has arrived.
    let read = loop {
        wait_for_event(
            &mut signed.events,
            "the open chat's customer is announced as changed",
            |event| matches!(event, AppEvent::CustomersChanged { customer_ids } if customer_ids.contains(&customer_id)),
        )
        .await;
        let read = signed
            .core
            .show_chat_customer(&conversation.id)
            .await
            .expect("the open chat reads its customer again");
        if read.last_contact.as_ref().map(|c| &c.staff_id) == Some(&liam_staff.staff.id) {
            break read;
        }
    };
    assert_eq!(read.customer.id, customer_id, "the chat's customer");
    let contact = read.last_contact.expect("a last contact");
    assert_eq!(
        (contact.staff_id, contact.at),
        (liam_staff.staff.id, sent.created_at),
        "the chat's warning now reads Liam's message, without reopening the chat"
    );
}
