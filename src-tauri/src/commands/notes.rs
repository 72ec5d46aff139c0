//! Note commands (C9): writing, editing, deleting and pinning notes on a customer.

use clienteling_domain::note::Note;
use clienteling_domain::{ApiError, CustomerId, NoteId};
use tauri::State;

use crate::AppState;

/// Writes a note on a customer; it reaches the backend through the outbox.
#[tauri::command]
pub async fn add_note(
    state: State<'_, AppState>,
    customer_id: CustomerId,
    body: String,
) -> Result<Note, ApiError> {
    Ok(state.core().await?.add_note(&customer_id, &body).await?)
}

/// Gives one of my notes a new text.
#[tauri::command]
pub async fn edit_note(
    state: State<'_, AppState>,
    note_id: NoteId,
    body: String,
) -> Result<Note, ApiError> {
    Ok(state.core().await?.edit_note(&note_id, &body).await?)
}

/// Deletes one of my notes.
#[tauri::command]
pub async fn delete_note(state: State<'_, AppState>, note_id: NoteId) -> Result<(), ApiError> {
    Ok(state.core().await?.delete_note(&note_id).await?)
}

/// Pins a note of a customer (unpinning the one pinned before), or unpins it.
#[tauri::command]
pub async fn pin_note(
    state: State<'_, AppState>,
    note_id: NoteId,
    pinned: bool,
) -> Result<(), ApiError> {
    Ok(state.core().await?.pin_note(&note_id, pinned).await?)
}
