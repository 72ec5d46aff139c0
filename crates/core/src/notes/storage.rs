//! The `notes` table: each note as this device shows it and as the backend last had it.
//! A note waits ("Saving…") while an outbox row of kind `note` names it; until then the
//! change feed updates only the backend's copy, so this device's change stays on screen.

use clienteling_domain::note::{self, Note};
use clienteling_domain::{CustomerId, NoteId};
use sqlx::SqliteConnection;

use crate::columns::{from_json, to_json};
use crate::error::CoreError;

/// A stored note: what this device shows and what the backend last had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredNote {
    /// As shown here.
    pub shown: Note,
    /// As the backend last had it; `None` until the backend has it.
    pub confirmed: Option<Note>,
}

/// Whether an outbox row for note `id` waits.
pub async fn is_waiting(conn: &mut SqliteConnection, id: &NoteId) -> Result<bool, CoreError> {
    let waiting: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE kind = 'note' AND json_extract(payload, '$.note_id') = ?",
    )
    .bind(id.as_str())
    .fetch_one(conn)
    .await?;
    Ok(waiting > 0)
}

/// Note `id`, a tombstone included.
pub async fn get(
    conn: &mut SqliteConnection,
    id: &NoteId,
) -> Result<Option<StoredNote>, CoreError> {
    let row: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT shown, confirmed FROM notes WHERE id = ?")
            .bind(id.as_str())
            .fetch_optional(conn)
            .await?;
    row.map(|(shown, confirmed)| decode(&shown, confirmed.as_deref()))
        .transpose()
}

fn decode(shown: &str, confirmed: Option<&str>) -> Result<StoredNote, CoreError> {
    Ok(StoredNote {
        shown: from_json("notes.shown", shown)?,
        confirmed: confirmed
            .map(|text| from_json("notes.confirmed", text))
            .transpose()?,
    })
}

/// Every stored note of `customer_id` (tombstones included), in no particular order.
async fn all_of_customer(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
) -> Result<Vec<StoredNote>, CoreError> {
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT shown, confirmed FROM notes WHERE customer_id = ?")
            .bind(customer_id.as_str())
            .fetch_all(conn)
            .await?;
    rows.iter()
        .map(|(shown, confirmed)| decode(shown, confirmed.as_deref()))
        .collect()
}

/// The notes of `customer_id` as a profile shows them (deleted ones left out, the pinned
/// one first, then newest first), and those among them still waiting for the backend.
pub async fn of_customer(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
) -> Result<(Vec<Note>, Vec<NoteId>), CoreError> {
    let mut notes: Vec<Note> = all_of_customer(&mut *conn, customer_id)
        .await?
        .into_iter()
        .map(|stored| stored.shown)
        .filter(|note| !note.deleted)
        .collect();
    note::sort_for_profile(&mut notes);
    let mut waiting = Vec::new();
    for note in &notes {
        if is_waiting(&mut *conn, &note.id).await? {
            waiting.push(note.id.clone());
        }
    }
    Ok((notes, waiting))
}

/// The notes of `customer_id` as shown here, tombstones left out.
pub async fn shown_of_customer(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
) -> Result<Vec<Note>, CoreError> {
    Ok(all_of_customer(conn, customer_id)
        .await?
        .into_iter()
        .map(|stored| stored.shown)
        .filter(|note| !note.deleted)
        .collect())
}

/// Shows `note` as this device changed it (the backend's copy stays as it was).
pub async fn show_local(conn: &mut SqliteConnection, note: &Note) -> Result<(), CoreError> {
    sqlx::query(
        "INSERT INTO notes (id, customer_id, shown, confirmed) VALUES (?, ?, ?, NULL) \
         ON CONFLICT (id) DO UPDATE SET shown = excluded.shown",
    )
    .bind(note.id.as_str())
    .bind(note.customer_id.as_str())
    .bind(to_json("notes.shown", note)?)
    .execute(conn)
    .await?;
    Ok(())
}

/// Stores the backend's copy of `note`; it is shown too unless this device's own change
/// of it still waits in the outbox.
pub async fn confirm(conn: &mut SqliteConnection, note: &Note) -> Result<(), CoreError> {
    let json = to_json("notes.confirmed", note)?;
    if is_waiting(&mut *conn, &note.id).await? {
        sqlx::query(
            "INSERT INTO notes (id, customer_id, shown, confirmed) VALUES (?, ?, ?, ?) \
             ON CONFLICT (id) DO UPDATE SET confirmed = excluded.confirmed",
        )
    } else {
        sqlx::query(
            "INSERT INTO notes (id, customer_id, shown, confirmed) VALUES (?, ?, ?, ?) \
             ON CONFLICT (id) DO UPDATE SET shown = excluded.shown, confirmed = excluded.confirmed",
        )
    }
    .bind(note.id.as_str())
    .bind(note.customer_id.as_str())
    .bind(&json)
    .bind(&json)
    .execute(conn)
    .await?;
    Ok(())
}

/// Stores the backend's copy of `note` unless a copy is stored already (a backfill's
/// older page never overwrites what the live feed brought); answers whether it did.
pub async fn confirm_if_missing(
    conn: &mut SqliteConnection,
    note: &Note,
) -> Result<bool, CoreError> {
    let json = to_json("notes.confirmed", note)?;
    let inserted = sqlx::query(
        "INSERT INTO notes (id, customer_id, shown, confirmed) VALUES (?, ?, ?, ?) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(note.id.as_str())
    .bind(note.customer_id.as_str())
    .bind(&json)
    .bind(&json)
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected() > 0)
}

/// Shows the backend's copy again for every note of `customer_id` with nothing waiting
/// (a note the backend never had goes): what a refused change leaves behind.
pub async fn roll_back(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
) -> Result<(), CoreError> {
    for stored in all_of_customer(&mut *conn, customer_id).await? {
        let id = &stored.shown.id;
        if is_waiting(&mut *conn, id).await? {
            continue;
        }
        match stored.confirmed {
            Some(confirmed) if confirmed != stored.shown => {
                sqlx::query("UPDATE notes SET shown = confirmed WHERE id = ?")
                    .bind(id.as_str())
                    .execute(&mut *conn)
                    .await?;
            }
            Some(_) => {}
            None => {
                sqlx::query("DELETE FROM notes WHERE id = ?")
                    .bind(id.as_str())
                    .execute(&mut *conn)
                    .await?;
            }
        }
    }
    Ok(())
}
