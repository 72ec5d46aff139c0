//! End-to-end: the app killed with SIGKILL while a send is in flight, then started again on
//! the same local data (issue "Nothing lost, nothing flooded", B1, M10). The backend's send
//! gate holds the app's request, so the kill lands mid-send by construction: once before
//! the backend has stored anything, once after it stored the message but before the app
//! heard the answer. Either way the restarted app's durable outbox sends the same message
//! id again, and the message is delivered, stored and shown exactly once.

use clienteling_domain::api::Message;
use clienteling_domain::{Direction, MessageStatus};
use clienteling_e2e::{AppUnderTest, TestBackend, AVA, UI_DEADLINE};
use clienteling_mock_server::{HeldSend, SendGate, SendStop, Settled};

/// The outbound messages of `conversation` with `body`, as the backend holds them.
async fn stored(backend: &TestBackend, conversation: &str, body: &str) -> Vec<Message> {
    backend
        .messages(AVA, conversation)
        .await
        .into_iter()
        .filter(|m| m.direction == Direction::Outbound && m.body == body)
        .collect()
}

/// The next send held at `gate`, failing the test if none arrives in time.
async fn next_held(gate: &SendGate, what: &str) -> HeldSend {
    tokio::time::timeout(UI_DEADLINE, gate.next_held())
        .await
        .unwrap_or_else(|_| panic!("{what} reaches the backend within {UI_DEADLINE:?}"))
}

/// How `held` leaves the backend's handler, failing the test if it never does.
async fn settled(held: HeldSend) -> Settled {
    tokio::time::timeout(UI_DEADLINE, held.settled())
        .await
        .expect("the held send leaves the backend's handler")
}

/// Signs in, sends `body` in an SMS conversation with the backend's sends stopped at
/// `stop`, kills the app while the send is held there, lets the backend finish with it,
/// then restarts the app on the same data, sees its outbox send the same id again and
/// checks the message arrives exactly once.
async fn killed_mid_send_then_restarted(stop: SendStop, body: &str) {
    let gate = SendGate::new(stop);
    let backend = TestBackend::start_gated(gate.clone()).await;
    let data = tempfile::tempdir().expect("a data folder");
    let app = AppUnderTest::launch(backend.url(), data.path()).await;
    let conversation = app.open_sms_chat(&backend, AVA).await;

    app.send_text(body).await;
    let mut held = next_held(&gate, "the app's send").await;
    assert_eq!(
        held.conversation_id.as_str(),
        conversation,
        "the held send is the app's message to the open conversation"
    );
    let id = held.message_id.clone();

    match stop {
        SendStop::BeforeStoring => {
            app.wait_for_message(body, "queued on this device", |m| m.status == "queued")
                .await;
            app.kill().await;
            assert_eq!(
                settled(held).await,
                Settled::Dropped,
                "the backend drops a send held before storing once the app is gone"
            );
            assert!(
                stored(&backend, &conversation, body).await.is_empty(),
                "the backend stored nothing of the send the kill cut off"
            );
        }
        SendStop::BeforeAnswering => {
            app.kill().await;
            held.release();
            // Answered to nobody, or dropped with its connection: stored either way.
            settled(held).await;
            let stored = stored(&backend, &conversation, body).await;
            assert_eq!(
                stored.iter().map(|m| &m.id).collect::<Vec<_>>(),
                [&id],
                "the backend stored the message once although the app never heard the answer"
            );
        }
    }

    let app = AppUnderTest::launch(backend.url(), data.path()).await;
    let mut resent = next_held(&gate, "the restarted app's resend").await;
    assert_eq!(
        resent.message_id, id,
        "the restarted app's outbox sends the same message id again"
    );
    gate.open();
    resent.release();
    app.open_conversation(&conversation).await;
    app.wait_for_message(body, "delivered after the restart", |m| {
        m.direction == "outbound" && m.status == "delivered"
    })
    .await;
    let shown = app.messages_with_text(body).await;
    assert_eq!(
        shown.len(),
        1,
        "the restarted app's chat shows the message once: {shown:?}"
    );
    let stored = stored(&backend, &conversation, body).await;
    app.quit().await;
    assert_eq!(
        stored.len(),
        1,
        "the backend holds the message exactly once: {stored:?}"
    );
    assert_eq!(
        stored[0].id, id,
        "the backend's message carries the id the app first sent"
    );
    assert_eq!(
        stored[0].status,
        MessageStatus::Delivered,
        "the backend delivered the message to the customer"
    );
    backend.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_killed_before_the_backend_stored_its_send_delivers_it_once_after_a_restart_b1_m10()
{
    killed_mid_send_then_restarted(SendStop::BeforeStoring, "Killed before storing").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_killed_before_hearing_the_backend_stored_its_send_delivers_it_once_after_a_restart_b1_m10(
) {
    killed_mid_send_then_restarted(SendStop::BeforeAnswering, "Killed before the answer").await;
}
