//! Applying the notes of the change feed (C9): each note's backend copy is stored, and
//! shown unless this device's own change of it still waits in the outbox; a tombstone
//! (`deleted`) hides the note everywhere.

use clienteling_domain::note::Note;
use clienteling_domain::CustomerId;
use sqlx::SqliteConnection;

use crate::error::CoreError;
use crate::notes::storage;

/// Stores `notes` as the backend sent them; with `keep_stored` (a backfill's older page)
/// only those not stored yet. Answers the customers whose notes changed, each once.
pub async fn apply(
    conn: &mut SqliteConnection,
    notes: &[&Note],
    keep_stored: bool,
) -> Result<Vec<CustomerId>, CoreError> {
    let mut changed: Vec<CustomerId> = Vec::new();
    for note in notes {
        let stored = if keep_stored {
            storage::confirm_if_missing(&mut *conn, note).await?
        } else {
            storage::confirm(&mut *conn, note).await?;
            true
        };
        if stored && !changed.contains(&note.customer_id) {
            changed.push(note.customer_id.clone());
        }
    }
    Ok(changed)
}
