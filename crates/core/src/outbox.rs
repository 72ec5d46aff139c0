//! The outbox worker: sends the queued user actions (messages, read markers, opt-in
//! requests) strictly in order, retrying with
//! back-off while the backend is unreachable, and recording refusals as failed messages
//! (B1, M10).

use std::sync::Arc;
use std::time::Duration;

use clienteling_domain::api::{Message, SendMessageRequest};
use clienteling_domain::opt_in::OptInRequest;
use clienteling_domain::view::{AppEvent, Connection};
use clienteling_domain::ApiError;

use crate::backend::RequestError;
use crate::backoff::{self, MAX_DELAY};
use crate::engine::Inner;
use crate::error::CoreError;
use crate::stop::StopSignal;
use crate::storage::messages;
use crate::storage::outbox::{self, OutboxAction, OutboxRow};

/// Pause after a local database failure before looking again.
const STORAGE_RETRY: Duration = Duration::from_secs(1);

/// What the backend said to one row.
enum Outcome {
    /// Done; the row goes, and the backend's copy of a sent message is stored.
    Accepted(Option<Message>),
    /// Refused for good; the row goes and its message fails.
    Refused(RequestError),
    /// Try again later.
    Retry(RequestError),
    /// The session token was refused.
    Unauthorized,
}

/// Runs the outbox worker until the stop signal or the end of the session.
pub async fn run(inner: Arc<Inner>, stop: StopSignal) {
    while !stop.is_triggered() {
        match step(&inner, &stop).await {
            Ok(true) => {}
            Ok(false) => return,
            Err(error) => {
                tracing::error!(%error, "outbox storage failed");
                if stop
                    .run_until(tokio::time::sleep(STORAGE_RETRY))
                    .await
                    .is_none()
                {
                    return;
                }
            }
        }
    }
}

/// Waits for the head row to be due and tries it; `false` when the worker should end.
async fn step(inner: &Inner, stop: &StopSignal) -> Result<bool, CoreError> {
    let head = outbox::head(&mut *inner.read().await?).await?;
    let Some(row) = head else {
        return Ok(stop.run_until(inner.outbox_wake.notified()).await.is_some());
    };
    let wait_ms = row
        .next_attempt_at
        .since(inner.clock.now())
        .clamp(0, MAX_DELAY.as_millis() as i64);
    if wait_ms > 0 {
        let due = async {
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(wait_ms.unsigned_abs())) => {}
                _ = inner.outbox_wake.notified() => {}
            }
        };
        if stop.run_until(due).await.is_none() {
            return Ok(false);
        }
    }
    let Some(session) = inner.stored_session().await? else {
        return Ok(false);
    };
    let Some(outcome) = stop.run_until(attempt(inner, &session.token, &row)).await else {
        return Ok(false);
    };
    match outcome {
        Outcome::Accepted(answer) => accept(inner, &row, answer).await?,
        Outcome::Refused(error) => refuse(inner, &row, error).await?,
        Outcome::Retry(error) => {
            if matches!(error, RequestError::Transport(_)) {
                inner.set_connection(Connection::Offline);
            }
            let delay = backoff::delay_after(row.attempts.saturating_add(1));
            let next = inner
                .clock
                .now()
                .plus_ms(i64::try_from(delay.as_millis()).unwrap_or(i64::MAX));
            tracing::warn!(seq = row.seq, %error, ?delay, "outbox row kept for another attempt");
            let mut tx = inner.db.write().await?;
            outbox::record_failure(&mut tx, row.seq, &error.to_string(), next).await?;
            tx.commit().await?;
        }
        Outcome::Unauthorized => {
            tracing::info!("the backend refused the session token; signing out");
            stop.trigger();
            inner.end_session().await?;
            return Ok(false);
        }
    }
    Ok(true)
}

/// Sends one row and sorts the answer.
async fn attempt(inner: &Inner, token: &str, row: &OutboxRow) -> Outcome {
    let result = match &row.action {
        OutboxAction::SendMessage(request) => inner
            .backend
            .send_message(token, &row.conversation_id, request)
            .await
            .map(Some),
        OutboxAction::MarkRead => inner
            .backend
            .mark_read(token, &row.conversation_id)
            .await
            .map(|()| None),
        OutboxAction::RequestOptIn(request) => inner
            .backend
            .request_opt_in(token, &row.conversation_id, request)
            .await
            .map(Some),
    };
    match result {
        Ok(answer) => Outcome::Accepted(answer),
        Err(error) if error.is_unauthorized() => Outcome::Unauthorized,
        Err(error @ RequestError::Unexpected(_)) => Outcome::Retry(error),
        Err(error) if error.is_transient() => Outcome::Retry(error),
        Err(error) => Outcome::Refused(error),
    }
}

/// Records an accepted row: removes it and stores the backend's answer in one transaction.
async fn accept(inner: &Inner, row: &OutboxRow, answer: Option<Message>) -> Result<(), CoreError> {
    let mut tx = inner.db.write().await?;
    outbox::remove(&mut tx, row.seq).await?;
    let stored = match answer {
        Some(message) => Some(
            messages::merge_from_backend(&mut tx, &message)
                .await?
                .message,
        ),
        None => None,
    };
    tx.commit().await?;
    if let Some(message) = stored {
        inner.emit(AppEvent::MessageChanged { message });
    }
    Ok(())
}

/// Records a definitive refusal: the message fails with the backend's reason (M10), the
/// row goes, and the UI hears of it.
async fn refuse(inner: &Inner, row: &OutboxRow, error: RequestError) -> Result<(), CoreError> {
    let api_error = ApiError::from(CoreError::from(error));
    let mut tx = inner.db.write().await?;
    outbox::remove(&mut tx, row.seq).await?;
    let failed = match &row.action {
        OutboxAction::SendMessage(SendMessageRequest { id, .. })
        | OutboxAction::RequestOptIn(OptInRequest { id, .. }) => {
            messages::mark_failed(&mut tx, id, &api_error.message, inner.clock.now()).await?;
            messages::get(&mut tx, id).await?
        }
        OutboxAction::MarkRead => None,
    };
    tx.commit().await?;
    tracing::warn!(seq = row.seq, error = %api_error, "the backend refused an outbox row");
    if let Some(message) = failed {
        inner.emit(AppEvent::MessageChanged { message });
        inner.emit(AppEvent::Failure { error: api_error });
    }
    Ok(())
}
