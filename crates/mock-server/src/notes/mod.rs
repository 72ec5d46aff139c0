//! Notes on a customer (C9): staff of the customer's stores read and write them, their
//! authors edit and delete them, anyone who sees the customer pins one; every change goes
//! to the feed of each of the customer's stores (`store::record_change`) and is rendered
//! there by [`render`] when read.

pub mod routes;
pub mod store;

use clienteling_domain::note::Note;
use clienteling_domain::NoteId;
use sqlx::SqliteConnection;

/// A note as the feed carries it (a tombstone once deleted).
pub async fn render(conn: &mut SqliteConnection, id: &NoteId) -> Result<Option<Note>, sqlx::Error> {
    store::get(conn, id).await
}
