//! A refused token never deletes unsent work (B1): the session ends with its queue kept,
//! the same staff member's next sign-in sends it, anyone else's never does, and only an
//! explicit, confirmed sign-out discards it.

use clienteling_domain::api::Conversation;
use clienteling_domain::view::AppEvent;
use clienteling_domain::{ApiError, Channel, ErrorCode, MessageStatus};

use crate::harness::{
    eventually, open_core, signed_in, wait_for_event, Api, Signed, AVA, OLIVIA, PASSWORD,
};

/// The backend forgets every session, as when tokens expire or are revoked.
async fn revoke_all_tokens(s: &Signed) {
    sqlx::query("DELETE FROM sessions")
        .execute(s.server.state().pool())
        .await
        .expect("the backend's sessions are deleted");
}

/// Signs Ava in, revokes the token and writes one message, which meets the refusal.
async fn ended_with_one_unsent() -> (Signed, Conversation, clienteling_domain::api::Message) {
    let mut s = signed_in(AVA).await;
    let snapshot = s.api.snapshot().await;
    let conversation = snapshot.writable(Channel::Sms, |phone| !phone.ends_with("0000"));
    revoke_all_tokens(&s).await;
    let message = s
        .core
        .send_message(&conversation.id, "Written as the token was refused")
        .await
        .expect("the message is queued");
    let ended = wait_for_event(&mut s.events, "the session ends", |e| {
        matches!(e, AppEvent::SessionEnded { .. })
    })
    .await;
    assert_eq!(
        ended,
        AppEvent::SessionEnded { unsent_messages: 1 },
        "the UI hears that the session ended and that one message waits"
    );
    (s, conversation, message)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b1_a_refused_token_keeps_unsent_work_and_the_same_staff_member_sends_it_after_signing_in_again(
) {
    let (s, conversation, message) = ended_with_one_unsent().await;
    let session = s
        .core
        .session()
        .await
        .expect("readable")
        .expect("the session is kept, not deleted");
    assert!(session.ended, "the session is marked ended");
    assert_eq!(
        s.core.count_unsent_messages().await.expect("counted"),
        1,
        "the message still waits"
    );
    let chat = s
        .core
        .open_conversation(&conversation.id)
        .await
        .expect("the local copy is still there");
    assert!(
        chat.messages
            .iter()
            .any(|m| m.id == message.id && m.status == MessageStatus::Queued),
        "the unsent message is still shown as queued"
    );

    s.core.shutdown().await;
    let core = open_core(s.data_dir.path(), &s.server.url(), &s.clock).await;
    assert!(
        core.session()
            .await
            .expect("readable")
            .is_some_and(|session| session.ended),
        "a restart keeps the session ended, without sending under the refused token"
    );
    let resumed = core
        .sign_in(AVA, PASSWORD)
        .await
        .expect("Ava signs in again");
    assert!(!resumed.ended, "the new session is live");
    let api = Api::sign_in(&s.server.url(), AVA).await;
    eventually("the kept message is delivered once (B1)", || async {
        let copies: Vec<_> = api
            .messages(&conversation.id)
            .await
            .into_iter()
            .filter(|m| m.id == message.id)
            .collect();
        (copies.len() == 1 && copies[0].status == MessageStatus::Delivered).then_some(())
    })
    .await;
    // The backend may deliver before this device has stored the answer to its send.
    eventually("nothing waits any more", || async {
        (core.count_unsent_messages().await.expect("counted") == 0).then_some(())
    })
    .await;
    core.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b1_signing_in_as_someone_else_never_sends_the_previous_queue() {
    let (s, conversation, message) = ended_with_one_unsent().await;
    let olivia = s
        .core
        .sign_in(OLIVIA, PASSWORD)
        .await
        .expect("Olivia signs in on the same device");
    assert_eq!(olivia.staff.login, OLIVIA, "Olivia's session starts");
    assert_eq!(
        s.core.count_unsent_messages().await.expect("counted"),
        0,
        "Ava's queue is gone, not handed to Olivia"
    );
    let api = Api::sign_in(&s.server.url(), OLIVIA).await;
    // Olivia's own message to the same customer goes out after anything still queued.
    let own = s
        .core
        .send_message(&conversation.id, "Olivia writes")
        .await
        .expect("queued");
    eventually("Olivia's message is delivered", || async {
        api.messages(&conversation.id)
            .await
            .into_iter()
            .any(|m| m.id == own.id && m.status == MessageStatus::Delivered)
            .then_some(())
    })
    .await;
    assert!(
        !api.messages(&conversation.id)
            .await
            .iter()
            .any(|m| m.id == message.id),
        "Ava's message never reached the backend under Olivia's token"
    );
    s.core.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b1_sign_out_is_refused_while_messages_wait_unless_told_to_discard_them() {
    let (s, _conversation, _message) = ended_with_one_unsent().await;
    let refusal = ApiError::from(
        s.core
            .sign_out(false)
            .await
            .expect_err("signing out would lose a message"),
    );
    assert_eq!(
        refusal,
        ApiError::new(
            ErrorCode::UnsentMessages,
            "1 message has not been sent yet; signing out deletes it"
        ),
        "the refusal says how many messages would be lost"
    );
    assert!(
        s.core.session().await.expect("readable").is_some(),
        "nothing was deleted by the refused sign-out"
    );
    let mut events = s.core.subscribe();
    s.core
        .sign_out(true)
        .await
        .expect("a confirmed sign-out discards them");
    wait_for_event(&mut events, "the UI hears of the sign-out", |e| {
        matches!(e, AppEvent::SignedOut)
    })
    .await;
    assert!(
        s.core.session().await.expect("readable").is_none(),
        "nobody is signed in"
    );
    assert_eq!(
        s.core.count_unsent_messages().await.expect("counted"),
        0,
        "the discarded message is gone"
    );
    s.core.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b1_a_command_whose_token_is_refused_ends_the_session_too() {
    let mut s = signed_in(AVA).await;
    let snapshot = s.api.snapshot().await;
    let conversation = snapshot.writable(Channel::Sms, |phone| !phone.ends_with("0000"));
    revoke_all_tokens(&s).await;
    let refusal = ApiError::from(
        s.core
            .list_consent_events(&conversation.id)
            .await
            .expect_err("the backend refuses the token"),
    );
    assert_eq!(
        refusal.code,
        ErrorCode::Unauthorized,
        "the command says the session is no longer valid"
    );
    wait_for_event(&mut s.events, "the session ends", |e| {
        matches!(e, AppEvent::SessionEnded { .. })
    })
    .await;
    assert!(
        s.core
            .session()
            .await
            .expect("readable")
            .is_some_and(|session| session.ended),
        "the session is kept, marked ended"
    );
    s.core.shutdown().await;
}
