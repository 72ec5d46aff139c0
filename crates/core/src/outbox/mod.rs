//! The outbox worker: sends the queued user actions (messages, read markers, opt-in
//! requests, notes, tasks, stars, attribute values, edits of customers' details) in order
//! within each subject — the conversation, customer or task they are about (B1, M10, C9,
//! B3, C1, C15, C13). While the backend cannot be reached every action waits, however
//! long it takes. A server error or an answer the app cannot read holds back only that
//! subject, and is retried with jittered back-off up to [`RetryPolicy::max_attempts`];
//! then, like a refusal or a row that cannot be read back, a message fails with the reason
//! and waits for the associate's Retry, and a change of anything else rolls back to the
//! backend's copy. A refused token ends the session but keeps the queue for the same staff
//! member's next sign-in.
//!
//! [`RetryPolicy::max_attempts`]: crate::backoff::RetryPolicy

pub(crate) mod storage;

use std::sync::Arc;
use std::time::Duration;

use clienteling_domain::api::{Customer, Message};
use clienteling_domain::attribute::CustomerAttributes;
use clienteling_domain::note::Note;
use clienteling_domain::task::Task;
use clienteling_domain::view::{AppEvent, Connection};
use clienteling_domain::{ApiError, CustomerId, ErrorCode};

use crate::attributes::storage as attributes;
use crate::backend::RequestError;
use crate::backoff::{Backoff, MAX_DELAY};
use crate::conversations::messages;
use crate::conversations::storage as conversations;
use crate::customers::{edits, stars};
use crate::engine::Inner;
use crate::error::CoreError;
use crate::notes;
use crate::outbox::storage::{self as outbox, OutboxAction, OutboxRow, Subject};
use crate::stop::StopSignal;
use crate::tasks;

/// Pause after a local database failure before looking again.
const STORAGE_RETRY: Duration = Duration::from_secs(1);
/// The longest the worker sleeps without looking at the queue again.
const LONGEST_WAIT: Duration = Duration::from_secs(60);

/// What the backend answered an accepted row with, for its capability to store.
enum Answer {
    /// Nothing to store (a read marker).
    Nothing,
    /// Its copy of a sent message.
    Message(Message),
    /// Its copy of the note changed (C9).
    Note(Note),
    /// Its copy of a created or changed task (B3).
    Task(Box<Task>),
    /// A customer's attribute values as now (C15).
    Attributes(CustomerAttributes),
    /// The customer as now, after an edit of their details (C13).
    Customer(Box<Customer>),
}

/// What the backend said to one row.
enum Outcome {
    /// Done; the row goes, and the backend's copy of what it changed is stored.
    Accepted(Answer),
    /// Refused for good; the row goes and its message fails.
    Refused(ApiError),
    /// The backend failed to handle it (server error, unreadable answer): try again later,
    /// a bounded number of times.
    Failed(RequestError),
    /// The backend could not be reached: try again when it can.
    Unreachable(RequestError),
    /// The session token was refused.
    Unauthorized,
}

/// The worker's state between steps.
struct Worker {
    inner: Arc<Inner>,
    stop: StopSignal,
    /// Paces attempts while the backend cannot be reached.
    offline: Backoff,
}

/// What a step asks the loop to do next.
enum Next {
    /// Look at the queue again at once.
    Continue,
    /// Sleep this long unless woken; if the sleep runs its course, the row of this
    /// sequence number is due, whatever the injected clock says meanwhile.
    Wait(Duration, Option<i64>),
    /// The worker is done (stopped, or the session ended).
    End,
}

/// Runs the outbox worker until the stop signal or the end of the session.
pub async fn run(inner: Arc<Inner>, stop: StopSignal) {
    let mut worker = Worker {
        inner,
        stop,
        offline: Backoff::default(),
    };
    let mut due = None;
    while !worker.stop.is_triggered() {
        let next = match worker.step(due.take()).await {
            Ok(next) => next,
            Err(error) => {
                tracing::error!(%error, "outbox storage failed");
                Next::Wait(STORAGE_RETRY, None)
            }
        };
        let (wait, then) = match next {
            Next::Continue => continue,
            Next::Wait(wait, then) => (wait, then),
            Next::End => return,
        };
        let woken = async {
            tokio::select! {
                _ = tokio::time::sleep(wait) => then,
                _ = worker.inner.outbox_wake.notified() => None,
            }
        };
        match worker.stop.run_until(woken).await {
            Some(elapsed) => due = elapsed,
            None => return,
        }
    }
}

impl Worker {
    /// Tries the row due first (`due` names one the worker has already waited for), or
    /// says how long until one is due.
    async fn step(&mut self, due: Option<i64>) -> Result<Next, CoreError> {
        let inner = Arc::clone(&self.inner);
        let Some(session) = inner.stored_session().await? else {
            return Ok(Next::End);
        };
        if session.ended {
            return Ok(Next::End);
        }
        let mut heads = outbox::heads(&mut *inner.read().await?).await?;
        if let Some(position) = heads.iter().position(|row| Some(row.seq) == due) {
            let waited = heads.remove(position);
            heads.insert(0, waited);
        }
        let Some(row) = heads.into_iter().next() else {
            return Ok(Next::Wait(LONGEST_WAIT, None));
        };
        let wait_ms = row.next_attempt_at.since(inner.clock.now());
        if wait_ms > 0 && Some(row.seq) != due {
            let wait = Duration::from_millis(wait_ms.unsigned_abs());
            if wait > LONGEST_WAIT {
                return Ok(Next::Wait(LONGEST_WAIT, None));
            }
            return Ok(Next::Wait(wait, Some(row.seq)));
        }
        let (subject, action) = match (&row.subject, &row.action) {
            (Ok(subject), Ok(action)) => (subject.clone(), action.clone()),
            (Err(reason), _) | (_, Err(reason)) => {
                let reason = if rolls_back(&row) {
                    format!("A change could not be read back to send it ({reason}); it shows as the backend has it.")
                } else {
                    format!("This message could not be read back to send it ({reason}).")
                };
                fail(&inner, &row, ApiError::new(ErrorCode::Storage, reason)).await?;
                return Ok(Next::Continue);
            }
        };
        let attempt = attempt(&inner, &session.token, &subject, &action);
        let Some(outcome) = self.stop.run_until(attempt).await else {
            return Ok(Next::End);
        };
        match outcome {
            Outcome::Accepted(answer) => {
                self.offline.reset();
                accept(&inner, &row, answer).await?;
            }
            Outcome::Refused(error) => {
                self.offline.reset();
                fail(&inner, &row, error).await?;
            }
            Outcome::Failed(error) => {
                self.offline.reset();
                let failures = row.attempts.saturating_add(1);
                if !inner.retry.allows_another(failures) {
                    let reason = if rolls_back(&row) {
                        format!(
                            "The backend could not take a change after {failures} attempts ({error}); it shows as the backend has it."
                        )
                    } else {
                        format!(
                            "The backend could not take this message after {failures} attempts ({error}). Tap Retry to send it again."
                        )
                    };
                    fail(&inner, &row, ApiError::new(ErrorCode::Internal, reason)).await?;
                    return Ok(Next::Continue);
                }
                let delay = inner.retry.delay_after(failures, fastrand::f64());
                tracing::warn!(seq = row.seq, %error, ?delay, failures, "outbox row failed; retrying later");
                reschedule(&inner, &row, &error, delay).await?;
            }
            Outcome::Unreachable(error) => {
                inner.set_connection(Connection::Offline);
                let delay = self.offline.fail().min(MAX_DELAY);
                tracing::debug!(seq = row.seq, %error, ?delay, "backend unreachable; outbox waits");
                // Every conversation waits alike, and nothing is counted against the row:
                // the sync worker wakes the outbox as soon as the backend answers again.
                return Ok(Next::Wait(delay, Some(row.seq)));
            }
            Outcome::Unauthorized => {
                tracing::info!("the backend refused the session token; the session ends");
                self.stop.trigger();
                inner.end_refused_session().await?;
                return Ok(Next::End);
            }
        }
        Ok(Next::Continue)
    }
}

/// Whether `row` changes something other than a conversation (a note, a task): given up,
/// it rolls back to the backend's copy rather than waiting for a Retry.
fn rolls_back(row: &OutboxRow) -> bool {
    !matches!(row.subject, Ok(Subject::Conversation(_)))
}

/// Sends one row and sorts the answer.
async fn attempt(inner: &Inner, token: &str, subject: &Subject, action: &OutboxAction) -> Outcome {
    let backend = &inner.backend;
    let result = match (subject, action) {
        (Subject::Conversation(id), OutboxAction::SendMessage(request)) => backend
            .send_message(token, id, request)
            .await
            .map(Answer::Message),
        (Subject::Conversation(id), OutboxAction::MarkRead) => {
            backend.mark_read(token, id).await.map(|()| Answer::Nothing)
        }
        (Subject::Conversation(id), OutboxAction::RequestOptIn(request)) => backend
            .request_opt_in(token, id, request)
            .await
            .map(Answer::Message),
        (Subject::Customer(_), OutboxAction::Note(action)) => {
            notes::sending::send(backend, token, action)
                .await
                .map(Answer::Note)
        }
        (Subject::Task(id), OutboxAction::CreateTask(request)) if &request.id == id => {
            tasks::sending::create(backend, token, request)
                .await
                .map(|task| Answer::Task(Box::new(task)))
        }
        (Subject::Task(id), OutboxAction::ChangeTask(change)) => {
            tasks::sending::change(backend, token, id, *change)
                .await
                .map(|task| Answer::Task(Box::new(task)))
        }
        (Subject::Customer(id), OutboxAction::StarCustomer) => {
            stars::send(&inner.backend, token, id, true)
                .await
                .map(|()| Answer::Nothing)
        }
        (Subject::Customer(id), OutboxAction::UnstarCustomer) => {
            stars::send(&inner.backend, token, id, false)
                .await
                .map(|()| Answer::Nothing)
        }
        (Subject::Customer(customer_id), OutboxAction::SetAttribute(queued)) => inner
            .send_attribute(token, customer_id, queued)
            .await
            .map(Answer::Attributes),
        (Subject::Customer(customer_id), OutboxAction::EditCustomer(edit)) => {
            edits::send(backend, token, customer_id, edit)
                .await
                .map(|customer| Answer::Customer(Box::new(customer)))
        }
        (subject, action) => {
            let reason = format!("This action ({action:?}) cannot be about {subject:?}.");
            return Outcome::Refused(ApiError::new(ErrorCode::Storage, reason));
        }
    };
    match result {
        Ok(answer) => Outcome::Accepted(answer),
        Err(error) if error.is_unauthorized() => Outcome::Unauthorized,
        Err(error @ RequestError::Transport(_)) => Outcome::Unreachable(error),
        Err(error @ RequestError::Unexpected(_)) => Outcome::Failed(error),
        Err(error) if error.is_transient() => Outcome::Failed(error),
        Err(error) => Outcome::Refused(ApiError::from(CoreError::from(error))),
    }
}

/// Records an accepted row: removes it and stores the backend's answer in one transaction.
async fn accept(inner: &Inner, row: &OutboxRow, answer: Answer) -> Result<(), CoreError> {
    let mut tx = inner.db.write().await?;
    outbox::remove(&mut tx, row.seq).await?;
    let event = match answer {
        Answer::Message(message) => Some(AppEvent::MessageChanged {
            message: messages::merge_from_backend(&mut tx, &message)
                .await?
                .message,
        }),
        Answer::Task(task) => {
            tasks::storage::save_accepted(&mut tx, &task).await?;
            Some(AppEvent::TasksChanged)
        }
        Answer::Note(note) => {
            notes::sending::accepted(&mut tx, &note).await?;
            Some(AppEvent::NotesChanged {
                customer_id: note.customer_id,
            })
        }
        Answer::Attributes(values) => {
            attributes::store(&mut tx, &[&values], false).await?;
            Some(AppEvent::CustomerAttributesChanged {
                customer_id: values.customer_id,
            })
        }
        // The profile hears of it through `profile_of` below.
        Answer::Customer(customer) => {
            edits::accepted(&mut tx, &customer).await?;
            None
        }
        Answer::Nothing => None,
    };
    let profile = profile_of(&mut tx, row).await?;
    tx.commit().await?;
    if let Some(event) = event {
        inner.emit(event);
    }
    if let Some(customer_ids) = profile {
        inner.emit(AppEvent::CustomersChanged { customer_ids });
    }
    Ok(())
}

/// The customer whose profile a settled row changes (C2): the subject of a customer's
/// row, or the customer of a conversation whose message went out or failed (their last
/// contact, B7).
async fn profile_of(
    conn: &mut sqlx::SqliteConnection,
    row: &OutboxRow,
) -> Result<Option<Vec<CustomerId>>, CoreError> {
    let customer = match &row.subject {
        Ok(Subject::Customer(id)) => Some(id.clone()),
        Ok(Subject::Conversation(id)) if row.message_id.is_some() => conversations::get(conn, id)
            .await?
            .map(|conversation| conversation.customer_id),
        Ok(Subject::Conversation(_) | Subject::Task(_)) | Err(_) => None,
    };
    Ok(customer.map(|id| vec![id]))
}

/// Keeps a row for another attempt after `delay`, counting this one.
async fn reschedule(
    inner: &Inner,
    row: &OutboxRow,
    error: &RequestError,
    delay: Duration,
) -> Result<(), CoreError> {
    let next = inner
        .clock
        .now()
        .plus_ms(i64::try_from(delay.as_millis()).unwrap_or(i64::MAX));
    let mut tx = inner.db.write().await?;
    outbox::record_failure(&mut tx, row.seq, &error.to_string(), next).await?;
    tx.commit().await?;
    Ok(())
}

/// Gives a row up: it goes, its message (if it sends one) fails with `error`'s message
/// (M10) for the associate to retry, and a change of something else is rolled back to the
/// backend's copy: a customer's row by its kind — a note's change (C9), a star put back
/// (C1), an attribute value put back to the one it replaced (C15), the details put back
/// to the backend's (C13) — or a task's (B3); and the UI hears of it.
async fn fail(inner: &Inner, row: &OutboxRow, error: ApiError) -> Result<(), CoreError> {
    let mut tx = inner.db.write().await?;
    outbox::remove(&mut tx, row.seq).await?;
    let failed = match &row.message_id {
        Some(id) => {
            messages::mark_failed(&mut tx, id, &error.message, inner.clock.now()).await?;
            messages::get(&mut tx, id).await?
        }
        None => None,
    };
    let mut put_back = None;
    let rolled_back = match (&row.subject, &row.action) {
        (
            Ok(Subject::Customer(id)),
            Ok(action @ (OutboxAction::StarCustomer | OutboxAction::UnstarCustomer)),
        ) => {
            if stars::given_up(&mut tx, id, action).await? {
                put_back = Some("The star could not be saved");
            }
            None
        }
        // The profile hears of it through `profile_of` below.
        (Ok(Subject::Customer(id)), Ok(OutboxAction::EditCustomer(_))) => {
            edits::refused(&mut tx, id).await?;
            put_back = Some("The customer's details could not be saved");
            None
        }
        (Ok(Subject::Customer(customer_id)), Ok(OutboxAction::SetAttribute(queued))) => {
            match &queued.previous {
                Some(previous) => attributes::set_local(&mut tx, customer_id, previous).await?,
                None => attributes::remove(&mut tx, customer_id, &queued.request.key).await?,
            }
            Some(AppEvent::CustomerAttributesChanged {
                customer_id: customer_id.clone(),
            })
        }
        // A note's change, or a customer's row that cannot be read back (rolling their
        // notes and details back to the backend's copies is safe).
        (Ok(Subject::Customer(customer_id)), _) => {
            notes::sending::refused(&mut tx, customer_id).await?;
            edits::refused(&mut tx, customer_id).await?;
            Some(AppEvent::NotesChanged {
                customer_id: customer_id.clone(),
            })
        }
        (Ok(Subject::Task(id)), _) => {
            tasks::sending::refused(&mut tx, id).await?;
            Some(AppEvent::TasksChanged)
        }
        (Ok(Subject::Conversation(_)) | Err(_), _) => None,
    };
    let profile = profile_of(&mut tx, row).await?;
    tx.commit().await?;
    if let Some(customer_ids) = profile {
        inner.emit(AppEvent::CustomersChanged { customer_ids });
    }
    tracing::warn!(seq = row.seq, %error, "an outbox row was given up");
    if let Some(message) = failed {
        inner.emit(AppEvent::MessageChanged { message });
        inner.emit(AppEvent::Failure { error });
    } else if let Some(event) = rolled_back {
        inner.emit(event);
        inner.emit(AppEvent::Failure { error });
    } else if let Some(what) = put_back {
        let error = ApiError::new(error.code, format!("{what}: {}", error.message));
        inner.emit(AppEvent::Failure { error });
    }
    Ok(())
}
