//! The local-copy benchmark (issues "Messaging" and "Fast at any size"): first signs fresh
//! apps in to a mock backend whose demo stores hold 500 000 more messages, timing sign-in
//! to the first inbox page and the background backfill after it; then builds a local
//! database of 10 000 customers, 10 000 conversations and 500 000 messages through the
//! backfill's real storage path (beside hand-written batched inserts), and times the first
//! inbox page, opening a 5 000-message and a 50 000-message conversation (its latest
//! page), reading an older page of the long one and the unread total; then stores every
//! customer's attribute values, 100 000 orders and 20 000 notes the same way and times the
//! clientbook of New York (all 10 000 customers: its first page, a search by a name's
//! first three letters, by phone digits and by email, a filter on two attributes) and
//! opening a profile with all its sections; each beside a hand-written SQLite query on the
//! same data, as a ratio (app path / hand-written).
//!
//! Then, over a catalog of at least 5 000 variants, the search as you type (issue
//! "Catalog"): one, two and three letters, a word, a SKU and a scanned barcode.
//!
//! Run: `cargo bench -p clienteling-core --bench local_copy` (`-- catalog` runs the catalog
//! rows alone). Speed is reported here, never
//! asserted in a timed test.

use std::error::Error;
use std::future::Future;
use std::time::{Duration, Instant};

use std::sync::Arc;

use clienteling_core::local_copy::{LocalCopy, PAGE_LIMIT};
use clienteling_core::{Core, CoreConfig, RetryPolicy, SystemClock};
use clienteling_domain::api::{
    Change, ChangeData, Conversation, Customer, HistoryPage, Message, Role, Session, Snapshot,
    Staff, Store,
};
use clienteling_domain::attribute::{
    AttributeCondition, AttributeFilter, AttributeValue, Comparison, CustomerAttribute,
    CustomerAttributes,
};
use clienteling_domain::catalog::{Currency, Gtin, Money, Product};
use clienteling_domain::inbox::InboxScope;
use clienteling_domain::note::Note;
use clienteling_domain::order::{Order, OrderChannel, OrderLine, OrderStatus};
use clienteling_domain::time::DAY_MS;
use clienteling_domain::{
    inbox, Channel, ConsentState, ConversationId, CustomerId, Direction, MessageId, MessageKind,
    MessageStatus, NoteId, OrderId, ProductId, StaffId, StoreId, Timestamp, VariantId,
};
use clienteling_mock_server::demo::volume::Volume;
use clienteling_mock_server::{ServerConfig, SimulationConfig};
use sqlx::{QueryBuilder, Sqlite, SqlitePool};

type BenchResult<T> = Result<T, Box<dyn Error>>;

/// Customers, and conversations (one per customer).
const CUSTOMERS: usize = 10_000;
/// Messages in the whole local copy.
const MESSAGES: usize = 500_000;
/// Every this many messages one goes to the big conversation: 500 000 / 100 = 5 000.
const BIG_CHAT_EVERY: usize = 100;
/// Every this many messages (offset by [`HUGE_CHAT_OFFSET`]) one goes to the huge
/// conversation: 500 000 / 10 = 50 000.
const HUGE_CHAT_EVERY: usize = 10;
const HUGE_CHAT_OFFSET: usize = 5;
/// Messages of a chat page, as the engine reads them.
const CHAT_PAGE: usize = 80;
/// Changes per page of the feed, as sync asks the backend for them.
const PAGE: usize = PAGE_LIMIT as usize;
/// Rows per statement of the hand-written batched insert.
const INSERT_ROWS: usize = 90;
/// The stores the customers are split between.
const STORES: [&str; 2] = ["store-nyc", "store-ldn"];
/// Staff members per store.
const STAFF_PER_STORE: u64 = 10;
/// Rows of an inbox page, as the engine asks for.
const INBOX_LIMIT: u32 = 200;
/// "Now" of the data set: 2026-01-01.
const NOW: Timestamp = Timestamp(1_767_225_600_000);
/// Minutes between two messages of the feed (500 000 minutes is about 347 days).
const MESSAGE_SPACING_MS: i64 = 60_000;

/// Warm-up runs and timed runs of each read.
const WARM_UP: usize = 20;
const RUNS: usize = 200;

const FIRST_NAMES: [&str; 8] = [
    "Grace", "Alan", "Ada", "Edsger", "Barbara", "Donald", "Frances", "Ken",
];
const LAST_NAMES: [&str; 8] = [
    "Hopper", "Turing", "Lovelace", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson",
];
const BODIES: [&str; 6] = [
    "Hi! The blazer you asked about is back in your size, shall I keep one aside?",
    "Thank you, I will come by on Saturday afternoon.",
    "Your alterations are ready for pickup at the store.",
    "Could you send me a picture of the green one?",
    "We are hosting a private preview of the new collection next Thursday evening.",
    "Perfect, see you then!",
];

/// splitmix64: a deterministic, well-spread hash of an index.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn index(n: usize) -> u64 {
    u64::try_from(n).expect("an index fits in 64 bits")
}

fn pick<T: Copy>(items: &[T], hash: u64) -> T {
    items[usize::try_from(hash % index(items.len())).expect("a small index")]
}

fn store(customer: usize) -> &'static str {
    STORES[customer % STORES.len()]
}

fn staff(store: &str, hash: u64) -> StaffId {
    StaffId(format!(
        "staff-{}-{:02}",
        store.trim_start_matches("store-"),
        hash % STAFF_PER_STORE
    ))
}

fn customer_id(customer: usize) -> CustomerId {
    CustomerId(format!("cust-{customer:05}"))
}

fn conversation_id(customer: usize) -> ConversationId {
    ConversationId(format!("conv-{customer:05}"))
}

/// Customer `c`, of their conversation's store and of New York: the New York clientbook
/// holds all [`CUSTOMERS`], half of them contacted there.
fn customer(c: usize) -> Customer {
    let hash = mix(index(c));
    let mut store_ids = vec![StoreId(store(c).to_owned())];
    if store(c) != STORES[0] {
        store_ids.push(StoreId(STORES[0].to_owned()));
    }
    Customer {
        id: customer_id(c),
        store_ids,
        first_name: pick(&FIRST_NAMES, hash).to_owned(),
        last_name: pick(&LAST_NAMES, hash >> 8).to_owned(),
        phone: Some(format!("+1212555{:04}", c % 10_000)),
        email: Some(format!("customer{c}@example.com")),
        assigned_staff_ids: vec![staff(store(c), hash >> 16)],
        updated_at: NOW.plus_ms(-DAY_MS),
        gender: None,
        birth_date: None,
        signed_up_at: None,
        active: true,
    }
}

/// Conversation 0 is the big one, active a minute ago; the others were last active over
/// the past year (about a third of them inside the inbox's 120 days).
fn conversation(c: usize) -> Conversation {
    let hash = mix(index(c) ^ 0xc0ffee);
    let channel = pick(&Channel::ALL, hash);
    let age = if c == 0 {
        60_000
    } else {
        i64::try_from(hash % 365).expect("days fit") * DAY_MS
    };
    let last_activity_at = NOW.plus_ms(-age);
    Conversation {
        id: conversation_id(c),
        store_id: StoreId(store(c).to_owned()),
        customer_id: customer_id(c),
        channel,
        consent: ConsentState::OptedIn,
        window_opened_at: (channel == Channel::Whatsapp).then_some(last_activity_at),
        last_activity_at,
        last_message_preview: pick(&BODIES, hash >> 8).to_owned(),
        last_message_direction: Direction::Inbound,
        unread_count: u32::try_from((hash >> 16) % 4).expect("small"),
        participant_ids: if (hash >> 24).is_multiple_of(2) {
            vec![staff(store(c), hash >> 32)]
        } else {
            Vec::new()
        },
    }
}

/// Message `m` of the feed: every 100th in the big conversation (0), every 10th from the
/// fifth in the huge one (1), the rest spread over the others; ids are random-looking like
/// the backend's UUIDs.
fn message(m: usize) -> Message {
    let hash = mix(index(m) ^ 0x5eed);
    let c = if m.is_multiple_of(BIG_CHAT_EVERY) {
        0
    } else if m % HUGE_CHAT_EVERY == HUGE_CHAT_OFFSET {
        1
    } else {
        2 + usize::try_from(hash % index(CUSTOMERS - 2)).expect("small")
    };
    let inbound = (hash >> 8).is_multiple_of(2);
    let created_at =
        NOW.plus_ms(-(i64::try_from(MESSAGES - m).expect("fits") * MESSAGE_SPACING_MS));
    let tail = mix(hash);
    Message {
        id: MessageId(format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            hash >> 32,
            (hash >> 16) & 0xffff,
            hash & 0xfff,
            tail >> 52,
            tail & 0xffff_ffff_ffff
        )),
        conversation_id: conversation_id(c),
        direction: if inbound {
            Direction::Inbound
        } else {
            Direction::Outbound
        },
        kind: MessageKind::Text,
        body: pick(&BODIES, hash >> 16).to_owned(),
        status: if inbound {
            MessageStatus::Received
        } else {
            MessageStatus::Delivered
        },
        failure_reason: None,
        author_staff_id: (!inbound).then(|| staff(store(c), hash >> 24)),
        created_at,
        updated_at: created_at.plus_ms(2_000),
    }
}

/// Change `i` of the feed (sequence number `i + 1`): customers, then conversations, then
/// messages oldest first.
fn change(i: usize) -> Change {
    let data = if i < CUSTOMERS {
        ChangeData::Customer(customer(i))
    } else if i < 2 * CUSTOMERS {
        ChangeData::Conversation(conversation(i - CUSTOMERS))
    } else {
        ChangeData::Message(message(i - 2 * CUSTOMERS))
    };
    Change {
        seq: i64::try_from(i + 1).expect("fits"),
        data,
    }
}

const FEED_LEN: usize = 2 * CUSTOMERS + MESSAGES;

/// Page `p` of the history read backwards, as the backend serves a backfill: the feed's
/// entries newest first, [`PAGE`] to a page.
fn history_page(p: usize) -> HistoryPage {
    let high = FEED_LEN - p * PAGE;
    let low = high.saturating_sub(PAGE);
    let changes: Vec<Change> = (low..high).rev().map(change).collect();
    HistoryPage {
        next_before: changes.last().map_or(0, |change| change.seq),
        covered: u32::try_from(changes.len()).unwrap_or(u32::MAX),
        covered_kinds: [(
            "message".to_owned(),
            u32::try_from(changes.len()).unwrap_or(u32::MAX),
        )]
        .into_iter()
        .collect(),
        has_more: low > 0,
        changes,
    }
}

fn pages() -> usize {
    FEED_LEN.div_ceil(PAGE)
}

fn message_count(changes: &[Change]) -> usize {
    changes
        .iter()
        .filter(|change| matches!(change.data, ChangeData::Message(_)))
        .count()
}

/// Times of a series of runs.
struct Stats {
    sorted: Vec<Duration>,
}

impl Stats {
    fn new(mut times: Vec<Duration>) -> Self {
        times.sort();
        Self { sorted: times }
    }

    fn median(&self) -> Duration {
        self.sorted[self.sorted.len() / 2]
    }

    fn p95(&self) -> Duration {
        self.sorted[(self.sorted.len() * 95).div_ceil(100) - 1]
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1_000.0
}

/// Runs `op` [`WARM_UP`] times untimed, then [`RUNS`] times timed.
async fn sample<F, Fut>(mut op: F) -> BenchResult<Stats>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = BenchResult<()>>,
{
    for _ in 0..WARM_UP {
        op().await?;
    }
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = Instant::now();
        op().await?;
        times.push(start.elapsed());
    }
    Ok(Stats::new(times))
}

fn check(ok: bool, what: &str) -> BenchResult<()> {
    if ok {
        Ok(())
    } else {
        Err(format!("sanity check failed: {what}").into())
    }
}

/// One line of the report: the app's path beside the hand-written one.
fn report(name: &str, app: &Stats, hand: &Stats, target_ms: Option<f64>) {
    let verdict = match target_ms {
        Some(target) if ms(app.p95()) <= target => format!("≤ {target} ms: met (p95)"),
        Some(target) => format!("≤ {target} ms: MISSED (p95)"),
        None => String::new(),
    };
    println!(
        "{name:<34} app median {:>8.3} ms  p95 {:>8.3} ms | hand-written median {:>8.3} ms  p95 {:>8.3} ms | ratio {:>5.2}x  {verdict}",
        ms(app.median()),
        ms(app.p95()),
        ms(hand.median()),
        ms(hand.p95()),
        ms(app.median()) / ms(hand.median()),
    );
}

/// What backfilling the whole history took.
struct Ingest {
    /// Times of the pages holding only messages, each committed.
    message_pages: Stats,
    /// The whole history.
    all: Duration,
}

impl Ingest {
    /// Messages per second over the pages holding only messages. The customers' and
    /// conversations' pages are not message ingest; [`Ingest::all`] has them.
    fn rate(&self) -> f64 {
        let message_time: Duration = self.message_pages.sorted.iter().sum();
        let messages = self.message_pages.sorted.len() * PAGE;
        index(messages) as f64 / message_time.as_secs_f64()
    }
}

/// The sign-in a backfill starts from: no conversation active yet, the whole feed to go
/// through.
fn empty_snapshot() -> Snapshot {
    Snapshot {
        cursor: i64::try_from(FEED_LEN).unwrap_or(i64::MAX),
        customers: Vec::new(),
        conversations: Vec::new(),
        messages: Vec::new(),
        tasks: Vec::new(),
        history_total: index(FEED_LEN),
        history_kinds: [("message".to_owned(), index(FEED_LEN))]
            .into_iter()
            .collect(),
        last_contacts: Vec::new(),
    }
}

fn bench_session() -> Session {
    let store = |id: &str| Store {
        id: id.into(),
        name: id.into(),
        country: "US".into(),
        channels: vec![Channel::Sms],
        clienteling_number: None,
    };
    Session {
        token: "bench".into(),
        staff: Staff {
            id: staff(STORES[0], 3),
            name: "Bench".into(),
            login: "bench".into(),
            role: Role::Associate,
            store_ids: STORES.iter().map(|s| StoreId::from(*s)).collect(),
        },
        stores: STORES.iter().map(|s| store(s)).collect(),
        expires_at: NOW.plus_ms(DAY_MS),
    }
}

/// Backfills the whole history through the app's path, page by page as the backfill
/// worker stores them (each page and its position in one transaction); answers the times
/// and the messages counted.
async fn ingest_app(copy: &LocalCopy) -> BenchResult<(Ingest, usize)> {
    copy.store_snapshot(
        &bench_session(),
        &StoreId::from(STORES[0]),
        empty_snapshot(),
        NOW,
    )
    .await?;
    let mut message_pages = Vec::new();
    let mut messages = 0;
    let mut all = Duration::ZERO;
    for p in 0..pages() {
        let page = history_page(p);
        let start = Instant::now();
        let progress = copy.store_history_page(&page, NOW).await?;
        let elapsed = start.elapsed();
        all += elapsed;
        check(
            progress.complete != page.has_more,
            "the backfill completes with its last page",
        )?;
        let count = message_count(&page.changes);
        if count == page.changes.len() {
            message_pages.push(elapsed);
            messages += count;
        }
    }
    let ingest = Ingest {
        message_pages: Stats::new(message_pages),
        all,
    };
    Ok((ingest, messages))
}

/// Inserts the same pages with hand-written multi-row INSERTs, one transaction a page.
async fn ingest_hand(copy: &LocalCopy) -> BenchResult<Ingest> {
    let mut message_pages = Vec::new();
    let mut all = Duration::ZERO;
    for p in 0..pages() {
        let page = history_page(p);
        let start = Instant::now();
        let mut tx = copy.pool().begin_with("BEGIN IMMEDIATE").await?;
        for chunk in page.changes.chunks(INSERT_ROWS) {
            insert_chunk(&mut tx, chunk).await?;
        }
        tx.commit().await?;
        let elapsed = start.elapsed();
        all += elapsed;
        if message_count(&page.changes) == page.changes.len() {
            message_pages.push(elapsed);
        }
    }
    Ok(Ingest {
        message_pages: Stats::new(message_pages),
        all,
    })
}

async fn insert_chunk(conn: &mut sqlx::SqliteConnection, chunk: &[Change]) -> BenchResult<()> {
    let customers: Vec<&Customer> = chunk
        .iter()
        .filter_map(|change| match &change.data {
            ChangeData::Customer(customer) => Some(customer),
            _ => None,
        })
        .collect();
    let conversations: Vec<&Conversation> = chunk
        .iter()
        .filter_map(|change| match &change.data {
            ChangeData::Conversation(conversation) => Some(conversation),
            _ => None,
        })
        .collect();
    let messages: Vec<&Message> = chunk
        .iter()
        .filter_map(|change| match &change.data {
            ChangeData::Message(message) => Some(message),
            _ => None,
        })
        .collect();
    if !customers.is_empty() {
        let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO customers (id, store_ids, first_name, last_name, phone, email, \
             assigned_staff_ids, updated_at) ",
        );
        insert.push_values(customers, |mut row, customer| {
            row.push_bind(customer.id.as_str())
                .push_bind(serde_json::to_string(&customer.store_ids).unwrap_or_default())
                .push_bind(&customer.first_name)
                .push_bind(&customer.last_name)
                .push_bind(&customer.phone)
                .push_bind(&customer.email)
                .push_bind(serde_json::to_string(&customer.assigned_staff_ids).unwrap_or_default())
                .push_bind(customer.updated_at.millis());
        });
        insert.build().execute(&mut *conn).await?;
    }
    if !conversations.is_empty() {
        let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO conversations (id, store_id, customer_id, channel, consent, \
             window_opened_at, last_activity_at, last_message_preview, last_message_direction, \
             unread_count, participant_ids) ",
        );
        insert.push_values(conversations, |mut row, conversation| {
            row.push_bind(conversation.id.as_str())
                .push_bind(conversation.store_id.as_str())
                .push_bind(conversation.customer_id.as_str())
                .push_bind(conversation.channel.as_str())
                .push_bind(conversation.consent.as_str())
                .push_bind(conversation.window_opened_at.map(Timestamp::millis))
                .push_bind(conversation.last_activity_at.millis())
                .push_bind(&conversation.last_message_preview)
                .push_bind(conversation.last_message_direction.as_str())
                .push_bind(conversation.unread_count)
                .push_bind(
                    serde_json::to_string(&conversation.participant_ids).unwrap_or_default(),
                );
        });
        insert.build().execute(&mut *conn).await?;
    }
    if !messages.is_empty() {
        let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO messages (id, conversation_id, direction, kind, body, status, \
             failure_reason, author_staff_id, created_at, updated_at) ",
        );
        insert.push_values(messages, |mut row, message| {
            row.push_bind(message.id.as_str())
                .push_bind(message.conversation_id.as_str())
                .push_bind(message.direction.as_str())
                .push_bind(message.kind.as_str())
                .push_bind(&message.body)
                .push_bind(message.status.as_str())
                .push_bind(&message.failure_reason)
                .push_bind(message.author_staff_id.as_ref().map(StaffId::as_str))
                .push_bind(message.created_at.millis())
                .push_bind(message.updated_at.millis());
        });
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// The hand-written inbox page: the same rows, decoded into plain tuples.
type InboxRow = (
    String,
    String,
    String,
    String,
    String,
    Option<i64>,
    i64,
    String,
    String,
    i64,
    String,
    Option<String>,
);

const HAND_INBOX_STORE: &str = "SELECT c.id, c.store_id, c.customer_id, c.channel, c.consent, \
     c.window_opened_at, c.last_activity_at, c.last_message_preview, c.last_message_direction, \
     c.unread_count, c.participant_ids, cu.first_name || ' ' || cu.last_name \
     FROM conversations c LEFT JOIN customers cu ON cu.id = c.customer_id \
     WHERE c.store_id = ?1 AND c.last_activity_at >= ?2 \
     ORDER BY c.last_activity_at DESC LIMIT ?3";

const HAND_INBOX_MINE: &str = "SELECT c.id, c.store_id, c.customer_id, c.channel, c.consent, \
     c.window_opened_at, c.last_activity_at, c.last_message_preview, c.last_message_direction, \
     c.unread_count, c.participant_ids, cu.first_name || ' ' || cu.last_name \
     FROM inbox_members m JOIN conversations c ON c.id = m.conversation_id \
     LEFT JOIN customers cu ON cu.id = c.customer_id \
     WHERE m.staff_id = ?4 AND m.store_id = ?1 AND m.last_activity_at >= ?2 \
     ORDER BY m.last_activity_at DESC LIMIT ?3";

async fn hand_inbox(
    pool: &SqlitePool,
    store: &str,
    mine: Option<&str>,
    limit: u32,
) -> BenchResult<Vec<InboxRow>> {
    let query = match mine {
        Some(_) => sqlx::query_as(HAND_INBOX_MINE),
        None => sqlx::query_as(HAND_INBOX_STORE),
    }
    .bind(store)
    .bind(inbox::active_since(NOW).millis())
    .bind(limit);
    let query = match mine {
        Some(staff) => query.bind(staff),
        None => query,
    };
    Ok(query.fetch_all(pool).await?)
}

type MessageRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
    i64,
);

/// A conversation row as the hand-written chat reads it.
type ConversationRow = (
    String,
    String,
    String,
    String,
    Option<i64>,
    i64,
    String,
    String,
    i64,
    String,
);

/// A customer row as the hand-written chat reads it.
type CustomerRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    i64,
);

/// The hand-written chat: the conversation, its customer and its latest [`CHAT_PAGE`]
/// messages (newest first) as tuples.
async fn hand_chat(
    pool: &SqlitePool,
    id: &str,
) -> BenchResult<(ConversationRow, CustomerRow, Vec<MessageRow>)> {
    let mut conn = pool.acquire().await?;
    let conversation: ConversationRow = sqlx::query_as(
        "SELECT customer_id, store_id, channel, consent, window_opened_at, last_activity_at, \
         last_message_preview, last_message_direction, unread_count, participant_ids \
         FROM conversations WHERE id = ?",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let customer: CustomerRow = sqlx::query_as(
        "SELECT id, store_ids, first_name, last_name, phone, email, assigned_staff_ids, \
         updated_at FROM customers WHERE id = ?",
    )
    .bind(&conversation.0)
    .fetch_one(&mut *conn)
    .await?;
    let messages = sqlx::query_as(
        "SELECT id, conversation_id, direction, kind, body, status, failure_reason, \
         author_staff_id, created_at, updated_at FROM messages WHERE conversation_id = ? \
         ORDER BY created_at DESC, rowid DESC LIMIT ?",
    )
    .bind(id)
    .bind(i64::try_from(CHAT_PAGE + 1)?)
    .fetch_all(&mut *conn)
    .await?;
    Ok((conversation, customer, messages))
}

/// The hand-written older page: the [`CHAT_PAGE`] messages before `before` (newest first).
async fn hand_older(
    pool: &SqlitePool,
    conversation: &str,
    before: &MessageId,
) -> BenchResult<Vec<MessageRow>> {
    Ok(sqlx::query_as(
        "SELECT id, conversation_id, direction, kind, body, status, failure_reason, \
         author_staff_id, created_at, updated_at FROM messages WHERE conversation_id = ?1 \
         AND (created_at, rowid) < (SELECT created_at, rowid FROM messages WHERE id = ?2) \
         ORDER BY created_at DESC, rowid DESC LIMIT ?3",
    )
    .bind(conversation)
    .bind(before.as_str())
    .bind(i64::try_from(CHAT_PAGE + 1)?)
    .fetch_all(pool)
    .await?)
}

async fn hand_unread(pool: &SqlitePool, store: &str) -> BenchResult<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COALESCE(SUM(unread_count), 0) FROM conversations \
         WHERE store_id = ? AND last_activity_at >= ?",
    )
    .bind(store)
    .bind(inbox::active_since(NOW).millis())
    .fetch_one(pool)
    .await?)
}

/// Sign-ins timed on the big store.
const SIGN_INS: usize = 5;
/// The big store's history, added to the demo stores of a mock backend.
const BIG_STORE: Volume = Volume {
    customers: CUSTOMERS,
    messages: MESSAGES,
};
/// A New York associate of the demo.
const AVA: &str = "ava.johnson@clienteling.demo";

/// Signs a fresh app in to a mock backend (in this process, on loopback) whose demo stores
/// hold [`BIG_STORE`], [`SIGN_INS`] times, timing sign-in to the first inbox page; then
/// times the background backfill of the last one to its end.
async fn sign_in_on_the_big_store() -> BenchResult<()> {
    let server_dir = tempfile::tempdir()?;
    let start = Instant::now();
    let server = clienteling_mock_server::spawn(ServerConfig {
        db_path: Some(server_dir.path().join("backend.db")),
        history: Some(BIG_STORE),
        simulation: SimulationConfig::quiet(),
        ..ServerConfig::default()
    })
    .await?;
    println!(
        "big store: the mock backend seeded {} customers and {} messages in {:.1} s",
        BIG_STORE.customers,
        BIG_STORE.messages,
        start.elapsed().as_secs_f64()
    );
    snapshot_served(&server.url()).await?;
    let mut times = Vec::new();
    let mut last = None;
    for run in 0..SIGN_INS {
        let dir = tempfile::tempdir()?;
        let core = Core::open(CoreConfig {
            data_dir: dir.path().to_path_buf(),
            backend_url: server.url(),
            clock: Arc::new(SystemClock),
            retry: RetryPolicy::default(),
        })
        .await?;
        let start = Instant::now();
        core.sign_in(AVA, "demo").await?;
        let inbox = core.list_inbox(InboxScope::Store).await?;
        let elapsed = start.elapsed();
        check(!inbox.items.is_empty(), "the first inbox page has rows")?;
        times.push(elapsed);
        if run + 1 < SIGN_INS {
            core.shutdown().await;
        } else {
            last = Some((core, dir, start, inbox.items.len()));
        }
    }
    let stats = Stats::new(times);
    println!(
        "sign-in to first inbox page (500 000-message store) median {:>8.1} ms  max {:>8.1} ms  ≤ 2000 ms: {}",
        ms(stats.median()),
        ms(*stats.sorted.last().unwrap_or(&Duration::ZERO)),
        if ms(stats.median()) <= 2_000.0 { "met" } else { "MISSED" }
    );
    if let Some((core, _dir, start, rows)) = last {
        let history = loop {
            let session = core
                .session()
                .await?
                .ok_or("signed out during the backfill")?;
            if session.history.complete {
                break session.history;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let elapsed = start.elapsed();
        println!(
            "backfill over loopback after sign-in ({rows} inbox rows shown at once): {} feed entries in {:.1} s, {:.0} entries/s",
            history.total,
            elapsed.as_secs_f64(),
            index(usize::try_from(history.total)?) as f64 / elapsed.as_secs_f64()
        );
        core.shutdown().await;
    }
    server.shutdown().await;
    Ok(())
}

/// Times the backend's part of a sign-in on the big store, seen from a client: the
/// password check and the snapshot served and read (`GET /snapshot`), so the app's part
/// (storing it) is the rest of the sign-in's time.
async fn snapshot_served(url: &str) -> BenchResult<()> {
    let client = reqwest::Client::new();
    let mut sign_ins = Vec::new();
    let mut snapshots = Vec::new();
    let mut size = 0;
    for _ in 0..SIGN_INS {
        let start = Instant::now();
        let session: Session = client
            .post(format!("{url}/api/v1/sessions"))
            .json(&serde_json::json!({ "login": AVA, "password": "demo" }))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        sign_ins.push(start.elapsed());
        let start = Instant::now();
        let body = client
            .get(format!("{url}/api/v1/snapshot"))
            .bearer_auth(&session.token)
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
        let snapshot: Snapshot = serde_json::from_slice(&body)?;
        snapshots.push(start.elapsed());
        check(
            !snapshot.conversations.is_empty(),
            "the snapshot has the inbox",
        )?;
        size = body.len();
    }
    let (sign_ins, snapshots) = (Stats::new(sign_ins), Stats::new(snapshots));
    println!(
        "big store, the backend's part: password checked in {:.1} ms, snapshot ({:.1} MB) served and read in {:.1} ms (medians of {SIGN_INS})",
        ms(sign_ins.median()),
        size as f64 / 1e6,
        ms(snapshots.median()),
    );
    Ok(())
}

/// Rows of a clientbook page, as the engine asks for.
const CLIENTBOOK_PAGE: u32 = 100;

/// A hand-written clientbook row: id, names, phone, email, last contact.
type ClientbookRow = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
);

/// The hand-written clientbook query: a store's customers matching `search` by the same
/// keys, most recently contacted first; answers how many rows it read (up to a page and
/// one).
async fn hand_clientbook(pool: &SqlitePool, store: &str, search: &str) -> BenchResult<usize> {
    let search = clienteling_domain::customer_search::CustomerSearch::new(search);
    let rows: Vec<ClientbookRow> = sqlx::query_as(
        "SELECT cu.id, cu.first_name, cu.last_name, cu.phone, cu.email, \
               (SELECT MAX(c.last_activity_at) FROM conversations c \
                 WHERE c.customer_id = cu.id AND c.store_id = ?1) AS contact \
             FROM customers cu \
             WHERE cu.store_ids LIKE '%\"' || ?1 || '\"%' \
               AND (?2 = '' OR cu.name_key LIKE ?3 || '%' OR cu.name_key LIKE '% ' || ?3 || '%' \
                 OR (?4 IS NOT NULL AND cu.phone_key LIKE '%' || ?4 || '%') \
                 OR instr(cu.email_key, ?2) > 0) \
             ORDER BY contact IS NULL, contact DESC LIMIT ?5",
    )
    .bind(store)
    .bind(search.email())
    .bind(search.name())
    .bind(search.digits())
    .bind(i64::from(CLIENTBOOK_PAGE) + 1)
    .fetch_all(pool)
    .await?;
    Ok(rows.len())
}

/// Customer `c`'s attribute values: a preferred size, a newsletter yes/no and a visit count.
fn attributes_of(c: usize) -> CustomerAttributes {
    let hash = mix(index(c) ^ 0xa77);
    let value = |key: &str, value: AttributeValue| CustomerAttribute {
        key: key.to_owned(),
        value,
        modified_by: None,
        modified_by_name: None,
        modified_at: NOW.plus_ms(-DAY_MS),
    };
    CustomerAttributes {
        customer_id: customer_id(c),
        values: vec![
            value(
                "preferred_size",
                AttributeValue::Choices(vec![pick(&["XS", "S", "M", "L", "XL"], hash).to_owned()]),
            ),
            value("newsletter", AttributeValue::Boolean(hash >> 8 & 1 == 1)),
            value("visits", AttributeValue::Number(((hash >> 16) % 25) as f64)),
        ],
    }
}

/// The hand-written filtered clientbook: size M or L and at least 12 visits, joined
/// straight on the values' columns.
async fn hand_filtered_clientbook(pool: &SqlitePool, store: &str) -> BenchResult<usize> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT cu.id, (SELECT MAX(c.last_activity_at) FROM conversations c \
                 WHERE c.customer_id = cu.id AND c.store_id = ?1) AS contact \
         FROM customers cu \
         JOIN customer_attributes size ON size.customer_id = cu.id AND size.key = 'preferred_size' \
         JOIN customer_attributes visits ON visits.customer_id = cu.id AND visits.key = 'visits' \
         WHERE cu.store_ids LIKE '%\"' || ?1 || '\"%' \
           AND size.txt IN ('[\"m\"]', '[\"l\"]') AND visits.num >= 12 \
         ORDER BY contact IS NULL, contact DESC LIMIT ?2",
    )
    .bind(store)
    .bind(i64::from(CLIENTBOOK_PAGE) + 1)
    .fetch_all(pool)
    .await?;
    Ok(rows.len())
}

/// Orders in the local copy: every 100th to [`BIG_SPENDER`], the others spread over the
/// customers (about 10 each).
const ORDERS: usize = 100_000;
/// Notes in the local copy, two per customer.
const NOTES: usize = 20_000;
/// The customer whose profile is opened: 1 000 orders, two notes, a conversation.
const BIG_SPENDER: usize = 2;

/// Stores `changes` (sequence numbers after the whole feed) through the backfill's path,
/// [`PAGE`] to a page; answers the time it took.
async fn store_after_feed(
    copy: &LocalCopy,
    kind: &str,
    changes: Vec<Change>,
) -> BenchResult<Duration> {
    let started = Instant::now();
    for chunk in changes.chunks(PAGE) {
        let page = HistoryPage {
            next_before: chunk.first().map_or(0, |change| change.seq),
            covered: u32::try_from(chunk.len()).unwrap_or(u32::MAX),
            covered_kinds: [(
                kind.to_owned(),
                u32::try_from(chunk.len()).unwrap_or(u32::MAX),
            )]
            .into_iter()
            .collect(),
            has_more: false,
            changes: chunk.to_vec(),
        };
        copy.store_history_page(&page, NOW).await?;
    }
    Ok(started.elapsed())
}

/// Sequence number of the `n`th change stored after the whole feed, of the `batch`th batch.
fn seq_after_feed(batch: usize, n: usize) -> i64 {
    i64::try_from(FEED_LEN + batch * 1_000_000 + n + 1).unwrap_or(i64::MAX)
}

/// Stores every customer's attribute values through the backfill's path.
async fn store_attributes(copy: &LocalCopy) -> BenchResult<()> {
    let changes: Vec<Change> = (0..CUSTOMERS)
        .map(|c| Change {
            seq: seq_after_feed(0, c),
            data: ChangeData::CustomerAttributes(attributes_of(c)),
        })
        .collect();
    let took = store_after_feed(copy, "customer_attributes", changes).await?;
    println!(
        "attribute values of {CUSTOMERS} customers stored in {:.1} ms",
        ms(took)
    );
    Ok(())
}

/// Order `o`: one or two lines, placed over the past year.
fn order(o: usize) -> Order {
    let hash = mix(index(o) ^ 0x0de5);
    let c = if o.is_multiple_of(100) {
        BIG_SPENDER
    } else {
        o % CUSTOMERS
    };
    let currency = if store(c) == STORES[0] {
        Currency::Usd
    } else {
        Currency::Gbp
    };
    let placed_at = NOW.plus_ms(-i64::try_from(hash % 365).expect("days fit") * DAY_MS);
    let lines: Vec<OrderLine> = (0..1 + hash % 2)
        .map(|l| {
            let product = (hash >> (8 + l * 8)) % 200;
            OrderLine {
                product_id: ProductId(format!("prod-{product:04}")),
                variant_id: VariantId(format!("prod-{product:04}-m-navy")),
                product_name: format!("Product {product}"),
                size: "M".to_owned(),
                colour: "Navy".to_owned(),
                quantity: 1,
                unit_price: Money::new(
                    i64::try_from(1_000 + product * 500).expect("fits"),
                    currency,
                ),
                image_url: format!("/api/v1/catalog/products/prod-{product:04}/image"),
            }
        })
        .collect();
    let total = Money::new(
        lines.iter().map(|line| line.unit_price.minor).sum(),
        currency,
    );
    Order {
        id: OrderId(format!("order-{o:06}")),
        customer_id: customer_id(c),
        store_id: StoreId(store(c).to_owned()),
        channel: if (hash >> 40).is_multiple_of(3) {
            OrderChannel::Online
        } else {
            OrderChannel::Store
        },
        status: pick(&OrderStatus::ALL, hash >> 44),
        placed_at,
        updated_at: placed_at,
        lines,
        total,
    }
}

/// Note `n`, on customer `n % CUSTOMERS`; their first one is pinned.
fn note(n: usize) -> Note {
    let hash = mix(index(n) ^ 0x707e);
    let c = n % CUSTOMERS;
    let created_at = NOW.plus_ms(-i64::try_from(hash % 365).expect("days fit") * DAY_MS);
    Note {
        id: NoteId(format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            hash >> 32,
            (hash >> 16) & 0xffff,
            hash & 0xfff,
            (hash >> 4) & 0xfff,
            mix(hash) & 0xffff_ffff_ffff
        )),
        customer_id: customer_id(c),
        author_staff_id: staff(store(c), hash >> 8),
        author_name: "Bench Associate".to_owned(),
        body: pick(&BODIES, hash >> 16).to_owned(),
        pinned: n < CUSTOMERS,
        created_at,
        updated_at: created_at,
        deleted: false,
    }
}

/// Stores [`ORDERS`] orders and [`NOTES`] notes through the backfill's path.
async fn store_purchases_and_notes(copy: &LocalCopy) -> BenchResult<()> {
    let orders: Vec<Change> = (0..ORDERS)
        .map(|o| Change {
            seq: seq_after_feed(1, o),
            data: ChangeData::Order(order(o)),
        })
        .collect();
    let took = store_after_feed(copy, "order", orders).await?;
    println!("{ORDERS} orders stored in {:.1} s", took.as_secs_f64());
    let notes: Vec<Change> = (0..NOTES)
        .map(|n| Change {
            seq: seq_after_feed(2, n),
            data: ChangeData::Note(note(n)),
        })
        .collect();
    let took = store_after_feed(copy, "note", notes).await?;
    println!("{NOTES} notes stored in {:.1} s", took.as_secs_f64());
    Ok(())
}

/// The hand-written profile: the customer, their conversations, notes, latest orders with
/// their lines in one join, order count, wishlist, recommendations and star; answers how
/// many orders and notes it read.
async fn hand_profile(pool: &SqlitePool, id: &str) -> BenchResult<(usize, usize)> {
    let mut conn = pool.acquire().await?;
    sqlx::query(
        "SELECT id, store_ids, first_name, last_name, phone, email, assigned_staff_ids, \
         updated_at FROM customers WHERE id = ?",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "SELECT id, store_id, channel, consent, window_opened_at, last_activity_at, \
         last_message_preview, last_message_direction, unread_count, participant_ids \
         FROM conversations WHERE customer_id = ? ORDER BY last_activity_at DESC, id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let notes = sqlx::query("SELECT shown, confirmed FROM notes WHERE customer_id = ?")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    let lines: Vec<(String,)> = sqlx::query_as(
        "SELECT o.id, o.store_id, o.channel, o.status, o.currency, o.total_minor, o.placed_at, \
           o.updated_at, l.product_id, l.variant_id, l.product_name, l.size, l.colour, \
           l.quantity, l.unit_price_minor, l.image_url \
         FROM (SELECT * FROM orders WHERE customer_id = ?1 \
               ORDER BY placed_at DESC, id DESC LIMIT ?2) o \
         LEFT JOIN order_lines l ON l.order_id = o.id \
         ORDER BY o.placed_at DESC, o.id DESC, l.position",
    )
    .bind(id)
    .bind(i64::from(clienteling_domain::view::PROFILE_ORDERS))
    .fetch_all(&mut *conn)
    .await?;
    let mut orders: Vec<&str> = lines.iter().map(|line| line.0.as_str()).collect();
    orders.dedup();
    sqlx::query("SELECT COUNT(*) FROM orders WHERE customer_id = ?")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    sqlx::query(
        "SELECT id, product_id, variant_id, product_name, variant_label, currency, \
         price_minor, image_url, added_at FROM wishlist_items WHERE customer_id = ? \
         ORDER BY added_at DESC, id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    sqlx::query(
        "SELECT recommendation FROM recommendations WHERE customer_id = ? ORDER BY position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    sqlx::query("SELECT starred FROM customer_stars WHERE customer_id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok((orders.len(), notes.len()))
}

/// Times opening the big spender's profile beside the hand-written reads.
async fn open_profile(copy: &LocalCopy) -> BenchResult<()> {
    let id = customer_id(BIG_SPENDER);
    let staff = bench_session().staff;
    let nyc = StoreId::from(STORES[0]);
    let profile = copy.customer_profile(&id, &nyc, &staff).await?;
    let (orders, notes) = hand_profile(copy.pool(), id.as_str()).await?;
    check(
        profile.orders.len() == orders
            && orders == clienteling_domain::view::PROFILE_ORDERS as usize
            && profile.order_count > 1_000
            && profile.notes.len() == notes
            && notes == NOTES / CUSTOMERS,
        "both paths read the same latest orders and notes of the big spender",
    )?;
    let app = sample(|| async {
        copy.customer_profile(&id, &nyc, &staff).await?;
        Ok(())
    })
    .await?;
    let hand_stats = sample(|| async {
        hand_profile(copy.pool(), id.as_str()).await?;
        Ok(())
    })
    .await?;
    report(
        &format!(
            "open a profile ({} orders, {} notes)",
            profile.order_count,
            profile.notes.len()
        ),
        &app,
        &hand_stats,
        Some(20.0),
    );
    Ok(())
}

/// Times the clientbook filtered on two attributes (C5) beside the hand-written query.
async fn filter_on_two_attributes(copy: &LocalCopy, nyc: &StoreId) -> BenchResult<()> {
    let filters = [
        AttributeCondition {
            key: "preferred_size".into(),
            filter: AttributeFilter::AnyOf(vec!["M".into(), "L".into()]),
        },
        AttributeCondition {
            key: "visits".into(),
            filter: AttributeFilter::NumberCompare {
                op: Comparison::Ge,
                value: 12.0,
            },
        },
    ];
    let (rows, _) = copy
        .customer_rows(nyc, None, "", &filters, CLIENTBOOK_PAGE)
        .await?;
    let hand_rows = hand_filtered_clientbook(copy.pool(), STORES[0]).await?;
    check(
        !rows.is_empty() && rows.len() == hand_rows.min(CLIENTBOOK_PAGE as usize),
        "both paths find the same number of filtered customers",
    )?;
    let app = sample(|| async {
        copy.customer_rows(nyc, None, "", &filters, CLIENTBOOK_PAGE)
            .await?;
        Ok(())
    })
    .await?;
    let hand_stats = sample(|| async {
        hand_filtered_clientbook(copy.pool(), STORES[0]).await?;
        Ok(())
    })
    .await?;
    report(
        &format!("filter on two attributes ({} rows)", rows.len()),
        &app,
        &hand_stats,
        Some(10.0),
    );
    Ok(())
}

/// Products a search as you type shows at once.
const CATALOG_RESULTS: u32 = 50;
/// Variants the catalog searched holds at least (issue "Catalog": 5 000).
const CATALOG_VARIANTS: usize = 5_000;

/// The catalog benchmark: stores the demo catalog (at least [`CATALOG_VARIANTS`]
/// variants) through the sync's real path, then times the search as you type — one, two
/// and three letters, a word, a SKU and a scanned EAN-13 — beside a hand-written `LIKE`
/// query over the same tables, both decoding the products.
async fn search_the_catalog() -> BenchResult<()> {
    let dir = tempfile::tempdir()?;
    let copy = LocalCopy::open(dir.path()).await?;
    let products = clienteling_mock_server::demo::catalog::generate(42);
    let variants: usize = products.iter().map(|p| p.variants.len()).sum();
    check(
        variants >= CATALOG_VARIANTS,
        "the demo catalog holds at least 5 000 variants",
    )?;
    let changes: Vec<Change> = products
        .iter()
        .zip(1..)
        .map(|(p, seq)| Change {
            seq,
            data: ChangeData::Product(p.clone()),
        })
        .collect();
    let started = Instant::now();
    for page in changes.chunks(PAGE) {
        copy.store_catalog(page).await?;
    }
    println!(
        "catalog: {} products, {variants} variants stored through the sync path in {:.0} ms",
        products.len(),
        ms(started.elapsed())
    );
    let sample_variant = &products[42].variants[1];
    let scanned = sample_variant
        .gtin
        .ean13()
        .ok_or("the demo barcodes are EAN-13")?
        .to_owned();
    let sku = sample_variant.sku.clone();
    let pool = copy.pool();
    for (label, typed) in [
        ("1 letter", "c"),
        ("2 letters", "ca"),
        ("3 letters", "cas"),
        ("a word", "cashmere"),
        ("a SKU", sku.as_str()),
        ("a scanned EAN-13", scanned.as_str()),
    ] {
        let found = copy.search_products(typed, CATALOG_RESULTS).await?;
        let hand_found = hand_catalog(pool, typed).await?;
        check(!found.is_empty(), "the search finds products")?;
        check(
            found.len() == hand_found.len(),
            "both paths find as many products",
        )?;
        let app = sample(|| async {
            copy.search_products(typed, CATALOG_RESULTS).await?;
            Ok(())
        })
        .await?;
        let hand_stats = sample(|| async {
            hand_catalog(pool, typed).await?;
            Ok(())
        })
        .await?;
        report(
            &format!("catalog search, {label} ({} found)", found.len()),
            &app,
            &hand_stats,
            Some(10.0),
        );
    }
    copy.close().await;
    Ok(())
}

/// The hand-written catalog search: a barcode by its GTIN-14, other text by `LIKE` on the
/// name's words, the category, the colours and the SKUs, decoding the products it finds.
async fn hand_catalog(pool: &SqlitePool, typed: &str) -> BenchResult<Vec<Product>> {
    let rows: Vec<String> = if let Ok(gtin) = Gtin::parse(typed) {
        sqlx::query_scalar(
            "SELECT p.product FROM variants v JOIN products p ON p.id = v.product_id \
             WHERE v.gtin = ?1 LIMIT ?2",
        )
        .bind(gtin.as_str())
        .bind(i64::from(CATALOG_RESULTS))
        .fetch_all(pool)
        .await?
    } else {
        sqlx::query_scalar(
            "SELECT p.product FROM products p \
             WHERE p.name LIKE ?1 || '%' OR p.name LIKE '% ' || ?1 || '%' \
                OR p.category LIKE ?1 || '%' \
                OR EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id \
                           AND (v.colour LIKE ?1 || '%' OR v.sku LIKE ?1 || '%')) \
             ORDER BY p.name LIMIT ?2",
        )
        .bind(typed)
        .bind(i64::from(CATALOG_RESULTS))
        .fetch_all(pool)
        .await?
    };
    Ok(rows
        .iter()
        .map(|json| serde_json::from_str(json))
        .collect::<Result<_, _>>()?)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> BenchResult<()> {
    if std::env::args().any(|arg| arg == "catalog") {
        return search_the_catalog().await;
    }
    sign_in_on_the_big_store().await?;
    if std::env::args().any(|arg| arg == "sign-in") {
        // `cargo bench --bench local_copy -- sign-in`: the big store's sign-in only.
        return Ok(());
    }
    let app_dir = tempfile::tempdir()?;
    let hand_dir = tempfile::tempdir()?;
    let copy = LocalCopy::open(app_dir.path()).await?;
    let hand = LocalCopy::open(hand_dir.path()).await?;

    println!(
        "local copy: {CUSTOMERS} customers, {CUSTOMERS} conversations, {MESSAGES} messages \
         ({} in the big conversation), pages of {PAGE} changes",
        MESSAGES / BIG_CHAT_EVERY
    );

    let (app_ingest, messages) = ingest_app(&copy).await?;
    let hand_ingest = ingest_hand(&hand).await?;
    check(messages == MESSAGES, "every message page was counted")?;
    let describe = |ingest: &Ingest| {
        format!(
            "{:>7.0} msg/s (message page median {:.1} ms, p95 {:.1} ms; whole history {:.1} s)",
            ingest.rate(),
            ms(ingest.message_pages.median()),
            ms(ingest.message_pages.p95()),
            ingest.all.as_secs_f64(),
        )
    };
    let throughput = app_ingest.rate() / hand_ingest.rate();
    println!(
        "backfill app {} | hand-written {} | app/hand {throughput:.2}x  ≥ 0.8x: {}",
        describe(&app_ingest),
        describe(&hand_ingest),
        if throughput >= 0.8 { "met" } else { "MISSED" },
    );
    hand.close().await;

    let pool = copy.pool();
    let nyc = StoreId(STORES[0].to_owned());
    let ava = staff(STORES[0], 3);

    let app_page = copy.inbox_page(&nyc, None, NOW, INBOX_LIMIT).await?;
    let hand_page = hand_inbox(pool, STORES[0], None, INBOX_LIMIT).await?;
    check(
        app_page.len() == usize::try_from(INBOX_LIMIT)? && app_page.len() == hand_page.len(),
        "the store inbox page is full on both paths",
    )?;
    let app = sample(|| async {
        copy.inbox_page(&nyc, None, NOW, INBOX_LIMIT).await?;
        Ok(())
    })
    .await?;
    let hand_stats = sample(|| async {
        hand_inbox(pool, STORES[0], None, INBOX_LIMIT).await?;
        Ok(())
    })
    .await?;
    report(
        "first inbox page (store, 200 rows)",
        &app,
        &hand_stats,
        Some(5.0),
    );

    let app_mine = copy.inbox_page(&nyc, Some(&ava), NOW, INBOX_LIMIT).await?;
    let hand_mine = hand_inbox(pool, STORES[0], Some(ava.as_str()), INBOX_LIMIT).await?;
    check(
        !app_mine.is_empty() && app_mine.len() == hand_mine.len(),
        "My Inbox lists the same rows on both paths",
    )?;
    let app = sample(|| async {
        copy.inbox_page(&nyc, Some(&ava), NOW, INBOX_LIMIT).await?;
        Ok(())
    })
    .await?;
    let hand_stats = sample(|| async {
        hand_inbox(pool, STORES[0], Some(ava.as_str()), INBOX_LIMIT).await?;
        Ok(())
    })
    .await?;
    report(
        &format!("first inbox page (mine, {} rows)", app_mine.len()),
        &app,
        &hand_stats,
        Some(5.0),
    );

    let mut opened = Vec::new();
    for (c, size) in [
        (0, MESSAGES / BIG_CHAT_EVERY),
        (1, MESSAGES / HUGE_CHAT_EVERY),
    ] {
        let id = conversation_id(c);
        let chat = copy.chat(&id).await?;
        let hand_messages = hand_chat(pool, id.as_str()).await?;
        check(
            chat.messages.len() == CHAT_PAGE
                && chat.has_older
                && hand_messages.2.len() == CHAT_PAGE + 1
                && chat.messages.last().map(|m| m.id.as_str())
                    == hand_messages.2.first().map(|row| row.0.as_str()),
            "opening a long chat reads the same latest page on both paths",
        )?;
        let app = sample(|| async {
            copy.chat(&id).await?;
            Ok(())
        })
        .await?;
        let hand_stats = sample(|| async {
            hand_chat(pool, id.as_str()).await?;
            Ok(())
        })
        .await?;
        report(
            &format!("open chat ({size} messages)"),
            &app,
            &hand_stats,
            Some(2.0),
        );
        opened.push(app);
    }
    let growth = ms(opened[1].median()) / ms(opened[0].median());
    println!(
        "open chat, 50 000 ÷ 5 000 messages: {growth:.2}x (median)  ≤ 1.5x: {}",
        if growth <= 1.5 { "met" } else { "MISSED" }
    );

    let huge = conversation_id(1);
    let middle = message(MESSAGES / 2 + HUGE_CHAT_OFFSET);
    check(
        middle.conversation_id == huge,
        "the message in the middle belongs to the huge conversation",
    )?;
    let older = copy.messages_before(&huge, &middle.id).await?;
    let hand_page = hand_older(pool, huge.as_str(), &middle.id).await?;
    check(
        older.messages.len() == CHAT_PAGE
            && older.has_older
            && older.messages.last().map(|m| m.id.as_str())
                == hand_page.first().map(|row| row.0.as_str()),
        "an older page in the middle of the huge chat is the same on both paths",
    )?;
    let app = sample(|| async {
        copy.messages_before(&huge, &middle.id).await?;
        Ok(())
    })
    .await?;
    let hand_stats = sample(|| async {
        hand_older(pool, huge.as_str(), &middle.id).await?;
        Ok(())
    })
    .await?;
    report(
        "older page (middle of 50 000)",
        &app,
        &hand_stats,
        Some(2.0),
    );

    let total = copy.unread_total(&nyc, NOW).await?;
    check(
        i64::from(total) == hand_unread(pool, STORES[0]).await?,
        "both paths count the same unread total",
    )?;
    let app = sample(|| async {
        copy.unread_total(&nyc, NOW).await?;
        Ok(())
    })
    .await?;
    let hand_stats = sample(|| async {
        hand_unread(pool, STORES[0]).await?;
        Ok(())
    })
    .await?;
    report(&format!("unread total ({total})"), &app, &hand_stats, None);

    store_attributes(&copy).await?;
    store_purchases_and_notes(&copy).await?;
    for (label, search) in [
        ("clientbook, first page (store)", ""),
        ("clientbook search, 3-letter name", "hop"),
        ("clientbook search, phone digits", "555 0124"),
        ("clientbook search, email", "customer4242@"),
    ] {
        let (rows, _) = copy
            .customer_rows(&nyc, None, search, &[], CLIENTBOOK_PAGE)
            .await?;
        let hand_rows = hand_clientbook(pool, STORES[0], search).await?;
        check(
            !rows.is_empty() && rows.len() == hand_rows.min(CLIENTBOOK_PAGE as usize),
            "both paths find the same number of customers",
        )?;
        let app = sample(|| async {
            copy.customer_rows(&nyc, None, search, &[], CLIENTBOOK_PAGE)
                .await?;
            Ok(())
        })
        .await?;
        let hand_stats = sample(|| async {
            hand_clientbook(pool, STORES[0], search).await?;
            Ok(())
        })
        .await?;
        report(
            &format!("{label} ({} rows)", rows.len()),
            &app,
            &hand_stats,
            Some(10.0),
        );
    }

    filter_on_two_attributes(&copy, &nyc).await?;
    open_profile(&copy).await?;

    copy.close().await;
    search_the_catalog().await
}
