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

/// Keeps a stored backend copy that is newer than the one arriving (an outbox answer can
/// arrive after the feed brought a later change of the same note).
const NOT_OLDER: &str = " WHERE notes.confirmed IS NULL \
     OR json_extract(notes.confirmed, '$.updated_at') <= json_extract(excluded.confirmed, '$.updated_at')";

/// Stores the backend's copy of `note` unless a newer one is stored; the backend's copy
/// is shown too unless this device's own change of it still waits in the outbox.
pub async fn confirm(conn: &mut SqliteConnection, note: &Note) -> Result<(), CoreError> {
    let json = to_json("notes.confirmed", note)?;
    sqlx::query(&format!(
        "INSERT INTO notes (id, customer_id, shown, confirmed) VALUES (?, ?, ?, ?) \
         ON CONFLICT (id) DO UPDATE SET confirmed = excluded.confirmed{NOT_OLDER}"
    ))
    .bind(note.id.as_str())
    .bind(note.customer_id.as_str())
    .bind(&json)
    .bind(&json)
    .execute(&mut *conn)
    .await?;
    if !is_waiting(&mut *conn, &note.id).await? {
        sqlx::query("UPDATE notes SET shown = confirmed WHERE id = ?")
            .bind(note.id.as_str())
            .execute(conn)
            .await?;
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::database::Database;
    use crate::notes::sending::{NoteAction, NoteChange};
    use crate::outbox::storage as outbox;
    use clienteling_domain::Timestamp;

    async fn database() -> (tempfile::TempDir, Database) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let db = Database::open(dir.path())
            .await
            .expect("the database opens and migrates");
        (dir, db)
    }

    fn note(body: &str, updated_at: i64) -> Note {
        Note {
            id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
            customer_id: "cust-0001".into(),
            author_staff_id: "staff-ava".into(),
            author_name: "Ava Johnson".into(),
            body: body.into(),
            pinned: false,
            created_at: Timestamp(1),
            updated_at: Timestamp(updated_at),
            deleted: false,
        }
    }

    async fn shown(conn: &mut SqliteConnection) -> Note {
        get(conn, &note("", 0).id)
            .await
            .expect("the note reads")
            .expect("the note is stored")
            .shown
    }

    async fn queue_edit(conn: &mut SqliteConnection, body: &str) {
        let edited = note(body, 5);
        show_local(&mut *conn, &edited).await.expect("shown");
        let action = NoteAction {
            note_id: edited.id.clone(),
            customer_id: edited.customer_id.clone(),
            change: NoteChange::Edit { body: body.into() },
        };
        outbox::enqueue_note(conn, &action, Timestamp(5))
            .await
            .expect("queued");
    }

    #[tokio::test]
    async fn c9_the_feed_does_not_overwrite_a_change_waiting_in_the_outbox() {
        let (_dir, db) = database().await;
        let mut conn = db.pool().acquire().await.expect("a connection");
        confirm(&mut conn, &note("Backend", 2))
            .await
            .expect("stored");
        queue_edit(&mut conn, "Mine, waiting").await;
        assert!(
            is_waiting(&mut conn, &note("", 0).id).await.expect("reads"),
            "the note waits for the backend"
        );
        confirm(&mut conn, &note("Backend again", 3))
            .await
            .expect("stored");
        assert_eq!(
            shown(&mut conn).await.body,
            "Mine, waiting",
            "the waiting change stays on screen"
        );
        sqlx::query("DELETE FROM outbox")
            .execute(&mut *conn)
            .await
            .expect("the row goes");
        roll_back(&mut conn, &"cust-0001".into())
            .await
            .expect("rolled back");
        assert_eq!(
            shown(&mut conn).await.body,
            "Backend again",
            "a refusal shows the backend's latest copy again"
        );
    }

    #[tokio::test]
    async fn c9_an_answer_older_than_what_the_feed_brought_is_not_stored() {
        let (_dir, db) = database().await;
        let mut conn = db.pool().acquire().await.expect("a connection");
        confirm(&mut conn, &note("Later, from the feed", 9))
            .await
            .expect("stored");
        confirm(&mut conn, &note("Earlier answer", 4))
            .await
            .expect("stored");
        assert_eq!(
            shown(&mut conn).await.body,
            "Later, from the feed",
            "the later copy stays"
        );
    }

    #[tokio::test]
    async fn c9_a_refused_note_the_backend_never_had_goes() {
        let (_dir, db) = database().await;
        let mut conn = db.pool().acquire().await.expect("a connection");
        show_local(&mut conn, &note("Never accepted", 1))
            .await
            .expect("shown");
        roll_back(&mut conn, &"cust-0001".into())
            .await
            .expect("rolled back");
        assert_eq!(
            get(&mut conn, &note("", 0).id).await.expect("reads"),
            None,
            "nothing is left of it"
        );
    }
}
