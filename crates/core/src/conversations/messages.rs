//! The `messages` table, and how a status reported by the backend merges with the stored
//! one (never backwards, M10).

use clienteling_domain::api::Message;
use clienteling_domain::view::MessagePage;
use clienteling_domain::{
    ConversationId, Direction, MessageId, MessageKind, MessageStatus, StaffId, Timestamp,
};
use std::collections::HashMap;

use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use crate::columns::{from_json, parse_name, to_json};
use crate::error::CoreError;

/// Messages per upsert statement: 10 bound values each, well under SQLite's 32 766.
const UPSERT_ROWS: usize = 1_000;

const COLUMNS: &str = "id, conversation_id, direction, kind, body, status, failure_reason, \
     author_staff_id, created_at, updated_at";

/// One message.
pub async fn get(
    conn: &mut SqliteConnection,
    id: &MessageId,
) -> Result<Option<Message>, CoreError> {
    let sql = format!("SELECT {COLUMNS} FROM messages WHERE id = ?");
    let row = sqlx::query(&sql)
        .bind(id.as_str())
        .fetch_optional(conn)
        .await?;
    row.map(|row| decode(&row)).transpose()
}

/// Messages a chat page holds: opening a conversation reads the latest page, scrolling up
/// reads the page before the oldest one shown, so the cost of a chat does not grow with
/// its history.
pub const CHAT_PAGE: u32 = 80;

/// The latest `limit` messages of a conversation, oldest first, and whether older ones
/// exist.
pub async fn latest_page(
    conn: &mut SqliteConnection,
    conversation_id: &ConversationId,
    limit: u32,
) -> Result<MessagePage, CoreError> {
    page(conn, conversation_id, None, limit).await
}

/// The `limit` messages of a conversation just before `before` (in chat order), oldest
/// first, and whether older ones exist; [`CoreError::UnknownMessage`] when `before` is not
/// one of the conversation's messages.
pub async fn page_before(
    conn: &mut SqliteConnection,
    conversation_id: &ConversationId,
    before: &MessageId,
    limit: u32,
) -> Result<MessagePage, CoreError> {
    let position: Option<(i64, i64)> = sqlx::query_as(
        "SELECT created_at, rowid FROM messages WHERE id = ? AND conversation_id = ?",
    )
    .bind(before.as_str())
    .bind(conversation_id.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let position = position.ok_or_else(|| CoreError::UnknownMessage(before.to_string()))?;
    page(conn, conversation_id, Some(position), limit).await
}

/// A page by keyset on the chat order (created_at, rowid), read backwards along the
/// (conversation, time) index (whose entries end with the rowid) and one row further than
/// asked to learn whether older messages exist (that oldest row is left out). SQLite hands
/// the page over as one JSON array, so it crosses from the database thread in one piece
/// instead of row by row.
async fn page(
    conn: &mut SqliteConnection,
    conversation_id: &ConversationId,
    before: Option<(i64, i64)>,
    limit: u32,
) -> Result<MessagePage, CoreError> {
    let (before_time, before_row) = before.unwrap_or((i64::MAX, i64::MAX));
    let json: String = sqlx::query_scalar(
        "SELECT json_group_array(json_array(id, conversation_id, direction, kind, body, status, \
         failure_reason, author_staff_id, created_at, updated_at) ORDER BY created_at, seq) FROM \
         (SELECT *, rowid AS seq FROM messages WHERE conversation_id = ?1 \
          AND (created_at, rowid) < (?2, ?3) \
          ORDER BY created_at DESC, rowid DESC LIMIT ?4)",
    )
    .bind(conversation_id.as_str())
    .bind(before_time)
    .bind(before_row)
    .bind(i64::from(limit) + 1)
    .fetch_one(conn)
    .await?;
    let rows: Vec<ListedRow> = from_json("messages", &json)?;
    let has_older = rows.len() > limit as usize;
    let messages = rows
        .into_iter()
        .skip(usize::from(has_older))
        .map(decode_listed)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(MessagePage {
        messages,
        has_older,
    })
}

/// A message as the JSON reads ([`page`], [`merge_page_from_backend`]) carry it: its
/// columns in [`COLUMNS`] order.
type ListedRow = (
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

fn decode_listed(row: ListedRow) -> Result<Message, CoreError> {
    let (
        id,
        conversation_id,
        direction,
        kind,
        body,
        status,
        failure_reason,
        author,
        created,
        updated,
    ) = row;
    Ok(Message {
        id: MessageId(id),
        conversation_id: ConversationId(conversation_id),
        direction: parse_name("messages.direction", &direction, Direction::parse)?,
        kind: parse_name("messages.kind", &kind, MessageKind::parse)?,
        body,
        status: parse_name("messages.status", &status, MessageStatus::parse)?,
        failure_reason,
        author_staff_id: author.map(StaffId),
        created_at: Timestamp(created),
        updated_at: Timestamp(updated),
    })
}

/// Writes a message, updating the stored one with the same id in place (its outbox rows
/// stay).
pub async fn save(conn: &mut SqliteConnection, message: &Message) -> Result<(), CoreError> {
    upsert(conn, std::slice::from_ref(message)).await
}

/// Writes messages, [`UPSERT_ROWS`] to a statement, each updating the stored one with the
/// same id in place.
async fn upsert(conn: &mut SqliteConnection, messages: &[Message]) -> Result<(), CoreError> {
    for chunk in messages.chunks(UPSERT_ROWS) {
        let mut upsert: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO messages (id, conversation_id, direction, kind, body, status, \
             failure_reason, author_staff_id, created_at, updated_at) ",
        );
        upsert.push_values(chunk, |mut row, message| {
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
        upsert.push(
            " ON CONFLICT (id) DO UPDATE SET conversation_id = excluded.conversation_id, \
             direction = excluded.direction, kind = excluded.kind, body = excluded.body, \
             status = excluded.status, failure_reason = excluded.failure_reason, \
             author_staff_id = excluded.author_staff_id, created_at = excluded.created_at, \
             updated_at = excluded.updated_at",
        );
        upsert.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// What storing a message from the backend did.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The message as now stored.
    pub message: Message,
    /// Whether this device had not seen it before.
    pub is_new: bool,
}

/// Stores a message as the backend reports it, keeping the stored status when the
/// reported one is older in the lifecycle ([`MessageStatus::advance`]).
pub async fn merge_from_backend(
    conn: &mut SqliteConnection,
    incoming: &Message,
) -> Result<Merged, CoreError> {
    let mut merged = merge_page_from_backend(conn, std::slice::from_ref(incoming)).await?;
    merged
        .pop()
        .ok_or_else(|| CoreError::Corrupt("messages: a merged message went missing".into()))
}

/// [`merge_from_backend`] for a whole page at once: one read of the stored versions
/// (through a JSON array of ids) and multi-row upserts of [`UPSERT_ROWS`] messages, so a
/// sync page does not pay a round trip to the database thread per message. Answers one
/// [`Merged`] per incoming message, in order; a message repeated in the page merges with
/// its earlier version.
pub async fn merge_page_from_backend(
    conn: &mut SqliteConnection,
    incoming: &[Message],
) -> Result<Vec<Merged>, CoreError> {
    if incoming.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<&str> = incoming.iter().map(|m| m.id.as_str()).collect();
    let stored_json: String = sqlx::query_scalar(
        "SELECT json_group_array(json_array(id, conversation_id, direction, kind, body, status, \
         failure_reason, author_staff_id, created_at, updated_at)) \
         FROM messages WHERE id IN (SELECT value FROM json_each(?))",
    )
    .bind(to_json("messages.id", &ids)?)
    .fetch_one(&mut *conn)
    .await?;
    let stored: Vec<ListedRow> = from_json("messages", &stored_json)?;
    let mut known: HashMap<MessageId, Message> = stored
        .into_iter()
        .map(decode_listed)
        .map(|m| m.map(|m| (m.id.clone(), m)))
        .collect::<Result<_, _>>()?;

    let mut results = Vec::with_capacity(incoming.len());
    for message in incoming {
        let previous = known.get(&message.id);
        let is_new = previous.is_none();
        let message = match previous {
            Some(stored) => merged(stored, message),
            None => message.clone(),
        };
        known.insert(message.id.clone(), message.clone());
        results.push(Merged { message, is_new });
    }

    let rows: Vec<Message> = known.into_values().collect();
    upsert(conn, &rows).await?;
    Ok(results)
}

/// The message after the backend reported `incoming` for one stored as `stored`: the
/// backend's fields, except that the status only moves forward, and the reason and time
/// of the stored status stay with it when it is kept.
pub fn merged(stored: &Message, incoming: &Message) -> Message {
    let status = stored.status.advance(incoming.status);
    if status == incoming.status {
        incoming.clone()
    } else {
        Message {
            status,
            failure_reason: stored.failure_reason.clone(),
            updated_at: stored.updated_at,
            ..incoming.clone()
        }
    }
}

/// Marks a message failed with the reason the backend gave.
pub async fn mark_failed(
    conn: &mut SqliteConnection,
    id: &MessageId,
    reason: &str,
    at: Timestamp,
) -> Result<(), CoreError> {
    sqlx::query("UPDATE messages SET status = ?, failure_reason = ?, updated_at = ? WHERE id = ?")
        .bind(MessageStatus::Failed.as_str())
        .bind(reason)
        .bind(at.millis())
        .bind(id.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

/// Puts a failed message back to queued for a retry (an explicit reset, not an update).
pub async fn requeue(
    conn: &mut SqliteConnection,
    id: &MessageId,
    at: Timestamp,
) -> Result<(), CoreError> {
    sqlx::query(
        "UPDATE messages SET status = ?, failure_reason = NULL, updated_at = ? WHERE id = ?",
    )
    .bind(MessageStatus::Queued.as_str())
    .bind(at.millis())
    .bind(id.as_str())
    .execute(conn)
    .await?;
    Ok(())
}

fn decode(row: &SqliteRow) -> Result<Message, CoreError> {
    Ok(Message {
        id: MessageId(row.try_get("id")?),
        conversation_id: ConversationId(row.try_get("conversation_id")?),
        direction: parse_name(
            "messages.direction",
            &row.try_get::<String, _>("direction")?,
            Direction::parse,
        )?,
        kind: parse_name(
            "messages.kind",
            &row.try_get::<String, _>("kind")?,
            MessageKind::parse,
        )?,
        body: row.try_get("body")?,
        status: parse_name(
            "messages.status",
            &row.try_get::<String, _>("status")?,
            MessageStatus::parse,
        )?,
        failure_reason: row.try_get("failure_reason")?,
        author_staff_id: row
            .try_get::<Option<String>, _>("author_staff_id")?
            .map(StaffId),
        created_at: Timestamp(row.try_get("created_at")?),
        updated_at: Timestamp(row.try_get("updated_at")?),
    })
}
