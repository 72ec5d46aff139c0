//! The first-screen snapshot, the feed read backwards for a backfill, and a conversation's
//! messages by page (issue "Fast at any size"), as any client sees them.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use clienteling_domain::api::{ChangeData, HistoryPage, Message, Snapshot, SNAPSHOT_MESSAGES};
use clienteling_domain::{inbox, ConversationId, StoreId, Timestamp};
use clienteling_mock_server::demo::volume::{self, Volume};
use clienteling_mock_server::ServerConfig;
use support::{Backend, AVA, NOAH};

/// The server's "now", as its simulator clock reports it.
async fn server_now(backend: &Backend) -> Timestamp {
    backend.server.state().now()
}

/// Every page of the history of `token` from `before`, newest first.
async fn all_history(backend: &Backend, token: &str, before: i64, limit: u32) -> Vec<HistoryPage> {
    let mut pages = Vec::new();
    let mut before = before;
    loop {
        let page: HistoryPage = backend
            .get(
                token,
                &format!("/changes/history?before={before}&limit={limit}"),
            )
            .await;
        assert!(
            page.next_before < before || !page.has_more,
            "the history moves back with every page"
        );
        before = page.next_before;
        let more = page.has_more;
        pages.push(page);
        if !more {
            return pages;
        }
    }
}

#[tokio::test]
async fn the_snapshot_holds_the_callers_active_conversations_their_customers_and_latest_messages() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let snapshot: Snapshot = backend.get(&ava.token, "/snapshot").await;
    let now = server_now(&backend).await;
    let (conversations, customers) = backend.view(&ava.token).await;

    let mut expected: Vec<(Timestamp, ConversationId)> = conversations
        .iter()
        .filter(|c| inbox::is_active(c.last_activity_at, now))
        .map(|c| (c.last_activity_at, c.id.clone()))
        .collect();
    expected.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let listed: Vec<(Timestamp, ConversationId)> = snapshot
        .conversations
        .iter()
        .map(|c| (c.last_activity_at, c.id.clone()))
        .collect();
    assert_eq!(
        listed, expected,
        "every conversation active in the inbox window, newest activity first, and no other"
    );
    assert!(
        snapshot
            .conversations
            .iter()
            .all(|c| c.store_id == StoreId::from("store-nyc")),
        "only the caller's store"
    );
    for conversation in &snapshot.conversations {
        let full = conversations
            .iter()
            .find(|c| c.id == conversation.id)
            .expect("listed in the feed");
        assert_eq!(
            conversation, full,
            "rendered as the feed renders it for the caller"
        );
        let all = backend.messages(&ava.token, &conversation.id).await;
        let latest: Vec<&Message> = all
            .iter()
            .rev()
            .take(SNAPSHOT_MESSAGES as usize)
            .rev()
            .collect();
        let carried: Vec<&Message> = snapshot
            .messages
            .iter()
            .filter(|m| m.conversation_id == conversation.id)
            .collect();
        assert_eq!(carried, latest, "its latest messages, oldest first");
        let customer = customers
            .iter()
            .find(|c| c.id == conversation.customer_id)
            .expect("the customer is in the feed");
        assert!(
            snapshot.customers.contains(customer),
            "the conversation's customer comes with it"
        );
    }
    let (_, cursor) = backend.changes(&ava.token, 0).await;
    assert!(
        snapshot.cursor >= cursor,
        "current at the feed's latest entry (another store's may be later than Ava's)"
    );
    let (after, _) = backend.changes(&ava.token, snapshot.cursor).await;
    assert!(
        after.is_empty(),
        "nothing Ava may see lies beyond the cursor"
    );
    let pages = all_history(&backend, &ava.token, snapshot.cursor + 1, 100).await;
    let covered: u64 = pages.iter().map(|page| u64::from(page.covered)).sum();
    assert_eq!(
        snapshot.history_total, covered,
        "the history's size is what a backfill goes through"
    );
    let mut by_kind: std::collections::BTreeMap<String, u64> = Default::default();
    for page in &pages {
        assert_eq!(
            page.covered_kinds
                .values()
                .map(|n| u64::from(*n))
                .sum::<u64>(),
            u64::from(page.covered),
            "a page's counts by kind add up to what it went through"
        );
        for (kind, count) in &page.covered_kinds {
            *by_kind.entry(kind.clone()).or_default() += u64::from(*count);
        }
    }
    assert_eq!(
        snapshot.history_kinds, by_kind,
        "the snapshot's counts by kind are what the backfill goes through of each"
    );
    for kind in ["customer", "conversation", "message"] {
        assert!(
            snapshot.history_kinds.get(kind).is_some_and(|n| *n > 0),
            "the counts name {kind}s: {:?}",
            snapshot.history_kinds
        );
    }

    let noah = backend.sign_in(NOAH).await;
    let london: Snapshot = backend.get(&noah.token, "/snapshot").await;
    assert!(
        !london.conversations.is_empty()
            && london
                .conversations
                .iter()
                .all(|c| c.store_id == StoreId::from("store-lon")),
        "another store's staff see their own store only"
    );
}

#[tokio::test]
async fn the_history_read_backwards_brings_every_entity_the_forward_feed_has_each_once_a_page() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let (forward, cursor) = backend.changes(&ava.token, 0).await;
    let mut latest_forward: BTreeMap<String, ChangeData> = BTreeMap::new();
    for change in forward {
        latest_forward.insert(key(&change.data), change.data);
    }
    let pages = all_history(&backend, &ava.token, cursor + 1, 37).await;
    assert!(pages.len() > 3, "the history takes several pages");
    let mut backwards: BTreeMap<String, ChangeData> = BTreeMap::new();
    for page in &pages {
        let seqs: Vec<i64> = page.changes.iter().map(|c| c.seq).collect();
        assert!(
            seqs.windows(2).all(|w| w[0] > w[1]),
            "a page is newest first"
        );
        let keys: BTreeSet<String> = page.changes.iter().map(|c| key(&c.data)).collect();
        assert_eq!(
            keys.len(),
            page.changes.len(),
            "an entity comes once per page"
        );
        assert!(page.covered <= 37, "a page goes through at most its limit");
        for change in &page.changes {
            backwards
                .entry(key(&change.data))
                .or_insert(change.data.clone());
        }
    }
    assert_eq!(
        backwards, latest_forward,
        "the same entities in the same current state as the forward feed"
    );
}

#[tokio::test]
async fn the_history_and_the_snapshot_refuse_strangers_and_a_history_needs_its_position() {
    let backend = Backend::start().await;
    for path in ["/snapshot", "/changes/history?before=10"] {
        let response = backend
            .http
            .get(backend.api(path))
            .send()
            .await
            .expect("the backend answers");
        assert_eq!(response.status(), 401, "{path} needs a session");
    }
    let ava = backend.sign_in(AVA).await;
    for path in ["/changes/history", "/changes/history?before=soon"] {
        let response = backend
            .http
            .get(backend.api(path))
            .bearer_auth(&ava.token)
            .send()
            .await
            .expect("the backend answers");
        assert_eq!(
            response.status(),
            400,
            "{path}: the position is required, as a number"
        );
    }
}

#[tokio::test]
async fn a_conversations_messages_come_by_page_newest_pages_first() {
    let backend = Backend::start().await;
    let ava = backend.sign_in(AVA).await;
    let (conversations, _) = backend.view(&ava.token).await;
    let mut longest = (0, conversations[0].id.clone());
    for conversation in &conversations {
        let count = backend.messages(&ava.token, &conversation.id).await.len();
        if count > longest.0 {
            longest = (count, conversation.id.clone());
        }
    }
    let (count, id) = longest;
    assert!(count > 6, "a conversation long enough to page");
    let all = backend.messages(&ava.token, &id).await;
    let mut paged: Vec<Message> = backend
        .get(&ava.token, &format!("/conversations/{id}/messages?limit=4"))
        .await;
    assert_eq!(paged, all[count - 4..], "the latest page, oldest first");
    loop {
        let before = paged[0].id.clone();
        let older: Vec<Message> = backend
            .get(
                &ava.token,
                &format!("/conversations/{id}/messages?before={before}&limit=4"),
            )
            .await;
        if older.is_empty() {
            break;
        }
        assert!(older.len() <= 4, "at most the limit");
        paged.splice(0..0, older);
    }
    assert_eq!(
        paged, all,
        "the pages put together are the whole history, once"
    );

    for (query, why) in [
        ("limit=0", "a limit of 0"),
        ("before=not-a-message", "an unknown message"),
    ] {
        let response = backend
            .http
            .get(backend.api(&format!("/conversations/{id}/messages?{query}")))
            .bearer_auth(&ava.token)
            .send()
            .await
            .expect("the backend answers");
        assert_eq!(response.status(), 400, "{why} is refused");
    }
}

#[tokio::test]
async fn added_history_keeps_the_snapshot_to_the_inbox_window_and_the_feed_in_time_order() {
    let backend = Backend::start_with(ServerConfig {
        history: Some(Volume {
            customers: 60,
            messages: 6_000,
        }),
        simulation: clienteling_mock_server::SimulationConfig::instant(),
        ..ServerConfig::default()
    })
    .await;
    let ava = backend.sign_in(AVA).await;
    let snapshot: Snapshot = backend.get(&ava.token, "/snapshot").await;
    let now = server_now(&backend).await;
    let added: Vec<_> = snapshot
        .conversations
        .iter()
        .filter(|c| c.id.as_str().starts_with("hist-"))
        .collect();
    assert!(
        !added.is_empty()
            && added
                .iter()
                .all(|c| inbox::is_active(c.last_activity_at, now)),
        "the added store's recent conversations are in the snapshot"
    );
    assert!(
        added.len() < 40,
        "conversations come and go: the old ones stay out of the first screen ({} of 40 in New York)",
        added.len()
    );
    let long = backend
        .messages(
            &ava.token,
            &ConversationId::from(volume::conversation_id(0).as_str()),
        )
        .await;
    assert!(
        long.len() >= 6_000 / 20,
        "the first added conversation is a long chat"
    );
    assert!(
        long.windows(2).all(|w| w[0].created_at <= w[1].created_at),
        "its messages are in time order"
    );
}

/// An entity's kind and id.
fn key(data: &ChangeData) -> String {
    match data {
        ChangeData::Customer(c) => format!("customer {}", c.id),
        ChangeData::Conversation(c) => format!("conversation {}", c.id),
        ChangeData::Message(m) => format!("message {}", m.id),
        ChangeData::CustomerAttributes(a) => format!("customer_attributes {}", a.customer_id),
        ChangeData::Order(o) => format!("order {}", o.id),
        ChangeData::WishlistItem(w) => format!("wishlist item {}", w.id),
        ChangeData::Task(t) => format!("task {}", t.id),
        ChangeData::Note(n) => format!("note {}", n.id),
        ChangeData::Star(s) => format!("star {}", s.customer_id),
        ChangeData::LastContact(c) => format!("last_contact {}", c.customer_id),
        ChangeData::Cart(c) => format!("cart {}", c.cart.id),
        ChangeData::Product(p) => format!("product {}", p.id),
    }
}
