//! Working offline and across restarts: the durable outbox (B1), catching up after the
//! live stream breaks (B2), and a token the backend no longer knows (the session ends, the
//! local copy stays).

use std::sync::Arc;

use clienteling_core::{ManualClock, SystemClock};
use clienteling_domain::api::{ChangeData, ChangesPage};
use clienteling_domain::time::HOUR_MS;
use clienteling_domain::view::{AppEvent, Connection};
use clienteling_domain::{Channel, Clock, MessageId, MessageStatus};
use clienteling_mock_server::RunningServer;

use crate::harness::{
    announces, eventually, open_core, spawn_server, spawn_server_with, wait_for_event, Api, AVA,
    DEADLINE, PASSWORD,
};

async fn stop_server(server: RunningServer) {
    tokio::time::timeout(DEADLINE, server.shutdown())
        .await
        .expect("the mock backend shuts down even with a live stream open");
}

/// Every message id in the order the backend first logged it after `after`, read one
/// change at a time so no later change of the same message can hide the first.
async fn message_ids_in_log_order(base: &str, token_holder: &Api, after: i64) -> Vec<MessageId> {
    let mut cursor = after;
    let mut ids: Vec<MessageId> = Vec::new();
    loop {
        let page: ChangesPage = token_holder
            .get_json(&format!("/changes?after={cursor}&limit=1"))
            .await;
        for change in &page.changes {
            if let ChangeData::Message(message) = &change.data {
                if !ids.contains(&message.id) {
                    ids.push(message.id.clone());
                }
            }
        }
        assert!(
            page.next_cursor > cursor || !page.has_more,
            "the feed at {base} moves forward"
        );
        cursor = page.next_cursor;
        if !page.has_more {
            return ids;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b1_messages_written_offline_are_sent_once_in_order_after_a_restart() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let backend_db = dir.path().join("backend.db");
    let app_dir = dir.path().join("app");
    // An hour back, so the seconds added between messages stay in the backend's past.
    let clock = Arc::new(ManualClock::new(SystemClock.now().plus_ms(-HOUR_MS)));

    let server = spawn_server(0, Some(backend_db.clone())).await;
    let first_url = server.url();
    let core = open_core(&app_dir, &first_url, &clock).await;
    core.sign_in(AVA, PASSWORD).await.expect("signs in");
    let api = Api::sign_in(&first_url, AVA).await;
    let conversation = api
        .snapshot()
        .await
        .writable(Channel::Sms, |p| !p.ends_with("0000"));
    let cursor_before = api.cursor().await;
    core.shutdown().await;
    stop_server(server).await;

    let offline = open_core(&app_dir, &first_url, &clock).await;
    let bodies = [
        "First, written offline",
        "Second, written offline",
        "Third, written offline",
    ];
    let mut written = Vec::new();
    for body in bodies {
        clock.advance(1_000);
        let message = offline
            .send_message(&conversation.id, body)
            .await
            .expect("sending works offline (B1)");
        assert_eq!(
            message.status,
            MessageStatus::Queued,
            "an offline message waits in the outbox"
        );
        written.push(message.id);
    }
    assert_eq!(
        offline.connection(),
        Connection::Offline,
        "the core knows it is offline"
    );
    let chat = offline
        .open_conversation(&conversation.id)
        .await
        .expect("the chat opens offline");
    let queued = chat
        .messages
        .iter()
        .filter(|m| written.contains(&m.id) && m.status == MessageStatus::Queued)
        .count();
    assert_eq!(
        queued, 3,
        "the three messages show as queued in the local copy"
    );
    offline.shutdown().await;

    let server = spawn_server(0, Some(backend_db)).await;
    let core = open_core(&app_dir, &server.url(), &clock).await;
    let api = Api::sign_in(&server.url(), AVA).await;
    let remote = eventually("the backend delivers all three (B1)", || async {
        let messages = api.messages(&conversation.id).await;
        let ours: Vec<_> = messages
            .into_iter()
            .filter(|m| bodies.contains(&m.body.as_str()))
            .collect();
        (ours.len() >= 3 && ours.iter().all(|m| m.status == MessageStatus::Delivered))
            .then_some(ours)
    })
    .await;
    let remote_ids: Vec<MessageId> = remote.iter().map(|m| m.id.clone()).collect();
    assert_eq!(
        remote_ids, written,
        "exactly the three messages, once each, with the ids written offline"
    );
    let logged: Vec<MessageId> = message_ids_in_log_order(&server.url(), &api, cursor_before)
        .await
        .into_iter()
        .filter(|id| written.contains(id))
        .collect();
    assert_eq!(
        logged, written,
        "the backend accepted them in the order they were written (B1)"
    );
    eventually("the local copy shows them delivered", || async {
        let chat = core
            .open_conversation(&conversation.id)
            .await
            .expect("the chat opens");
        let ours: Vec<_> = chat
            .messages
            .iter()
            .filter(|m| written.contains(&m.id))
            .collect();
        (ours.len() == 3 && ours.iter().all(|m| m.status == MessageStatus::Delivered)).then_some(())
    })
    .await;
    core.shutdown().await;
    stop_server(server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b2_after_the_stream_breaks_the_core_catches_up_what_it_missed() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let backend_db = dir.path().join("backend.db");
    let clock = Arc::new(ManualClock::starting_now());
    let server = spawn_server(0, Some(backend_db.clone())).await;
    let port = server.addr.port();
    let core = open_core(&dir.path().join("app"), &server.url(), &clock).await;
    let mut events = core.subscribe();
    core.sign_in(AVA, PASSWORD).await.expect("signs in");
    wait_for_event(&mut events, "the live stream connects", |e| {
        matches!(
            e,
            AppEvent::ConnectionChanged {
                connection: Connection::Online
            }
        )
    })
    .await;
    let conversation = Api::sign_in(&server.url(), AVA)
        .await
        .snapshot()
        .await
        .writable(Channel::Sms, |_| true);

    stop_server(server).await;
    wait_for_event(&mut events, "the core notices the break", |e| {
        matches!(
            e,
            AppEvent::ConnectionChanged {
                connection: Connection::Offline
            }
        )
    })
    .await;

    let elsewhere = spawn_server(0, Some(backend_db.clone())).await;
    Api::sign_in(&elsewhere.url(), AVA)
        .await
        .inject_inbound(&conversation.id, "Are you open on Sunday?")
        .await;
    stop_server(elsewhere).await;

    let back = spawn_server(port, Some(backend_db)).await;
    let announced = wait_for_event(
        &mut events,
        "the missed message is caught up after reconnecting (B2)",
        |e| announces(e, &conversation.id),
    )
    .await;
    assert!(
        matches!(&announced, AppEvent::InboundMessages { messages } if messages.iter().any(|m| m.body == "Are you open on Sunday?")),
        "the missed message itself"
    );
    eventually("the stream is live again", || async {
        (core.connection() == Connection::Online).then_some(())
    })
    .await;
    core.shutdown().await;
    stop_server(back).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b1_a_token_the_backend_no_longer_knows_ends_the_session_and_keeps_the_local_copy() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let clock = Arc::new(ManualClock::starting_now());
    let server = spawn_server(0, None).await;
    let port = server.addr.port();
    let core = open_core(dir.path(), &server.url(), &clock).await;
    let mut events = core.subscribe();
    core.sign_in(AVA, PASSWORD).await.expect("signs in");
    stop_server(server).await;
    let fresh = spawn_server(port, None).await;
    let ended = wait_for_event(&mut events, "a refused token ends the session", |e| {
        matches!(e, AppEvent::SessionEnded { .. })
    })
    .await;
    assert_eq!(
        ended,
        AppEvent::SessionEnded { unsent_messages: 0 },
        "the sync worker's refusal ends the session; nothing waited to be sent"
    );
    assert!(
        core.session()
            .await
            .expect("readable")
            .is_some_and(|session| session.ended),
        "the session is kept, marked ended, for signing in again"
    );
    assert!(
        !core
            .list_inbox(clienteling_domain::inbox::InboxScope::Store)
            .await
            .expect("the inbox lists from the local copy")
            .items
            .is_empty(),
        "the local copy is kept"
    );
    core.shutdown().await;
    stop_server(fresh).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b2_m12_what_arrived_while_offline_is_announced_in_one_event_however_many_pages() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let backend_db = dir.path().join("backend.db");
    let clock = Arc::new(ManualClock::starting_now());
    let server = spawn_server(0, Some(backend_db.clone())).await;
    let port = server.addr.port();
    let core = open_core(&dir.path().join("app"), &server.url(), &clock).await;
    let mut events = core.subscribe();
    core.sign_in(AVA, PASSWORD).await.expect("signs in");
    wait_for_event(&mut events, "the live stream connects", |e| {
        matches!(
            e,
            AppEvent::ConnectionChanged {
                connection: Connection::Online
            }
        )
    })
    .await;
    let snapshot = Api::sign_in(&server.url(), AVA).await.snapshot().await;
    let first = snapshot.writable(Channel::Sms, |_| true);
    let second = snapshot
        .conversations
        .values()
        .find(|c| c.id != first.id && c.channel == Channel::Sms)
        .expect("the demo data has a second SMS conversation")
        .clone();

    stop_server(server).await;
    wait_for_event(&mut events, "the core notices the break", |e| {
        matches!(
            e,
            AppEvent::ConnectionChanged {
                connection: Connection::Offline
            }
        )
    })
    .await;
    let elsewhere = spawn_server(0, Some(backend_db.clone())).await;
    let customer = Api::sign_in(&elsewhere.url(), AVA).await;
    customer.inject_inbound(&first.id, "Hello?").await;
    customer.inject_inbound(&second.id, "Is it in blue?").await;
    customer.inject_inbound(&first.id, "Call me back").await;
    stop_server(elsewhere).await;

    // Pages of two changes: the catch-up spans several pages, announced together.
    let back = spawn_server_with(clienteling_mock_server::ServerConfig {
        port,
        db_path: Some(backend_db),
        max_page_size: 2,
        ..clienteling_mock_server::ServerConfig::default()
    })
    .await;
    let announced = wait_for_event(
        &mut events,
        "the catch-up announces what arrived (B2)",
        |e| announces(e, &first.id),
    )
    .await;
    let AppEvent::InboundMessages { messages } = announced else {
        panic!("the awaited event announces inbound messages");
    };
    assert_eq!(
        messages
            .iter()
            .map(|m| (m.conversation_id.clone(), m.body.as_str()))
            .collect::<Vec<_>>(),
        vec![
            (first.id.clone(), "Hello?"),
            (second.id.clone(), "Is it in blue?"),
            (first.id.clone(), "Call me back"),
        ],
        "one event carries the three messages of the catch-up in order, so the shell raises a summary per conversation, not three notifications (M12)"
    );
    core.shutdown().await;
    stop_server(back).await;
}
