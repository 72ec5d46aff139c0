//! Notes on a customer (C9): writing, editing, deleting and pinning them, offline as
//! online. Each change is shown at once and queued in the outbox in the same transaction
//! (`sending` sends it, in order per customer, once, after a restart too); `storage` is the
//! `notes` table, `apply` stores the notes the change feed brings.

pub(crate) mod apply;
pub(crate) mod sending;
pub(crate) mod storage;

use clienteling_domain::note::{self, Note};
use clienteling_domain::view::AppEvent;
use clienteling_domain::{CustomerId, NoteId};
use sqlx::SqliteConnection;

use crate::customers::storage as customers;
use crate::engine::session::StoredSession;
use crate::engine::Core;
use crate::error::CoreError;
use crate::outbox::storage as outbox;
use sending::{NoteAction, NoteChange};

impl Core {
    /// Writes a note on a customer (C9) as the signed-in staff member: shown at once,
    /// sent to the backend through the outbox.
    pub async fn add_note(&self, customer_id: &CustomerId, body: &str) -> Result<Note, CoreError> {
        let stored = self.inner.require_session().await?;
        let body = note::check_body(body)?;
        let now = self.inner.clock.now();
        let mut tx = self.inner.db.write().await?;
        customers::get(&mut tx, customer_id)
            .await?
            .ok_or_else(|| CoreError::UnknownCustomer(customer_id.to_string()))?;
        let note = Note {
            id: NoteId(uuid::Uuid::new_v4().to_string()),
            customer_id: customer_id.clone(),
            author_staff_id: stored.staff.id.clone(),
            author_name: stored.staff.name.clone(),
            body: body.clone(),
            pinned: false,
            created_at: now,
            updated_at: now,
            deleted: false,
        };
        storage::show_local(&mut tx, &note).await?;
        let action = NoteAction {
            note_id: note.id.clone(),
            customer_id: customer_id.clone(),
            change: NoteChange::Create { body },
        };
        outbox::enqueue_note(&mut tx, &action, now).await?;
        tx.commit().await?;
        self.notes_queued(customer_id);
        Ok(note)
    }

    /// Gives one of the signed-in staff member's own notes a new text (C9).
    pub async fn edit_note(&self, id: &NoteId, body: &str) -> Result<Note, CoreError> {
        let stored = self.inner.require_session().await?;
        let body = note::check_body(body)?;
        let now = self.inner.clock.now();
        let mut tx = self.inner.db.write().await?;
        let mut note = own_note(&mut tx, &stored, id).await?;
        if note.body == body {
            return Ok(note);
        }
        note.body = body.clone();
        note.updated_at = now;
        storage::show_local(&mut tx, &note).await?;
        let action = NoteAction {
            note_id: id.clone(),
            customer_id: note.customer_id.clone(),
            change: NoteChange::Edit { body },
        };
        outbox::enqueue_note(&mut tx, &action, now).await?;
        tx.commit().await?;
        self.notes_queued(&note.customer_id);
        Ok(note)
    }

    /// Deletes one of the signed-in staff member's own notes (C9).
    pub async fn delete_note(&self, id: &NoteId) -> Result<(), CoreError> {
        let stored = self.inner.require_session().await?;
        let now = self.inner.clock.now();
        let mut tx = self.inner.db.write().await?;
        let mut note = own_note(&mut tx, &stored, id).await?;
        note.deleted = true;
        note.pinned = false;
        note.updated_at = now;
        storage::show_local(&mut tx, &note).await?;
        let action = NoteAction {
            note_id: id.clone(),
            customer_id: note.customer_id.clone(),
            change: NoteChange::Delete,
        };
        outbox::enqueue_note(&mut tx, &action, now).await?;
        tx.commit().await?;
        self.notes_queued(&note.customer_id);
        Ok(())
    }

    /// Pins a note of a customer (unpinning the one pinned before: one per customer), or
    /// unpins it (C9). Any note the staff member sees may be pinned.
    pub async fn pin_note(&self, id: &NoteId, pinned: bool) -> Result<(), CoreError> {
        self.inner.require_session().await?;
        let now = self.inner.clock.now();
        let mut tx = self.inner.db.write().await?;
        let target = shown_note(&mut tx, id).await?;
        let customer_id = target.customer_id;
        let mut notes = storage::shown_of_customer(&mut tx, &customer_id).await?;
        let changed = note::pin(&mut notes, id, pinned, now);
        if changed.is_empty() {
            return Ok(());
        }
        for note in notes.iter().filter(|n| changed.contains(&n.id)) {
            storage::show_local(&mut tx, note).await?;
        }
        let action = NoteAction {
            note_id: id.clone(),
            customer_id: customer_id.clone(),
            change: NoteChange::Pin { pinned },
        };
        outbox::enqueue_note(&mut tx, &action, now).await?;
        tx.commit().await?;
        self.notes_queued(&customer_id);
        Ok(())
    }

    /// Tells the UI the customer's notes changed and wakes the outbox to send the change.
    fn notes_queued(&self, customer_id: &CustomerId) {
        self.inner.emit(AppEvent::NotesChanged {
            customer_id: customer_id.clone(),
        });
        self.inner.outbox_wake.notify_one();
    }
}

/// Note `id` as shown here, unless it is unknown or deleted.
async fn shown_note(conn: &mut SqliteConnection, id: &NoteId) -> Result<Note, CoreError> {
    storage::get(conn, id)
        .await?
        .map(|stored| stored.shown)
        .filter(|note| !note.deleted)
        .ok_or_else(|| CoreError::UnknownNote(id.to_string()))
}

/// Note `id` if the signed-in staff member wrote it; someone else's is refused at once
/// (the backend would refuse it too).
async fn own_note(
    conn: &mut SqliteConnection,
    session: &StoredSession,
    id: &NoteId,
) -> Result<Note, CoreError> {
    let note = shown_note(conn, id).await?;
    if note.may_be_changed_by(&session.staff.id) {
        Ok(note)
    } else {
        Err(CoreError::NotYourNote(note.author_name))
    }
}
