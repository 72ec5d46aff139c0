//! A profile while the backfill is not complete (C11): opening a customer first fetches
//! what the feed holds about them (`GET /customers/{id}/changes`: the customer, their
//! conversations, notes, attribute values, orders, wishlist items, the star) and applies
//! it as a page of older history, so the profile is whole at once, even for a customer
//! just assigned to this associate. What is stored already stays (the live feed brought
//! it, newer). Without the backend the profile shows what is local.

use std::time::Duration;

use clienteling_domain::api::Change;
use clienteling_domain::CustomerId;

use crate::engine::session::StoredSession;
use crate::engine::Inner;
use crate::error::CoreError;
use crate::sync::apply::{self, ApplyMode};

/// How long opening a profile waits for the backend before showing what is local.
const FETCH_LIMIT: Duration = Duration::from_secs(3);

/// Stores what the backend holds about `id` when the history is not complete yet; a
/// backend that cannot answer leaves the local copy as it is (logged), and a refused
/// session ends it.
pub(crate) async fn complete(
    inner: &Inner,
    stored: &StoredSession,
    id: &CustomerId,
) -> Result<(), CoreError> {
    if stored.history.complete {
        return Ok(());
    }
    let path = format!("/customers/{}/changes", id.as_str());
    let fetched = inner
        .backend
        .get_json::<Vec<Change>>(&stored.token, &path, &[], FETCH_LIMIT)
        .await;
    let changes = match fetched {
        Ok(changes) => changes,
        Err(error) if error.is_unauthorized() => {
            inner.end_refused_session_or_log().await;
            return Ok(());
        }
        Err(error) => {
            tracing::info!(%error, "showing the local part of a customer's profile");
            return Ok(());
        }
    };
    let mut tx = inner.db.write().await?;
    apply::apply(
        &mut tx,
        &changes,
        ApplyMode::Backfill,
        None,
        inner.clock.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
