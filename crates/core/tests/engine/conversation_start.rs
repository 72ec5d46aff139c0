//! Starting a conversation with a customer (C2, "Message" on the profile) against the real
//! backend: a customer just created gets a conversation on a channel of the store, stored
//! at once and opening as a chat whose unknown consent calls for the opt-in request (M2);
//! asking again answers the same conversation; it reaches the store's other staff through
//! the feed; a channel the customer has no contact for is refused before the backend is
//! asked.

use clienteling_domain::customer_details::CustomerDraft;
use clienteling_domain::{Channel, ConsentState, CustomerId, ErrorCode};

use crate::harness::{eventually, open_core, signed_in, AVA, PASSWORD};

/// Another New York associate.
const LIAM: &str = "liam.chen@clienteling.demo";

fn draft(phone: &str, email: &str) -> CustomerDraft {
    CustomerDraft {
        id: CustomerId(uuid::Uuid::new_v4().to_string()),
        first_name: "Grace".into(),
        last_name: "Hughes".into(),
        gender: None,
        phone: phone.into(),
        email: email.into(),
        active: true,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c2_a_new_customer_can_be_messaged_and_the_chat_opens_asking_for_consent() {
    let s = signed_in(AVA).await;
    let grace = s
        .core
        .create_customer(&draft("(212) 555-0100", ""))
        .await
        .expect("created");
    let started = s
        .core
        .start_conversation(&grace.id, Channel::Sms)
        .await
        .expect("the backend starts the conversation");
    assert_eq!(started.customer_id, grace.id, "with the customer");
    assert_eq!(started.channel, Channel::Sms, "on the channel asked for");
    let profile = s.core.show_customer(&grace.id).await.expect("the profile");
    assert_eq!(
        profile
            .conversations
            .iter()
            .map(|c| c.id.clone())
            .collect::<Vec<_>>(),
        vec![started.id.clone()],
        "the local copy holds the new conversation at once"
    );
    let chat = s
        .core
        .open_conversation(&started.id)
        .await
        .expect("the chat opens from the local copy");
    assert!(
        chat.messages.is_empty(),
        "a new conversation has no messages"
    );
    assert_eq!(
        chat.conversation.consent,
        ConsentState::Unknown,
        "a new customer's consent is unknown: the chat offers the opt-in request"
    );
    let again = s
        .core
        .start_conversation(&grace.id, Channel::Sms)
        .await
        .expect("answered again");
    assert_eq!(
        again.id, started.id,
        "Message again opens the same conversation"
    );

    let liam_dir = tempfile::tempdir().expect("a temporary folder");
    let liam = open_core(liam_dir.path(), &s.server.url(), &s.clock).await;
    liam.sign_in(LIAM, PASSWORD).await.expect("Liam signs in");
    eventually(
        "the new conversation reaches another associate of the store",
        || async {
            liam.show_customer(&grace.id)
                .await
                .ok()
                .filter(|profile| profile.conversations.iter().any(|c| c.id == started.id))
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c2_a_channel_the_customer_has_no_contact_for_is_refused_on_the_device() {
    let s = signed_in(AVA).await;
    let by_email = s
        .core
        .create_customer(&draft("", "grace@example.com"))
        .await
        .expect("created");
    let error = s
        .core
        .start_conversation(&by_email.id, Channel::Whatsapp)
        .await
        .expect_err("WhatsApp needs a phone number");
    assert_eq!(
        error.code(),
        ErrorCode::Unprocessable,
        "refused as unprocessable: {error}"
    );
    let email = s
        .core
        .start_conversation(&by_email.id, Channel::Email)
        .await
        .expect("email reaches the address");
    assert_eq!(
        email.channel,
        Channel::Email,
        "the email conversation is started"
    );
}
