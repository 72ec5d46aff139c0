//! The outbox never drops or stalls work (B1, M10): order is kept per conversation, a
//! conversation whose sends keep failing holds back no other and fails after a bounded
//! number of attempts, and a row that cannot be read back fails at once. Failures are
//! forced at exact requests by a proxy in front of the real backend.

use std::sync::Arc;
use std::time::Duration;

use axum::http::Method;
use clienteling_core::{Core, ManualClock, RetryPolicy};
use clienteling_domain::api::{Conversation, Message};
use clienteling_domain::view::{AppEvent, Connection};
use clienteling_domain::{Channel, ConversationId, MessageId, MessageStatus};
use clienteling_mock_server::RunningServer;

use crate::harness::{
    eventually, open_core_with, spawn_server, wait_for_event, Api, AVA, PASSWORD,
};
use crate::proxy::{FaultAnswer, FaultyProxy};

/// Retries within milliseconds, three attempts in all.
const QUICK: RetryPolicy = RetryPolicy {
    first_delay: Duration::from_millis(2),
    max_delay: Duration::from_millis(8),
    max_attempts: 3,
};

/// A real backend behind a fault-injecting proxy, and a core signed in as Ava through it,
/// retrying by [`QUICK`].
struct Proxied {
    server: RunningServer,
    proxy: FaultyProxy,
    dir: tempfile::TempDir,
    clock: Arc<ManualClock>,
    core: Core,
    api: Api,
}

async fn proxied() -> Proxied {
    let server = spawn_server(0, None).await;
    let proxy = FaultyProxy::start(&server.url()).await;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let clock = Arc::new(ManualClock::starting_now());
    let core = open_core_with(dir.path(), &proxy.url(), &clock, QUICK).await;
    core.sign_in(AVA, PASSWORD).await.expect("signs in");
    let api = Api::sign_in(&server.url(), AVA).await;
    Proxied {
        server,
        proxy,
        dir,
        clock,
        core,
        api,
    }
}

/// Two SMS conversations Ava may write to whose numbers the provider reaches.
async fn two_conversations(api: &Api) -> (Conversation, Conversation) {
    let snapshot = api.snapshot().await;
    let mut writable: Vec<&Conversation> = snapshot
        .conversations
        .values()
        .filter(|c| c.channel == Channel::Sms && c.consent.allows_sending())
        .filter(|c| {
            snapshot
                .customers
                .get(&c.customer_id)
                .and_then(|customer| customer.phone.as_deref())
                .is_some_and(|phone| !phone.ends_with("0000"))
        })
        .collect();
    writable.sort_by_key(|c| c.id.as_str().to_owned());
    assert!(
        writable.len() >= 2,
        "the demo data has two such conversations"
    );
    (writable[0].clone(), writable[1].clone())
}

/// The backend's copy of message `id` once it is delivered.
async fn delivered(api: &Api, conversation: &ConversationId, id: &MessageId) -> Message {
    eventually("the backend delivers the message", || async {
        api.messages(conversation)
            .await
            .into_iter()
            .find(|m| &m.id == id && m.status == MessageStatus::Delivered)
    })
    .await
}

/// The message as the core's local copy holds it.
async fn local(core: &Core, conversation: &ConversationId, id: &MessageId) -> Message {
    core.open_conversation(conversation)
        .await
        .expect("the chat opens")
        .messages
        .into_iter()
        .find(|m| &m.id == id)
        .expect("the message is in the local copy")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b1_a_conversation_whose_sends_keep_failing_holds_back_no_other_and_fails_after_bounded_attempts(
) {
    let Proxied {
        server,
        proxy,
        core,
        api,
        ..
    } = proxied().await;
    let mut events = core.subscribe();
    let (broken, healthy) = two_conversations(&api).await;
    let broken_path = format!("/conversations/{}/messages", broken.id);
    proxy.fail(Method::POST, &broken_path, 0, FaultAnswer::Status(500));

    let stuck = core
        .send_message(&broken.id, "This one meets a broken backend")
        .await
        .expect("queued");
    let behind = core
        .send_message(&broken.id, "This one waits behind it")
        .await
        .expect("queued");
    let other = core
        .send_message(&healthy.id, "This one goes to another customer")
        .await
        .expect("queued");

    delivered(&api, &healthy.id, &other.id).await;
    let failed = wait_for_event(&mut events, "the stuck message fails", |e| {
        matches!(e, AppEvent::MessageChanged { message } if message.id == stuck.id && message.status == MessageStatus::Failed)
    })
    .await;
    let AppEvent::MessageChanged { message: failed } = failed else {
        unreachable!("matched above")
    };
    assert!(
        failed
            .failure_reason
            .as_deref()
            .is_some_and(|reason| reason.contains("3 attempts")),
        "the reason says the app gave up after its attempts: {:?}",
        failed.failure_reason
    );
    // The row behind the failed one is next in its conversation; it meets the same fault.
    eventually("the message behind fails too", || async {
        (local(&core, &broken.id, &behind.id).await.status == MessageStatus::Failed).then_some(())
    })
    .await;
    assert_eq!(
        proxy.count(&Method::POST, &broken_path),
        6,
        "three attempts each for the two messages, then no more"
    );
    assert_eq!(
        core.connection(),
        Connection::Online,
        "server errors are not mistaken for being offline"
    );

    proxy.heal();
    let retried = core
        .retry_message(&stuck.id)
        .await
        .expect("Retry is offered");
    assert_eq!(
        retried.status,
        MessageStatus::Queued,
        "Retry queues it again"
    );
    delivered(&api, &broken.id, &stuck.id).await;
    core.shutdown().await;
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b1_an_answer_the_app_cannot_read_is_retried_and_the_message_is_delivered_once() {
    let Proxied {
        server,
        proxy,
        core,
        api,
        ..
    } = proxied().await;
    let (conversation, _) = two_conversations(&api).await;
    let path = format!("/conversations/{}/messages", conversation.id);
    // The backend accepts the first attempt, but its answer is mangled twice.
    proxy.fail_first(Method::POST, &path, 2, FaultAnswer::GarbledAnswer);
    let message = core
        .send_message(&conversation.id, "Answered with garbage first")
        .await
        .expect("queued");
    // The backend stored the first attempt, so it may deliver before the app resent it:
    // wait for the outbox to empty, not for the delivery.
    eventually("the resend gets an answer the app can read", || async {
        (core.count_unsent_messages().await.expect("counted") == 0).then_some(())
    })
    .await;
    assert_eq!(
        proxy.count(&Method::POST, &path),
        3,
        "two mangled answers, then the resend the backend answered with its stored copy"
    );
    delivered(&api, &conversation.id, &message.id).await;
    let copies = api
        .messages(&conversation.id)
        .await
        .into_iter()
        .filter(|m| m.body == "Answered with garbage first")
        .count();
    assert_eq!(
        copies, 1,
        "one message at the backend, however many attempts"
    );
    eventually("the local copy shows it delivered", || async {
        (local(&core, &conversation.id, &message.id).await.status == MessageStatus::Delivered)
            .then_some(())
    })
    .await;
    core.shutdown().await;
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b1_an_outbox_row_that_cannot_be_read_back_fails_at_once_and_the_rest_goes_out() {
    let Proxied {
        server,
        proxy,
        dir,
        clock,
        core,
        api,
    } = proxied().await;
    let (conversation, _) = two_conversations(&api).await;
    let path = format!("/conversations/{}/messages", conversation.id);
    // Hold every send as unreachable while the row is damaged on disk.
    proxy.fail(Method::POST, &path, 0, FaultAnswer::CutConnection);
    let damaged = core
        .send_message(&conversation.id, "Its outbox row gets damaged")
        .await
        .expect("queued");
    let next = core
        .send_message(&conversation.id, "Written after the damaged one")
        .await
        .expect("queued");
    core.shutdown().await;
    let db = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}",
        dir.path().join("clienteling.db").display()
    ))
    .await
    .expect("the app's database opens");
    sqlx::query("UPDATE outbox SET payload = '{\"id\": 7' WHERE message_id = ?")
        .bind(damaged.id.as_str())
        .execute(&db)
        .await
        .expect("the row is damaged");
    db.close().await;

    proxy.heal();
    let core = open_core_with(dir.path(), &proxy.url(), &clock, QUICK).await;
    delivered(&api, &conversation.id, &next.id).await;
    let failed = eventually("the damaged message fails", || async {
        let message = local(&core, &conversation.id, &damaged.id).await;
        (message.status == MessageStatus::Failed).then_some(message)
    })
    .await;
    assert!(
        failed
            .failure_reason
            .as_deref()
            .is_some_and(|reason| reason.contains("could not be read back")),
        "the reason says the stored message could not be read: {:?}",
        failed.failure_reason
    );
    core.retry_message(&damaged.id)
        .await
        .expect("Retry rebuilds the request from the message itself");
    delivered(&api, &conversation.id, &damaged.id).await;
    core.shutdown().await;
    server.shutdown().await;
}
