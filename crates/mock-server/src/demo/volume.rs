//! A store with a year of history, for benchmarks and for trying the app on a big store:
//! adds generated customers (one SMS conversation each, opted in) and a long run of
//! messages evenly spread over the last [`SPAN_DAYS`] days to the demo stores, with every entity in the
//! change log in the order it happened — as a real store's feed would hold them. Written
//! with multi-row inserts in one transaction, so half a million messages take seconds.

use clienteling_domain::preview::message_preview;
use clienteling_domain::time::{DAY_MS, MINUTE_MS};
use clienteling_domain::{Direction, Timestamp};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};

use super::lines::{FIRST_NAMES, LAST_NAMES};
use super::{STORE_LON, STORE_NYC};
use crate::changes::Entity;
use crate::error::ServerError;
use crate::random::SplitMix64;

/// How much history to add.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Volume {
    /// Customers to add, each with one conversation (split between the demo stores).
    pub customers: usize,
    /// Messages to add across their conversations.
    pub messages: usize,
}

/// How far back the added history goes.
pub const SPAN_DAYS: i64 = 365;
/// Rows per multi-row insert (SQLite allows 32 766 bound values).
const ROWS_PER_INSERT: usize = 500;
/// How many neighbouring customers share the messages of a moment.
const BURST_SPREAD: usize = 40;
/// Every this many messages one goes to the first conversation, giving one very long chat.
const LONG_CHAT_EVERY: usize = 20;

const BODIES: [&str; 6] = [
    "Hi! The blazer you asked about is back in your size, shall I keep one aside?",
    "Thank you, I will come by on Saturday afternoon.",
    "Your alterations are ready for pickup at the store.",
    "Could you send me a picture of the green one?",
    "We are hosting a private preview of the new collection next Thursday evening.",
    "Perfect, see you then!",
];

/// The id of the `n`th added conversation (the first is the long chat).
pub fn conversation_id(n: usize) -> String {
    format!("hist-conv-{n:06}")
}

fn customer_id(n: usize) -> String {
    format!("hist-cust-{n:06}")
}

fn store_of(customer: usize) -> &'static str {
    if customer % 3 == 2 {
        STORE_LON
    } else {
        STORE_NYC
    }
}

/// A random index below `len`.
fn rng_index(rng: &mut SplitMix64, len: usize) -> usize {
    usize::try_from(rng.below(len as u64)).unwrap_or(0)
}

/// One generated message: its conversation, direction, body and time.
struct Line {
    customer: usize,
    direction: Direction,
    body: &'static str,
    at: Timestamp,
}

fn line(rng: &mut SplitMix64, m: usize, volume: Volume, now: Timestamp) -> Line {
    // Conversations come and go as real ones do: the messages of a time go to the
    // customers around its place in the timeline, so each chat is a burst of a few weeks
    // and only the recent ones are in the inbox window.
    let customer = if m.is_multiple_of(LONG_CHAT_EVERY) {
        0
    } else {
        let place = m * volume.customers / volume.messages.max(1);
        let offset = usize::try_from(rng.below(BURST_SPREAD as u64)).unwrap_or(0);
        (place + offset)
            .saturating_sub(BURST_SPREAD / 2)
            .min(volume.customers - 1)
    };
    let back = i64::try_from(volume.messages - m).unwrap_or(i64::MAX);
    let spacing = SPAN_DAYS * DAY_MS / i64::try_from(volume.messages.max(1)).unwrap_or(i64::MAX);
    Line {
        customer,
        direction: if rng.chance(0.5) {
            Direction::Inbound
        } else {
            Direction::Outbound
        },
        body: BODIES[rng_index(rng, BODIES.len())],
        at: now.plus_ms(-back.saturating_mul(spacing.max(1))),
    }
}

/// Adds `volume` of history to a database holding the demo stores and staff, unless it
/// has it already (answers whether it added it). Deterministic for a seed.
pub async fn add_if_missing(
    pool: &SqlitePool,
    volume: Volume,
    seed: u64,
    now: Timestamp,
) -> Result<bool, ServerError> {
    if volume.customers == 0 {
        return Ok(false);
    }
    let mut tx = pool.begin().await?;
    let present: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE id = ?")
        .bind(customer_id(0))
        .fetch_one(&mut *tx)
        .await?;
    if present > 0 {
        return Ok(false);
    }
    let authors = authors(&mut tx).await?;
    let oldest = now.plus_ms(-(SPAN_DAYS * DAY_MS + MINUTE_MS));
    insert_customers(&mut tx, volume, seed, oldest).await?;

    // The conversations' final rows come from their last messages: a first pass finds
    // them, the second writes the messages and their markers in time order.
    let mut last: Vec<Option<(Direction, &'static str, Timestamp)>> = vec![None; volume.customers];
    let mut rng = SplitMix64::new(seed);
    for m in 0..volume.messages {
        let line = line(&mut rng, m, volume, now);
        last[line.customer] = Some((line.direction, line.body, line.at));
    }
    insert_conversations(&mut tx, &last, oldest).await?;

    let mut rng = SplitMix64::new(seed);
    let mut start = 0;
    while start < volume.messages {
        let end = (start + ROWS_PER_INSERT).min(volume.messages);
        let lines: Vec<(usize, Line)> = (start..end)
            .map(|m| (m, line(&mut rng, m, volume, now)))
            .collect();
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO messages (id, conversation_id, direction, kind, body, status, author_staff_id, created_at, updated_at) ",
        );
        insert.push_values(&lines, |mut row, (m, line)| {
            let author = (line.direction == Direction::Outbound)
                .then(|| authors_of(&authors, store_of(line.customer)));
            row.push_bind(format!("hist-msg-{m:07}"))
                .push_bind(conversation_id(line.customer))
                .push_bind(line.direction.as_str())
                .push_bind("text")
                .push_bind(line.body)
                .push_bind(if line.direction == Direction::Inbound {
                    "received"
                } else {
                    "delivered"
                })
                .push_bind(author)
                .push_bind(line.at.0)
                .push_bind(line.at.0);
        });
        insert.build().execute(&mut *tx).await?;
        let mut markers = QueryBuilder::<Sqlite>::new(
            "INSERT INTO changes (store_id, staff_id, entity, entity_id) ",
        );
        markers.push_values(&lines, |mut row, (m, line)| {
            row.push_bind(store_of(line.customer))
                .push_bind(None::<String>)
                .push_bind(Entity::Message.as_str())
                .push_bind(format!("hist-msg-{m:07}"));
        });
        markers.build().execute(&mut *tx).await?;
        start = end;
    }
    // Each conversation's row changed with its last message: its latest marker comes last.
    let all: Vec<usize> = (0..volume.customers).collect();
    for chunk in all.chunks(ROWS_PER_INSERT) {
        let mut markers = QueryBuilder::<Sqlite>::new(
            "INSERT INTO changes (store_id, staff_id, entity, entity_id) ",
        );
        markers.push_values(chunk, |mut row, c| {
            row.push_bind(store_of(*c))
                .push_bind(None::<String>)
                .push_bind(Entity::Conversation.as_str())
                .push_bind(conversation_id(*c));
        });
        markers.build().execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Each demo store's staff, who write the outbound messages.
async fn authors(conn: &mut SqliteConnection) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT store_id, staff_id FROM staff_stores ORDER BY store_id, staff_id")
        .fetch_all(conn)
        .await
}

fn authors_of(authors: &[(String, String)], store: &str) -> Option<String> {
    authors
        .iter()
        .find(|(store_id, _)| store_id == store)
        .map(|(_, staff_id)| staff_id.clone())
}

async fn insert_customers(
    conn: &mut SqliteConnection,
    volume: Volume,
    seed: u64,
    at: Timestamp,
) -> Result<(), sqlx::Error> {
    let mut rng = SplitMix64::new(seed ^ 0x5eed);
    let customers: Vec<(usize, &str, &str)> = (0..volume.customers)
        .map(|c| (c, *rng.pick(FIRST_NAMES), *rng.pick(LAST_NAMES)))
        .collect();
    for chunk in customers.chunks(ROWS_PER_INSERT) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO customers (id, signup_store_id, first_name, last_name, phone, email, updated_at) ",
        );
        insert.push_values(chunk, |mut row, (c, first, last)| {
            row.push_bind(customer_id(*c))
                .push_bind(store_of(*c))
                .push_bind(*first)
                .push_bind(*last)
                .push_bind(format!("+1212{:07}", 5_000_000 + c))
                .push_bind(None::<String>)
                .push_bind(at.0);
        });
        insert.build().execute(&mut *conn).await?;
        let mut known =
            QueryBuilder::<Sqlite>::new("INSERT INTO customer_stores (customer_id, store_id) ");
        known.push_values(chunk, |mut row, (c, _, _)| {
            row.push_bind(customer_id(*c)).push_bind(store_of(*c));
        });
        known.build().execute(&mut *conn).await?;
        let mut consents = QueryBuilder::<Sqlite>::new(
            "INSERT INTO consents (customer_id, store_id, state, updated_at) ",
        );
        consents.push_values(chunk, |mut row, (c, _, _)| {
            row.push_bind(customer_id(*c))
                .push_bind(store_of(*c))
                .push_bind("opted_in")
                .push_bind(at.0);
        });
        consents.build().execute(&mut *conn).await?;
        let mut markers = QueryBuilder::<Sqlite>::new(
            "INSERT INTO changes (store_id, staff_id, entity, entity_id) ",
        );
        markers.push_values(chunk, |mut row, (c, _, _)| {
            row.push_bind(store_of(*c))
                .push_bind(None::<String>)
                .push_bind(Entity::Customer.as_str())
                .push_bind(customer_id(*c));
        });
        markers.build().execute(&mut *conn).await?;
    }
    Ok(())
}

async fn insert_conversations(
    conn: &mut SqliteConnection,
    last: &[Option<(Direction, &'static str, Timestamp)>],
    oldest: Timestamp,
) -> Result<(), sqlx::Error> {
    let rows: Vec<(usize, Direction, String, Timestamp)> = last
        .iter()
        .enumerate()
        .map(|(c, last)| match last {
            Some((direction, body, at)) => (c, *direction, message_preview(body), *at),
            None => (c, Direction::Outbound, String::new(), oldest),
        })
        .collect();
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO conversations (id, store_id, customer_id, channel, window_opened_at, last_activity_at, last_message_preview, last_message_direction) ",
        );
        insert.push_values(chunk, |mut row, (c, direction, preview, at)| {
            row.push_bind(conversation_id(*c))
                .push_bind(store_of(*c))
                .push_bind(customer_id(*c))
                .push_bind("sms")
                .push_bind(None::<i64>)
                .push_bind(at.0)
                .push_bind(preview.clone())
                .push_bind(direction.as_str());
        });
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}
