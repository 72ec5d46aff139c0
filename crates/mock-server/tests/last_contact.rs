//! Last contact (B7) against a real mock backend on loopback: a staff member's send puts
//! the customer's latest contact per store in every colleague's feed, named and timed, and
//! the snapshot of a fresh sign-in carries it.

mod support;

use clienteling_domain::api::{ChangeData, Snapshot};
use clienteling_domain::contact::CustomerContacts;
use clienteling_domain::Channel;
use support::{Backend, AVA, LIAM};

#[tokio::test]
async fn b7_a_colleagues_send_reaches_the_feed_as_the_customers_last_contact_by_them() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let liam = backend.sign_in(LIAM).await;
    let conversation = backend
        .pick_conversation(&liam.token, Channel::Sms, true)
        .await;
    let (_, cursor) = backend.changes(&ava.token, 0).await;

    let sent = backend
        .send_new(&liam.token, &conversation.id, "The blazer is in, Ava.")
        .await;

    let (changes, _) = backend.changes(&ava.token, cursor).await;
    let contacts: Vec<CustomerContacts> = changes
        .into_iter()
        .filter_map(|change| match change.data {
            ChangeData::LastContact(contacts) => Some(contacts),
            _ => None,
        })
        .collect();
    assert_eq!(
        contacts.len(),
        1,
        "one last-contact entry for the one send: {contacts:?}"
    );
    let entry = &contacts[0];
    assert_eq!(
        entry.customer_id, conversation.customer_id,
        "the entry is the conversation's customer's"
    );
    let contact = entry
        .contacts
        .iter()
        .find(|contact| contact.store_id == conversation.store_id)
        .expect("the conversation's store has contacted the customer");
    assert_eq!(
        contact.staff_id, liam.staff.id,
        "Liam, who sent it, made the contact"
    );
    assert_eq!(contact.staff_name, liam.staff.name, "the contact names him");
    assert_eq!(
        contact.at, sent.created_at,
        "the contact is timed by the backend's clock, as the message"
    );

    let snapshot: Snapshot = backend.get(&ava.token, "/snapshot").await;
    let in_snapshot = snapshot
        .last_contacts
        .iter()
        .find(|entry| entry.customer_id == conversation.customer_id)
        .and_then(|entry| {
            entry
                .contacts
                .iter()
                .find(|contact| contact.store_id == conversation.store_id)
        });
    assert_eq!(
        in_snapshot,
        Some(contact),
        "a fresh sign-in's snapshot carries the same last contact"
    );
}

#[tokio::test]
async fn b7_a_customers_reply_leaves_the_last_contact_as_it_was() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let conversation = backend
        .pick_conversation(&ava.token, Channel::Sms, true)
        .await;
    let (_, cursor) = backend.changes(&ava.token, 0).await;

    backend
        .inject(&conversation.id, "Thanks, see you Saturday")
        .await;

    let (changes, _) = backend.changes(&ava.token, cursor).await;
    assert!(
        !changes
            .iter()
            .any(|change| matches!(change.data, ChangeData::LastContact(_))),
        "an inbound message is no contact by staff: {changes:?}"
    );
}
