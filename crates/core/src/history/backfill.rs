//! The backfill worker: reads the feed backwards from where the stored session says,
//! newest first, and stores each page together with the new position in one transaction,
//! announcing the progress. What is stored already stays (the live feed brought it, and it
//! is newer); an interrupted backfill goes on from its last committed page, so nothing is
//! missed or doubled. A refused token ends the session like the sync worker does.

use std::collections::BTreeMap;
use std::sync::Arc;

use clienteling_domain::api::HistoryPage;
use clienteling_domain::view::{AppEvent, HistoryProgress};
use clienteling_domain::Timestamp;
use serde::Deserialize;

use crate::backend::{read_change, Backend, RequestError, PAGE_LIMIT, REQUEST_TIMEOUT};
use crate::backoff::Backoff;
use crate::database::Database;
use crate::engine::session;
use crate::engine::Inner;
use crate::error::CoreError;
use crate::stop::StopSignal;
use crate::sync::apply::{self as changes, ApplyMode};
use crate::sync::SyncError;

/// Runs until the history is complete, the stop signal, or the end of the session.
pub(crate) async fn run(inner: Arc<Inner>, stop: StopSignal) {
    let mut backoff = Backoff::default();
    loop {
        match step(&inner, &stop).await {
            Ok(true) => backoff.reset(),
            Ok(false) => {
                if let Err(error) = inner.db.checkpoint().await {
                    tracing::warn!(%error, "could not checkpoint after the backfill");
                }
                return;
            }
            Err(SyncError::Stopped | SyncError::SignedOut) => return,
            Err(SyncError::Request(error)) if error.is_unauthorized() => {
                tracing::info!("the backend refused the session token during the backfill");
                stop.trigger();
                inner.end_refused_session_or_log().await;
                return;
            }
            Err(other) => {
                let delay = backoff.fail();
                tracing::warn!(error = %other, ?delay, "backfill interrupted; retrying");
                if stop.run_until(tokio::time::sleep(delay)).await.is_none() {
                    return;
                }
            }
        }
    }
}

/// Stores the next page; answers whether more history waits.
async fn step(inner: &Inner, stop: &StopSignal) -> Result<bool, SyncError> {
    let stored = inner.stored_session().await?.ok_or(SyncError::SignedOut)?;
    let Some(before) = stored.history_before else {
        return Ok(false);
    };
    let page = stop
        .run_until(fetch(&inner.backend, &stored.token, before))
        .await
        .ok_or(SyncError::Stopped)??;
    if page.has_more && page.next_before >= before {
        return Err(SyncError::Disconnected(format!(
            "the history did not move past {before}"
        )));
    }
    let progress = store(&inner.db, &page, inner.clock.now()).await?;
    inner.emit(AppEvent::HistoryProgressed { progress });
    Ok(page.has_more)
}

/// Stores one page of older history and where the backfill goes on from, in one
/// transaction; answers the progress now.
pub(crate) async fn store(
    db: &Database,
    page: &HistoryPage,
    now: Timestamp,
) -> Result<HistoryProgress, CoreError> {
    let mut tx = db.write().await?;
    changes::apply(&mut tx, &page.changes, ApplyMode::Backfill, None, now).await?;
    let next = page.has_more.then_some(page.next_before);
    session::advance_history(&mut tx, next, page.covered, &page.covered_kinds).await?;
    let progress = session::load(&mut tx)
        .await?
        .ok_or(CoreError::SignedOut)?
        .history;
    tx.commit().await?;
    Ok(progress)
}

/// A page of history before each change is read (one of a kind this version does not know
/// is skipped, as in the forward feed).
#[derive(Debug, Deserialize)]
struct RawHistoryPage {
    changes: Vec<serde_json::Value>,
    next_before: i64,
    covered: u32,
    #[serde(default)]
    covered_kinds: BTreeMap<String, u32>,
    has_more: bool,
}

/// `GET /changes/history?before=&limit=`.
async fn fetch(backend: &Backend, token: &str, before: i64) -> Result<HistoryPage, RequestError> {
    let query = [
        ("before", before.to_string()),
        ("limit", PAGE_LIMIT.to_string()),
    ];
    let page: RawHistoryPage = backend
        .get_json(token, "/changes/history", &query, REQUEST_TIMEOUT)
        .await?;
    Ok(HistoryPage {
        changes: page.changes.into_iter().filter_map(read_change).collect(),
        next_before: page.next_before,
        covered: page.covered,
        covered_kinds: page.covered_kinds,
        has_more: page.has_more,
    })
}
