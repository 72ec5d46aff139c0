//! Sign-in on the first-screen snapshot, then the backfill of older history (issue "Fast
//! at any size"): usable before the history is local, resumable when interrupted by a
//! broken connection, a quit or a refused token, with nothing missed or doubled; and a
//! chat's page fetched on demand meanwhile.

use std::collections::{BTreeMap, BTreeSet};

use axum::http::Method;
use clienteling_core::Core;
use clienteling_domain::api::{Customer, Snapshot};
use clienteling_domain::inbox::{self, InboxScope};
use clienteling_domain::note::Note;
use clienteling_domain::order::Order;
use clienteling_domain::view::{
    AppEvent, CustomerPage, CustomerQuery, CustomerScope, HistoryProgress,
};
use clienteling_domain::{
    ConversationId, CustomerId, ErrorCode, MessageStatus, NoteId, StoreId, Timestamp,
};
use clienteling_mock_server::ServerConfig;

use crate::harness::{
    eventually, open_core, spawn_server_with, wait_for_event, whole_history, Api, AVA, PASSWORD,
};
use crate::proxy::{FaultAnswer, FaultyProxy};

/// The backfill's requests.
const HISTORY: &str = "/api/v1/changes/history";
/// Entries of the feed per page: the demo's history takes dozens of pages.
const PAGE: u32 = 50;

async fn small_pages() -> clienteling_mock_server::RunningServer {
    spawn_server_with(ServerConfig {
        max_page_size: PAGE,
        ..ServerConfig::default()
    })
    .await
}

async fn history(core: &Core) -> HistoryProgress {
    core.session()
        .await
        .expect("the session reads")
        .expect("signed in")
        .history
}

async fn wait_until_complete(core: &Core) -> HistoryProgress {
    eventually("the backfill completes", || async {
        Some(history(core).await).filter(|progress| progress.complete)
    })
    .await
}

/// Every conversation the backend holds for the staff member (old ones included) reads
/// back from the local copy alone with the backend's messages, in order, each once, with
/// the backend's statuses; its row and customer match too.
async fn assert_local_copy_matches_the_backend(core: &Core, api: &Api) {
    let backend = api.snapshot().await;
    assert!(
        backend.conversations.len() > 20,
        "the demo has enough conversations to compare"
    );
    for (id, conversation) in &backend.conversations {
        let local = whole_history(core, id).await;
        let remote = api.messages(id).await;
        let statuses =
            |messages: &[clienteling_domain::api::Message]| -> Vec<(String, MessageStatus)> {
                messages
                    .iter()
                    .map(|m| (m.id.to_string(), m.status))
                    .collect()
            };
        assert_eq!(
            statuses(&local),
            statuses(&remote),
            "conversation {id}: every message local, in order, once, with its status"
        );
        let chat = core.open_conversation(id).await.expect("the chat opens");
        assert_eq!(
            (
                chat.conversation.last_activity_at,
                &chat.conversation.last_message_preview,
                chat.conversation.consent
            ),
            (
                conversation.last_activity_at,
                &conversation.last_message_preview,
                conversation.consent
            ),
            "conversation {id}: the row is the backend's"
        );
        assert_eq!(
            Some(&chat.customer),
            backend.customers.get(&conversation.customer_id),
            "conversation {id}: the customer is the backend's"
        );
    }
    core.close_conversation().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b2_sign_in_shows_the_inbox_from_the_snapshot_before_any_older_history_is_local() {
    let server = small_pages().await;
    let proxy = FaultyProxy::start(&server.url()).await;
    // No page of older history gets through.
    proxy.fail(Method::GET, HISTORY, 0, FaultAnswer::Status(503));
    let dir = tempfile::tempdir().expect("a temporary folder");
    let clock = std::sync::Arc::new(clienteling_core::ManualClock::starting_now());
    let core = open_core(dir.path(), &proxy.url(), &clock).await;
    core.sign_in(AVA, PASSWORD).await.expect("Ava signs in");
    let api = Api::sign_in(&server.url(), AVA).await;

    let now: Timestamp = clienteling_domain::Clock::now(clock.as_ref());
    let backend = api.snapshot().await;
    let mut expected: Vec<(Timestamp, ConversationId)> = backend
        .conversations
        .values()
        .filter(|c| c.store_id == StoreId::from("store-nyc"))
        .filter(|c| inbox::is_active(c.last_activity_at, now))
        .map(|c| (c.last_activity_at, c.id.clone()))
        .collect();
    expected.sort_by(|a, b| b.cmp(a));
    let page = core
        .list_inbox(InboxScope::Store)
        .await
        .expect("the inbox lists");
    let listed: Vec<&ConversationId> = page.items.iter().map(|i| &i.conversation.id).collect();
    let expected_ids: Vec<&ConversationId> = expected.iter().map(|(_, id)| id).collect();
    assert_eq!(
        listed, expected_ids,
        "the whole inbox is there, newest first, with no page of history stored"
    );
    let backend_unread: u32 = backend
        .conversations
        .values()
        .filter(|c| c.store_id == StoreId::from("store-nyc"))
        .filter(|c| inbox::is_active(c.last_activity_at, now))
        .map(|c| c.unread_count)
        .sum();
    assert_eq!(
        page.total_unread, backend_unread,
        "the badge counts what the backend counts"
    );
    let progress = history(&core).await;
    assert!(
        !progress.complete && progress.stored == 0 && progress.total > 0,
        "the older history waits, and its size is known for the progress bar: {progress:?}"
    );

    // A chat opens on its latest page, fetched on demand, and scrolls back to its start.
    let mut longest = (0, expected_ids[0].clone());
    for id in &expected_ids {
        let count = api.messages(id).await.len();
        if count > longest.0 {
            longest = (count, (*id).clone());
        }
    }
    let longest = longest.1;
    let local = whole_history(&core, &longest).await;
    let remote = api.messages(&longest).await;
    assert_eq!(
        local.iter().map(|m| &m.id).collect::<Vec<_>>(),
        remote.iter().map(|m| &m.id).collect::<Vec<_>>(),
        "a chat whose history is not local fetches every page it shows"
    );
    core.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b2_offline_a_chat_shows_its_local_messages_and_scrolling_up_says_the_backend_is_needed() {
    let server = small_pages().await;
    let proxy = FaultyProxy::start(&server.url()).await;
    proxy.fail(Method::GET, HISTORY, 0, FaultAnswer::Status(503));
    proxy.fail(Method::GET, "/messages", 0, FaultAnswer::CutConnection);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let clock = std::sync::Arc::new(clienteling_core::ManualClock::starting_now());
    let core = open_core(dir.path(), &proxy.url(), &clock).await;
    core.sign_in(AVA, PASSWORD).await.expect("Ava signs in");
    let api = Api::sign_in(&server.url(), AVA).await;
    let page = core
        .list_inbox(InboxScope::Store)
        .await
        .expect("the inbox lists");
    let mut long = None;
    for item in &page.items {
        if api.messages(&item.conversation.id).await.len()
            > clienteling_domain::api::SNAPSHOT_MESSAGES as usize
        {
            long = Some(item.conversation.id.clone());
            break;
        }
    }
    let long = long.expect("a conversation longer than the snapshot's share");
    let chat = core
        .open_conversation(&long)
        .await
        .expect("the chat opens without the backend");
    let remote = api.messages(&long).await;
    let latest: Vec<_> = remote
        .iter()
        .rev()
        .take(chat.messages.len())
        .rev()
        .map(|m| &m.id)
        .collect();
    assert_eq!(
        chat.messages.iter().map(|m| &m.id).collect::<Vec<_>>(),
        latest,
        "the snapshot's latest messages show"
    );
    assert!(chat.has_older, "the chat knows older messages may exist");
    let first = chat.messages[0].id.clone();
    let error = core
        .list_older_messages(&long, &first)
        .await
        .expect_err("older messages need the backend");
    assert_eq!(
        clienteling_domain::ApiError::from(error).code,
        ErrorCode::Offline,
        "scrolling up says the backend cannot be reached"
    );
    core.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b2_a_backfill_interrupted_by_the_network_a_quit_and_a_refused_token_goes_on_and_misses_nothing(
) {
    let server = small_pages().await;
    let proxy = FaultyProxy::start(&server.url()).await;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let clock = std::sync::Arc::new(clienteling_core::ManualClock::starting_now());
    let api = Api::sign_in(&server.url(), AVA).await;

    // 1. The network breaks after two pages: the backfill keeps them and waits.
    proxy.fail(Method::GET, HISTORY, 2, FaultAnswer::CutConnection);
    let core = open_core(dir.path(), &proxy.url(), &clock).await;
    core.sign_in(AVA, PASSWORD).await.expect("Ava signs in");
    let total = history(&core).await.total;
    eventually("the backfill retries the broken page", || async {
        (proxy.count(&Method::GET, HISTORY) >= 4).then_some(())
    })
    .await;
    let after_two = history(&core).await;
    assert_eq!(
        after_two.stored,
        2 * u64::from(PAGE),
        "the two pages before the break are kept"
    );
    assert!(!after_two.complete, "the history is not complete yet");

    // Meanwhile a customer writes in an old conversation, outside the snapshot.
    let backend = api.snapshot().await;
    let now: Timestamp = clienteling_domain::Clock::now(clock.as_ref());
    let old = backend
        .conversations
        .values()
        .filter(|c| !inbox::is_active(c.last_activity_at, now) && c.consent.allows_sending())
        .map(|c| c.id.clone())
        .next()
        .expect("the demo has conversations older than the inbox window");
    let mut events = core.subscribe();
    let written = api.inject_inbound(&old, "Is the navy coat back?").await;
    wait_for_event(
        &mut events,
        "the live feed brings the new message",
        |e| matches!(e, AppEvent::MessageChanged { message } if message.id == written.id),
    )
    .await;

    // 2. The network is back for three pages, then the app quits.
    proxy.heal();
    let seen = proxy.count(&Method::GET, HISTORY);
    proxy.fail(
        Method::GET,
        HISTORY,
        u32::try_from(seen).expect("a small count") + 3,
        FaultAnswer::Status(503),
    );
    eventually("three more pages are stored", || async {
        (history(&core).await.stored == 5 * u64::from(PAGE)).then_some(())
    })
    .await;
    core.shutdown().await;

    // 3. Opened again: the backfill goes on from page five until the token is refused.
    proxy.heal();
    let seen = proxy.count(&Method::GET, HISTORY);
    proxy.fail(
        Method::GET,
        HISTORY,
        u32::try_from(seen).expect("a small count") + 2,
        FaultAnswer::Status(401),
    );
    let core = open_core(dir.path(), &proxy.url(), &clock).await;
    let mut events = core.subscribe();
    wait_for_event(&mut events, "the refused token ends the session", |e| {
        matches!(e, AppEvent::SessionEnded { .. })
    })
    .await;
    let at_refusal = history(&core).await;
    assert_eq!(
        at_refusal.stored,
        7 * u64::from(PAGE),
        "the reopened app went on from where it quit, and kept its pages at the refusal"
    );

    // 4. Signing in again as Ava takes the session up and completes the history.
    proxy.heal();
    core.sign_in(AVA, PASSWORD)
        .await
        .expect("Ava signs in again");
    let done = wait_until_complete(&core).await;
    assert_eq!(
        done.stored, total,
        "every entry of the history was gone through exactly once across the interruptions"
    );
    for (kind, counted) in [
        ("customers", done.customers),
        ("conversations", done.conversations),
        ("messages", done.messages),
    ] {
        assert!(
            counted.total > 0 && counted.stored == counted.total,
            "the counts of {kind} add up across the interruptions too: {counted:?}"
        );
    }
    assert_local_copy_matches_the_backend(&core, &api).await;
    let copied = whole_history(&core, &old).await;
    assert_eq!(
        copied.iter().filter(|m| m.id == written.id).count(),
        1,
        "the message the live feed brought during the backfill is there once"
    );
    core.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn b2_a_backfill_on_small_pages_makes_the_local_copy_the_backends() {
    let server = spawn_server_with(ServerConfig {
        max_page_size: 7,
        ..ServerConfig::default()
    })
    .await;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let clock = std::sync::Arc::new(clienteling_core::ManualClock::starting_now());
    let core = open_core(dir.path(), &server.url(), &clock).await;
    let mut events = core.subscribe();
    core.sign_in(AVA, PASSWORD).await.expect("Ava signs in");
    let api = Api::sign_in(&server.url(), AVA).await;
    let mut seen: BTreeMap<u64, HistoryProgress> = BTreeMap::new();
    while !seen.values().any(|p| p.complete) {
        let event = wait_for_event(&mut events, "the backfill reports progress", |e| {
            matches!(e, AppEvent::HistoryProgressed { .. })
        })
        .await;
        if let AppEvent::HistoryProgressed { progress } = event {
            seen.insert(progress.stored, progress);
        }
    }
    let stored: Vec<u64> = seen.keys().copied().collect();
    assert!(
        stored.windows(2).all(|w| w[1] - w[0] <= 7) && stored.len() > 10,
        "progress is reported page by page as it grows"
    );
    let last = seen.values().last().expect("a progress");
    assert_eq!(
        last.stored, last.total,
        "the whole history was gone through once"
    );
    assert_local_copy_matches_the_backend(&core, &api).await;
    core.shutdown().await;
}

/// A customer of Ava's store with notes and orders on the backend (which the sign-in
/// snapshot never brings): their id, note ids and order count.
async fn customer_beyond_the_snapshot(api: &Api) -> (CustomerId, BTreeSet<NoteId>, usize) {
    for n in 1..=210 {
        let id = CustomerId::from(format!("cust-{n:04}"));
        let answer = api
            .request(Method::GET, &format!("/customers/{id}/notes"))
            .send()
            .await
            .expect("the backend answers");
        if !answer.status().is_success() {
            continue;
        }
        let notes: Vec<Note> = answer.json().await.expect("a list of notes");
        let orders: Vec<Order> = api.get_json(&format!("/customers/{id}/orders")).await;
        if !notes.is_empty() && !orders.is_empty() {
            return (id, notes.into_iter().map(|n| n.id).collect(), orders.len());
        }
    }
    panic!("the demo has a New York customer with notes and orders")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c11_a_profile_opened_before_the_backfill_reaches_it_is_whole_and_stays_so_offline() {
    let server = small_pages().await;
    let proxy = FaultyProxy::start(&server.url()).await;
    proxy.fail(Method::GET, HISTORY, 0, FaultAnswer::Status(503));
    let dir = tempfile::tempdir().expect("a temporary folder");
    let clock = std::sync::Arc::new(clienteling_core::ManualClock::starting_now());
    let core = open_core(dir.path(), &proxy.url(), &clock).await;
    core.sign_in(AVA, PASSWORD).await.expect("Ava signs in");
    let api = Api::sign_in(&server.url(), AVA).await;
    let (customer, notes, orders) = customer_beyond_the_snapshot(&api).await;
    assert!(
        !history(&core).await.complete,
        "no page of older history got through"
    );

    let profile = core
        .show_customer(&customer)
        .await
        .expect("the profile opens although the backfill has not reached the customer");
    let shown: BTreeSet<NoteId> = profile.notes.iter().map(|n| n.id.clone()).collect();
    assert_eq!(shown, notes, "the profile has every note at once");
    assert_eq!(
        profile.order_count as usize, orders,
        "the profile counts every order at once"
    );

    // Offline, the profile shows what was stored.
    proxy.fail(Method::GET, "/changes", 0, FaultAnswer::CutConnection);
    let offline = core
        .show_customer(&customer)
        .await
        .expect("the profile opens offline");
    assert_eq!(
        offline.notes.len(),
        notes.len(),
        "what was fetched stays in the local copy"
    );
    core.shutdown().await;
}

/// Customers of New York the sign-in snapshot did not bring (the backfill would), each
/// with an email.
async fn customers_beyond_the_snapshot(api: &Api) -> Vec<Customer> {
    let first_screen: Snapshot = api.get_json("/snapshot").await;
    let nyc = StoreId::from("store-nyc");
    let mut beyond: Vec<Customer> = api
        .snapshot()
        .await
        .customers
        .into_values()
        .filter(|c| c.store_ids.contains(&nyc) && c.email.is_some())
        .filter(|c| first_screen.customers.iter().all(|s| s.id != c.id))
        .collect();
    beyond.sort_by(|a, b| a.id.cmp(&b.id));
    assert!(
        beyond.len() >= 2,
        "the demo has New York customers beyond the first screen"
    );
    beyond
}

async fn search(core: &Core, typed: &str) -> CustomerPage {
    core.list_customers(CustomerQuery {
        scope: CustomerScope::Store,
        search: typed.into(),
        ..CustomerQuery::default()
    })
    .await
    .expect("the clientbook searches")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c1_a_search_while_the_backfill_runs_also_asks_the_backend_and_lists_customers_not_local_yet(
) {
    let server = small_pages().await;
    let proxy = FaultyProxy::start(&server.url()).await;
    proxy.fail(Method::GET, HISTORY, 0, FaultAnswer::Status(503));
    let dir = tempfile::tempdir().expect("a temporary folder");
    let clock = std::sync::Arc::new(clienteling_core::ManualClock::starting_now());
    let core = open_core(dir.path(), &proxy.url(), &clock).await;
    core.sign_in(AVA, PASSWORD).await.expect("Ava signs in");
    let api = Api::sign_in(&server.url(), AVA).await;
    let beyond = customers_beyond_the_snapshot(&api).await;
    let (wanted, later) = (&beyond[0], &beyond[1]);
    assert!(
        !history(&core).await.complete,
        "no page of older history got through"
    );

    let email = wanted.email.clone().expect("an email");
    let page = search(&core, &email).await;
    assert!(
        page.rows.iter().any(|row| row.customer.id == wanted.id),
        "the backend's search finds {} although the backfill has not brought them",
        wanted.id
    );
    assert_eq!(
        page.note, None,
        "the backend answered, so the page misses nobody"
    );
    assert!(
        proxy.count(&Method::GET, "/api/v1/customers?search") >= 1,
        "the search was asked of the backend"
    );

    // Offline the local copy answers, and says what it may miss.
    proxy.fail(
        Method::GET,
        "/api/v1/customers",
        0,
        FaultAnswer::CutConnection,
    );
    let offline = search(&core, &email).await;
    assert!(
        offline.rows.iter().any(|row| row.customer.id == wanted.id),
        "the customer found online was stored and is found offline"
    );
    let missed = search(&core, later.email.as_deref().expect("an email")).await;
    assert!(
        missed.rows.iter().all(|row| row.customer.id != later.id),
        "offline a customer not local yet cannot be found"
    );
    assert!(
        missed.note.is_some(),
        "offline the page says older customers are still arriving"
    );
    core.shutdown().await;
}
