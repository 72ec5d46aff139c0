//! The notes' outbox actions (C9): what a queued change of a note asks the backend, and
//! what its answer does to the local copy — an accepted change stores the backend's copy,
//! a refused one rolls the customer's notes back to the backend's copies.

use clienteling_domain::note::{CreateNoteRequest, EditNoteRequest, Note, PinNoteRequest};
use clienteling_domain::{CustomerId, NoteId};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use crate::backend::{Backend, RequestError};
use crate::error::CoreError;
use crate::notes::storage;

/// A queued change of a note, stored as the outbox row's payload (its `note_id` tells
/// which note waits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteAction {
    /// The note.
    pub note_id: NoteId,
    /// Its customer (the outbox subject).
    pub customer_id: CustomerId,
    /// What changes.
    #[serde(flatten)]
    pub change: NoteChange,
}

/// What a queued action changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum NoteChange {
    /// Writes the note (`POST /customers/{id}/notes`).
    Create {
        /// Its text.
        body: String,
    },
    /// Gives it a new text (`PATCH /notes/{id}`).
    Edit {
        /// The new text.
        body: String,
    },
    /// Deletes it (`DELETE /notes/{id}`).
    Delete,
    /// Pins or unpins it (`PUT /notes/{id}/pin`).
    Pin {
        /// Pinned or not.
        pinned: bool,
    },
}

/// Asks the backend to make `action`'s change; answers the backend's copy of the note.
pub async fn send(
    backend: &Backend,
    token: &str,
    action: &NoteAction,
) -> Result<Note, RequestError> {
    let note = format!("/notes/{}", action.note_id);
    match &action.change {
        NoteChange::Create { body } => {
            let request = CreateNoteRequest {
                id: action.note_id.clone(),
                body: body.clone(),
            };
            let path = format!("/customers/{}/notes", action.customer_id);
            backend
                .send_json(Method::POST, token, &path, Some(&request))
                .await
        }
        NoteChange::Edit { body } => {
            let request = EditNoteRequest { body: body.clone() };
            backend
                .send_json(Method::PATCH, token, &note, Some(&request))
                .await
        }
        NoteChange::Delete => {
            backend
                .send_json(Method::DELETE, token, &note, None::<&()>)
                .await
        }
        NoteChange::Pin { pinned } => {
            let request = PinNoteRequest { pinned: *pinned };
            let path = format!("{note}/pin");
            backend
                .send_json(Method::PUT, token, &path, Some(&request))
                .await
        }
    }
}

/// Records the backend's copy of an accepted change (its outbox row already removed).
pub async fn accepted(conn: &mut SqliteConnection, note: &Note) -> Result<(), CoreError> {
    storage::confirm(conn, note).await
}

/// After a refused change of `customer_id`'s notes (its outbox row already removed), shows
/// the backend's copies again.
pub async fn refused(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
) -> Result<(), CoreError> {
    storage::roll_back(conn, customer_id).await
}
