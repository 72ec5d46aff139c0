//! The sync worker: pulls the change feed from the stored cursor page by page, then
//! follows the live stream (B2), refreshing the stores' templates and quick replies on each
//! (re)connection; on any break it reports offline, backs off and starts over from the
//! cursor. A refused token ends the session, keeping the local copy
//! and the outbox for the same staff member's next sign-in.

pub(crate) mod apply;
#[cfg(test)]
mod profile_events;
pub(crate) mod sse;
#[cfg(test)]
pub(crate) mod tests;

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use clienteling_domain::notification::InboundMessage;
use clienteling_domain::view::{AppEvent, Connection};
use clienteling_domain::StoreId;
use futures_util::StreamExt;

use crate::backend::{read_change, RequestError};
use crate::backoff::Backoff;
use crate::engine::Inner;
use crate::error::CoreError;
use crate::stop::StopSignal;
use crate::sync::sse::SseParser;

/// The stream sends a keep-alive every 15 s; this long without a byte means it is dead.
const STREAM_IDLE_LIMIT: Duration = Duration::from_secs(45);
/// The SSE event name of a change.
const CHANGE_EVENT: &str = "change";

/// Why following the backend stopped.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The workers were asked to stop.
    #[error("stopped")]
    Stopped,
    /// The session is gone from the local database.
    #[error("signed out")]
    SignedOut,
    /// A request failed.
    #[error(transparent)]
    Request(#[from] RequestError),
    /// The local database failed.
    #[error(transparent)]
    Local(#[from] CoreError),
    /// The live stream ended or sent something unusable.
    #[error("the live stream broke: {0}")]
    Disconnected(String),
}

/// Runs the sync worker until the stop signal or the end of the session.
pub async fn run(inner: Arc<Inner>, stop: StopSignal) {
    let mut backoff = Backoff::default();
    loop {
        let Err(reason) = follow(&inner, &stop, &mut backoff).await;
        match reason {
            SyncError::Stopped | SyncError::SignedOut => return,
            SyncError::Request(error) if error.is_unauthorized() => {
                tracing::info!("the backend refused the session token; the session ends");
                stop.trigger();
                inner.end_refused_session_or_log().await;
                return;
            }
            other => {
                inner.set_connection(Connection::Offline);
                let delay = backoff.fail();
                tracing::warn!(error = %other, ?delay, "sync interrupted; retrying");
                if stop.run_until(tokio::time::sleep(delay)).await.is_none() {
                    return;
                }
            }
        }
    }
}

/// Catches up, then follows the live stream until something breaks.
async fn follow(
    inner: &Inner,
    stop: &StopSignal,
    backoff: &mut Backoff,
) -> Result<Infallible, SyncError> {
    let session = inner.stored_session().await?.ok_or(SyncError::SignedOut)?;
    let token = session.token;
    let store_ids: Vec<StoreId> = session.stores.into_iter().map(|store| store.id).collect();
    pull(inner, stop, &token).await?;
    let mut cursor = inner
        .stored_session()
        .await?
        .ok_or(SyncError::SignedOut)?
        .cursor;
    let response = stop
        .run_until(inner.backend.change_stream(&token, cursor))
        .await
        .ok_or(SyncError::Stopped)??;
    inner.set_connection(Connection::Online);
    backoff.reset();
    inner.outbox_wake.notify_one();
    stop.run_until(inner.refresh_setup_or_keep(&token, &store_ids))
        .await
        .ok_or(SyncError::Stopped)?;
    let mut body = response.bytes_stream();
    let mut parser = SseParser::new();
    loop {
        let next = stop
            .run_until(tokio::time::timeout(STREAM_IDLE_LIMIT, body.next()))
            .await
            .ok_or(SyncError::Stopped)?;
        let chunk = match next {
            Err(_) => {
                return Err(SyncError::Disconnected(format!(
                    "silent for {STREAM_IDLE_LIMIT:?}"
                )))
            }
            Ok(None) => {
                return Err(SyncError::Disconnected(
                    "the backend closed the stream".into(),
                ))
            }
            Ok(Some(Err(error))) => return Err(RequestError::Transport(error).into()),
            Ok(Some(Ok(chunk))) => chunk,
        };
        let mut batch = Vec::new();
        for event in parser.push(&chunk) {
            if event.event != CHANGE_EVENT {
                continue;
            }
            let value: serde_json::Value = serde_json::from_str(&event.data)
                .map_err(|e| SyncError::Disconnected(format!("an event that is not JSON: {e}")))?;
            let Some(change) = read_change(value) else {
                continue;
            };
            if change.seq > cursor {
                cursor = change.seq;
                batch.push(change);
            }
        }
        if !batch.is_empty() {
            inner.apply_changes(&batch, cursor, None).await?;
        }
    }
}

/// Pulls the change feed from the stored cursor until no more pages wait, applying each
/// page with its new cursor in one transaction. A stop ends it between pages. The
/// customers' messages of every page are announced in one event at the end (or when it
/// breaks off), so a long catch-up raises one set of notifications (M12, B2).
pub async fn pull(inner: &Inner, stop: &StopSignal, token: &str) -> Result<(), SyncError> {
    let mut inbound = Vec::new();
    let pulled = pull_pages(inner, stop, token, &mut inbound).await;
    if !inbound.is_empty() {
        inner.emit(AppEvent::InboundMessages { messages: inbound });
    }
    pulled
}

async fn pull_pages(
    inner: &Inner,
    stop: &StopSignal,
    token: &str,
    inbound: &mut Vec<InboundMessage>,
) -> Result<(), SyncError> {
    loop {
        let cursor = inner
            .stored_session()
            .await?
            .ok_or(SyncError::SignedOut)?
            .cursor;
        let page = stop
            .run_until(inner.backend.changes(token, cursor))
            .await
            .ok_or(SyncError::Stopped)??;
        inner
            .apply_changes(&page.changes, page.next_cursor, Some(&mut *inbound))
            .await?;
        if !page.has_more {
            return Ok(());
        }
        if page.next_cursor <= cursor {
            return Err(SyncError::Disconnected(format!(
                "the feed did not move past {cursor}"
            )));
        }
    }
}
