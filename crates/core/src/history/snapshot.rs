//! The first-screen snapshot: fetched at sign-in and stored in one transaction with the
//! new session, whose cursor and backfill start at the snapshot's cursor.

use clienteling_domain::api::{Change, ChangeData, Session, Snapshot};
use clienteling_domain::{StoreId, Timestamp};

use crate::backend::{Backend, RequestError, REQUEST_TIMEOUT};
use crate::database::Database;
use crate::engine::session;
use crate::error::CoreError;
use crate::sync::apply::{self as changes, ApplyMode};

/// `GET /snapshot`.
pub(crate) async fn fetch(backend: &Backend, token: &str) -> Result<Snapshot, RequestError> {
    backend
        .get_json(token, "/snapshot", &[], REQUEST_TIMEOUT)
        .await
}

/// Replaces the local copy with `snapshot` under the new `session`, in one transaction:
/// the previous copy and its unsent work are deleted, the cursor is the snapshot's, and
/// the older history waits for the backfill.
pub(crate) async fn store(
    db: &Database,
    session: &Session,
    store_id: &StoreId,
    mut snapshot: Snapshot,
    now: Timestamp,
) -> Result<(), CoreError> {
    let cursor = snapshot.cursor;
    let history_total = snapshot.history_total;
    let history_kinds = std::mem::take(&mut snapshot.history_kinds);
    let as_changes: Vec<Change> = snapshot
        .customers
        .into_iter()
        .map(ChangeData::Customer)
        .chain(
            snapshot
                .conversations
                .into_iter()
                .map(ChangeData::Conversation),
        )
        .chain(snapshot.messages.into_iter().map(ChangeData::Message))
        .chain(snapshot.tasks.into_iter().map(ChangeData::Task))
        .chain(
            snapshot
                .last_contacts
                .into_iter()
                .map(ChangeData::LastContact),
        )
        .map(|data| Change { seq: cursor, data })
        .collect();
    let mut tx = db.write().await?;
    session::clear_all(&mut tx).await?;
    session::save(
        &mut tx,
        session,
        store_id,
        cursor,
        history_total,
        &history_kinds,
    )
    .await?;
    changes::apply(&mut tx, &as_changes, ApplyMode::Snapshot, None, now).await?;
    tx.commit().await?;
    Ok(())
}
