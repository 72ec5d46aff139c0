//! Sign-in from the first-screen snapshot and the inboxes (M1, M11), sign-out and resuming a
//! session.

use std::cmp::Reverse;
use std::collections::BTreeSet;

use clienteling_domain::api::Conversation;
use clienteling_domain::inbox::{self, InboxScope};
use clienteling_domain::view::{AppEvent, InboxPage};
use clienteling_domain::{ConversationId, ErrorCode, StaffId, StoreId};

use clienteling_mock_server::ServerConfig;

use crate::harness::{
    open_core, signed_in, signed_in_to, spawn_server_with, wait_for_event, Api, AVA, NOAH, OLIVIA,
};

fn ids(page: &InboxPage) -> Vec<ConversationId> {
    page.items
        .iter()
        .map(|item| item.conversation.id.clone())
        .collect()
}

fn assert_newest_first(page: &InboxPage) {
    let times: Vec<_> = page
        .items
        .iter()
        .map(|item| item.conversation.last_activity_at)
        .collect();
    let mut sorted = times.clone();
    sorted.sort_by_key(|t| Reverse(*t));
    assert_eq!(
        times, sorted,
        "inbox rows are ordered by newest activity first (M11)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn m11_sign_in_fills_the_store_inbox_newest_first_within_120_days() {
    let s = signed_in(AVA).await;
    let snapshot = s.api.snapshot().await;
    let now = s.core_now();
    let nyc = StoreId::from("store-nyc");
    let of_store: Vec<&Conversation> = snapshot
        .conversations
        .values()
        .filter(|c| c.store_id == nyc)
        .collect();
    assert!(
        of_store.iter().any(|c| !inbox::is_active(c.last_activity_at, now)),
        "the demo data has conversations idle for more than 120 days, which the inbox must leave out"
    );
    let expected: BTreeSet<ConversationId> = of_store
        .iter()
        .filter(|c| inbox::is_active(c.last_activity_at, now))
        .map(|c| c.id.clone())
        .collect();

    let page = s
        .core
        .list_inbox(InboxScope::Store)
        .await
        .expect("the store inbox lists");
    assert!(
        !page.items.is_empty(),
        "the sign-in brought the store's conversations"
    );
    assert!(
        page.items.len() <= 200,
        "an inbox page holds at most 200 rows"
    );
    assert_eq!(
        ids(&page).into_iter().collect::<BTreeSet<_>>(),
        expected,
        "exactly the store's conversations active in the last 120 days (M11)"
    );
    assert_newest_first(&page);
    let unread: u32 = page
        .items
        .iter()
        .map(|item| item.conversation.unread_count)
        .sum();
    assert_eq!(
        page.total_unread, unread,
        "the badge counts the unread of the store inbox (M12)"
    );
    for item in &page.items {
        let customer = &snapshot.customers[&item.conversation.customer_id];
        assert_eq!(
            item.customer_name,
            customer.full_name(),
            "each row shows its customer's name"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b2_a_sign_in_on_small_pages_shows_the_whole_store_inbox_at_once() {
    let server = spawn_server_with(ServerConfig {
        max_page_size: 7,
        ..ServerConfig::default()
    })
    .await;
    let s = signed_in_to(server, AVA).await;
    let snapshot = s.api.snapshot().await;
    let now = s.core_now();
    let expected: BTreeSet<ConversationId> = snapshot
        .conversations
        .values()
        .filter(|c| c.store_id == StoreId::from("store-nyc"))
        .filter(|c| inbox::is_active(c.last_activity_at, now))
        .map(|c| c.id.clone())
        .collect();
    assert!(
        expected.len() > 7,
        "the store has more conversations than a page holds"
    );
    let page = s
        .core
        .list_inbox(InboxScope::Store)
        .await
        .expect("the store inbox lists");
    assert_eq!(
        ids(&page).into_iter().collect::<BTreeSet<_>>(),
        expected,
        "the snapshot brings every active conversation whatever the feed's page size (B2)"
    );
    let newest = &page.items[0].conversation.id;
    let chat = s
        .core
        .open_conversation(newest)
        .await
        .expect("the conversation opens");
    assert!(
        !chat.messages.is_empty(),
        "the chat shows its latest messages"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn m11_my_inbox_lists_conversations_i_take_part_in_or_whose_customer_is_mine() {
    let s = signed_in(AVA).await;
    let snapshot = s.api.snapshot().await;
    let now = s.core_now();
    let me = StaffId::from("staff-ava");
    let expected: BTreeSet<ConversationId> = snapshot
        .conversations
        .values()
        .filter(|c| c.store_id.as_str() == "store-nyc" && inbox::is_active(c.last_activity_at, now))
        .filter(|c| {
            c.participant_ids.contains(&me)
                || snapshot.customers[&c.customer_id]
                    .assigned_staff_ids
                    .contains(&me)
        })
        .map(|c| c.id.clone())
        .collect();
    let page = s
        .core
        .list_inbox(InboxScope::Mine)
        .await
        .expect("my inbox lists");
    assert!(
        !expected.is_empty(),
        "the demo data gives Ava conversations of her own"
    );
    assert_eq!(
        ids(&page).into_iter().collect::<BTreeSet<_>>(),
        expected,
        "My Inbox: participant or assigned customer (M11)"
    );
    assert_newest_first(&page);
    assert_eq!(
        page.scope,
        InboxScope::Mine,
        "the page says which inbox it is"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn m1_switching_store_shows_only_that_stores_conversations() {
    let s = signed_in(OLIVIA).await;
    let session = s
        .core
        .session()
        .await
        .expect("readable")
        .expect("signed in");
    assert_eq!(session.stores.len(), 2, "Olivia works in both stores");
    assert_eq!(
        session.backend_url,
        s.server.url(),
        "the session names its backend"
    );
    for store in &session.stores {
        let view = s
            .core
            .switch_store(&store.id)
            .await
            .expect("one of her stores");
        assert_eq!(
            view.current_store_id, store.id,
            "the session shows the chosen store"
        );
        let page = s
            .core
            .list_inbox(InboxScope::Store)
            .await
            .expect("the inbox lists");
        assert!(!page.items.is_empty(), "{} has conversations", store.name);
        assert!(
            page.items
                .iter()
                .all(|item| item.conversation.store_id == store.id),
            "the inbox of {} shows only its own conversations (M1)",
            store.name
        );
    }
    let error = s
        .core
        .switch_store(&"store-elsewhere".into())
        .await
        .expect_err("not her store");
    assert_eq!(
        clienteling_domain::ApiError::from(error).code,
        ErrorCode::NotFound,
        "an unknown store is not found"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn m1_a_london_associate_never_gets_new_york_data() {
    let s = signed_in(NOAH).await;
    let page = s
        .core
        .list_inbox(InboxScope::Store)
        .await
        .expect("the inbox lists");
    assert!(
        page.items
            .iter()
            .all(|item| item.conversation.store_id.as_str() == "store-lon"),
        "only London rows (M1)"
    );
    let nyc_conversation = Api::sign_in(&s.server.url(), AVA)
        .await
        .snapshot()
        .await
        .conversations
        .into_values()
        .find(|c| c.store_id.as_str() == "store-nyc")
        .expect("New York has conversations");
    let error = s
        .core
        .open_conversation(&nyc_conversation.id)
        .await
        .expect_err("not in Noah's copy");
    assert_eq!(
        clienteling_domain::ApiError::from(error).code,
        ErrorCode::NotFound,
        "another store's conversation is not found (M1)"
    );
    let error = s
        .core
        .switch_store(&"store-nyc".into())
        .await
        .expect_err("not Noah's store");
    assert_eq!(
        clienteling_domain::ApiError::from(error).code,
        ErrorCode::NotFound,
        "another store cannot be chosen (M1)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b2_a_sign_in_whose_snapshot_breaks_keeps_nothing_and_the_next_one_works() {
    // The connection cut in the middle of the snapshot.
    let server = crate::harness::spawn_server(0, None).await;
    let proxy = crate::proxy::FaultyProxy::start(&server.url()).await;
    proxy.fail(
        axum::http::Method::GET,
        "/api/v1/snapshot",
        0,
        crate::proxy::FaultAnswer::CutConnection,
    );
    let dir = tempfile::tempdir().expect("a temporary folder");
    let clock = std::sync::Arc::new(clienteling_core::ManualClock::starting_now());
    let core = open_core(dir.path(), &proxy.url(), &clock).await;
    let signing_in = core.sign_in(AVA, crate::harness::PASSWORD).await;
    assert_eq!(
        proxy.count(&axum::http::Method::GET, "/api/v1/snapshot"),
        1,
        "the snapshot was asked for once, and cut"
    );
    drop(proxy);
    let error = signing_in.expect_err("the backend went away during the snapshot");
    assert_eq!(
        clienteling_domain::ApiError::from(error).code,
        ErrorCode::Offline,
        "the sign-in says the backend cannot be reached, not that the local database is busy"
    );
    assert!(
        core.session().await.expect("readable").is_none(),
        "nothing of the broken sign-in is kept"
    );
    core.shutdown().await;

    let server = crate::harness::spawn_server(0, None).await;
    let core = open_core(dir.path(), &server.url(), &clock).await;
    let session = tokio::time::timeout(
        std::time::Duration::from_secs(4),
        core.sign_in(AVA, crate::harness::PASSWORD),
    )
    .await
    .expect("the local database is free again, not locked by the broken sign-in")
    .expect("signing in again works");
    assert_eq!(
        session.staff.login, AVA,
        "the next sign-in starts a session"
    );
    let page = core
        .list_inbox(InboxScope::Store)
        .await
        .expect("the store inbox lists");
    assert!(
        !page.items.is_empty(),
        "the next snapshot filled the local copy"
    );
    core.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_is_refused_and_keeps_nobody_signed_in() {
    let server = crate::harness::spawn_server(0, None).await;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let clock = std::sync::Arc::new(clienteling_core::ManualClock::starting_now());
    let core = open_core(dir.path(), &server.url(), &clock).await;
    let users = core
        .list_demo_users()
        .await
        .expect("the demo accounts list");
    assert!(
        users.iter().any(|u| u.staff.login == AVA),
        "the sign-in screen can offer Ava"
    );
    let error = core
        .sign_in(AVA, "not-the-password")
        .await
        .expect_err("a wrong password");
    assert_eq!(
        clienteling_domain::ApiError::from(error).code,
        ErrorCode::Unauthorized,
        "the backend's refusal reaches the UI"
    );
    assert!(
        core.session().await.expect("readable").is_none(),
        "nobody is signed in"
    );
    let error = core
        .list_inbox(InboxScope::Store)
        .await
        .expect_err("no session");
    assert_eq!(
        clienteling_domain::ApiError::from(error).code,
        ErrorCode::Unauthorized,
        "inboxes need a session"
    );
    core.shutdown().await;
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p2_a_stored_session_resumes_after_a_restart_and_sign_out_clears_it() {
    let s = signed_in(AVA).await;
    let before = s
        .core
        .list_inbox(InboxScope::Store)
        .await
        .expect("the inbox lists");
    s.core.shutdown().await;
    let core = open_core(s.data_dir.path(), &s.server.url(), &s.clock).await;
    let mut events = core.subscribe();
    let session = core
        .session()
        .await
        .expect("readable")
        .expect("the session survived the restart");
    assert_eq!(
        session.staff.login, AVA,
        "the same staff member is signed in"
    );
    let after = core
        .list_inbox(InboxScope::Store)
        .await
        .expect("the inbox lists from the local copy");
    assert_eq!(
        ids(&after),
        ids(&before),
        "the local copy survived the restart (P2)"
    );
    core.sign_out(false)
        .await
        .expect("signs out; nothing is waiting");
    wait_for_event(&mut events, "the UI hears of the sign-out", |e| {
        matches!(e, AppEvent::SignedOut)
    })
    .await;
    assert!(
        core.session().await.expect("readable").is_none(),
        "nobody is signed in after signing out"
    );
    core.shutdown().await;
    let reopened = open_core(s.data_dir.path(), &s.server.url(), &s.clock).await;
    assert!(
        reopened.session().await.expect("readable").is_none(),
        "sign-out is durable"
    );
    reopened.shutdown().await;
}

fn is_send<T: Send>(_: &T) {}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p1_the_shell_can_call_every_operation_from_any_thread() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let clock = std::sync::Arc::new(clienteling_core::ManualClock::starting_now());
    let core = open_core(dir.path(), "http://127.0.0.1:9", &clock).await;
    fn shareable<T: Send + Sync + Clone + 'static>(_: &T) {}
    shareable(&core);
    let id = ConversationId::from("conv-1");
    // Tauri runs async commands on a multi-threaded runtime: their futures must be Send.
    is_send(&core.list_demo_users());
    is_send(&core.session());
    is_send(&core.sign_in(AVA, "demo"));
    is_send(&core.sign_out(false));
    is_send(&core.count_unsent_messages());
    is_send(&core.switch_store(&"store-nyc".into()));
    is_send(&core.list_inbox(InboxScope::Store));
    is_send(&core.open_conversation(&id));
    is_send(&core.close_conversation());
    is_send(&core.send_message(&id, "hi"));
    is_send(&core.retry_message(&"m1".into()));
    is_send(&core.shutdown());
    let error = core
        .list_demo_users()
        .await
        .expect_err("nothing listens on port 9");
    assert_eq!(
        clienteling_domain::ApiError::from(error).code,
        ErrorCode::Offline,
        "an unreachable backend reads as offline"
    );
    core.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backend_without_demo_data_lists_no_demo_accounts_instead_of_failing() {
    let server = spawn_server_with(ServerConfig {
        demo_data: false,
        ..ServerConfig::default()
    })
    .await;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let clock = std::sync::Arc::new(clienteling_core::ManualClock::starting_now());
    let core = open_core(dir.path(), &server.url(), &clock).await;
    let users = core
        .list_demo_users()
        .await
        .expect("a backend that hides its demo accounts is not an error");
    assert!(
        users.is_empty(),
        "the sign-in screen offers the login form alone"
    );
    core.shutdown().await;
    server.shutdown().await;
}
