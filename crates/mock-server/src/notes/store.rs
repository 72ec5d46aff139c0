//! The notes' SQL: reading a customer's notes, writing them, and logging every change in
//! the feed of each store the customer is known to.

use clienteling_domain::api::Staff;
use clienteling_domain::note::{self, Note};
use clienteling_domain::{CustomerId, NoteId, StaffId, StoreId, Timestamp};
use sqlx::SqliteConnection;

use crate::changes::{self, Entity};

/// A row of `notes` joined with its author's name.
#[derive(sqlx::FromRow)]
struct NoteRow {
    id: String,
    customer_id: String,
    author_staff_id: String,
    author_name: String,
    body: String,
    pinned: bool,
    created_at: i64,
    updated_at: i64,
    deleted: bool,
}

impl From<NoteRow> for Note {
    fn from(row: NoteRow) -> Self {
        Note {
            id: NoteId(row.id),
            customer_id: CustomerId(row.customer_id),
            author_staff_id: StaffId(row.author_staff_id),
            author_name: row.author_name,
            body: row.body,
            pinned: row.pinned,
            created_at: Timestamp(row.created_at),
            updated_at: Timestamp(row.updated_at),
            deleted: row.deleted,
        }
    }
}

const SELECT: &str = "SELECT n.id, n.customer_id, n.author_staff_id, s.name AS author_name, n.body, \
     n.pinned, n.created_at, n.updated_at, n.deleted FROM notes n JOIN staff s ON s.id = n.author_staff_id";

/// Whether `customer_id` is known to one of `reader`'s stores (and so visible to them).
pub async fn customer_visible(
    conn: &mut SqliteConnection,
    reader: &Staff,
    customer_id: &CustomerId,
) -> Result<bool, sqlx::Error> {
    let known: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM customer_stores WHERE customer_id = ?
           AND store_id IN (SELECT store_id FROM staff_stores WHERE staff_id = ?)",
    )
    .bind(customer_id.as_str())
    .bind(reader.id.as_str())
    .fetch_one(conn)
    .await?;
    Ok(known > 0)
}

/// The customer's notes, deleted ones left out, the pinned one first, then newest first.
pub async fn of_customer(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
) -> Result<Vec<Note>, sqlx::Error> {
    let rows: Vec<NoteRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE n.customer_id = ? AND n.deleted = 0"
    ))
    .bind(customer_id.as_str())
    .fetch_all(conn)
    .await?;
    let mut notes: Vec<Note> = rows.into_iter().map(Note::from).collect();
    note::sort_for_profile(&mut notes);
    Ok(notes)
}

/// A note by id, a deleted one included.
pub async fn get(conn: &mut SqliteConnection, id: &NoteId) -> Result<Option<Note>, sqlx::Error> {
    let row: Option<NoteRow> = sqlx::query_as(&format!("{SELECT} WHERE n.id = ?"))
        .bind(id.as_str())
        .fetch_optional(conn)
        .await?;
    Ok(row.map(Note::from))
}

/// The text note `id` was created with.
pub async fn created_body(
    conn: &mut SqliteConnection,
    id: &NoteId,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT created_body FROM notes WHERE id = ?")
        .bind(id.as_str())
        .fetch_optional(conn)
        .await
}

/// Stores a new note unless its id is taken; answers whether it did.
pub async fn insert(conn: &mut SqliteConnection, note: &Note) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO notes (id, customer_id, author_staff_id, body, created_body, pinned, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
    )
    .bind(note.id.as_str())
    .bind(note.customer_id.as_str())
    .bind(note.author_staff_id.as_str())
    .bind(&note.body)
    .bind(&note.body)
    .bind(note.pinned)
    .bind(note.created_at.millis())
    .bind(note.updated_at.millis())
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected() > 0)
}

/// Gives note `id` a new text.
pub async fn set_body(
    conn: &mut SqliteConnection,
    id: &NoteId,
    body: &str,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE notes SET body = ?, updated_at = ? WHERE id = ?")
        .bind(body)
        .bind(now.millis())
        .bind(id.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes note `id`, keeping its row as a tombstone (unpinned).
pub async fn mark_deleted(
    conn: &mut SqliteConnection,
    id: &NoteId,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE notes SET deleted = 1, pinned = 0, updated_at = ? WHERE id = ?")
        .bind(now.millis())
        .bind(id.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

/// Pins or unpins note `id` of `customer_id`, unpinning the customer's other pinned note
/// when pinning; answers the notes that changed.
pub async fn set_pinned(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
    id: &NoteId,
    pinned: bool,
    now: Timestamp,
) -> Result<Vec<NoteId>, sqlx::Error> {
    let mut notes = of_customer(&mut *conn, customer_id).await?;
    let changed = note::pin(&mut notes, id, pinned, now);
    // Unpinning first keeps the one-pinned index satisfied at every statement.
    let mut ordered: Vec<&Note> = notes.iter().filter(|n| changed.contains(&n.id)).collect();
    ordered.sort_by_key(|n| n.pinned);
    for note in ordered {
        sqlx::query("UPDATE notes SET pinned = ?, updated_at = ? WHERE id = ?")
            .bind(note.pinned)
            .bind(now.millis())
            .bind(note.id.as_str())
            .execute(&mut *conn)
            .await?;
    }
    Ok(changed)
}

/// Logs a change of note `id` in the feed of every store `customer_id` is known to;
/// answers the last sequence number written.
pub async fn record_change(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
    id: &NoteId,
) -> Result<i64, sqlx::Error> {
    let stores: Vec<String> =
        sqlx::query_scalar("SELECT store_id FROM customer_stores WHERE customer_id = ?")
            .bind(customer_id.as_str())
            .fetch_all(&mut *conn)
            .await?;
    let mut last = 0;
    for store in stores {
        last =
            changes::record(&mut *conn, &StoreId(store), None, Entity::Note, id.as_str()).await?;
    }
    Ok(last)
}
