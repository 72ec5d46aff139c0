//! The due-task worker: sleeps until the signed-in staff member's next open task comes
//! due (looking again whenever their tasks change, and at least every
//! [`LONGEST_WAIT`]), then announces the tasks due, each once per device, in one
//! [`AppEvent::TasksDue`] for the shell to notify.

use std::sync::Arc;
use std::time::Duration;

use clienteling_domain::view::AppEvent;
use tokio::sync::broadcast::error::RecvError;

use crate::engine::Inner;
use crate::error::CoreError;
use crate::stop::StopSignal;
use crate::tasks::storage;

/// The longest the worker sleeps without looking again (the clock may be moved, the
/// machine may have slept).
const LONGEST_WAIT: Duration = Duration::from_secs(30);

/// Announces the tasks due now that this device has not announced yet; answers how many.
pub(crate) async fn check(inner: &Inner) -> Result<usize, CoreError> {
    let Some(session) = inner.stored_session().await? else {
        return Ok(0);
    };
    let mut tx = inner.db.write().await?;
    let due = storage::take_due(&mut tx, &session.staff.id, inner.clock.now()).await?;
    tx.commit().await?;
    let count = due.len();
    if count > 0 {
        inner.emit(AppEvent::TasksDue { tasks: due });
    }
    Ok(count)
}

/// How long until the next task not yet announced comes due, at most [`LONGEST_WAIT`].
async fn wait(inner: &Inner) -> Result<Duration, CoreError> {
    let Some(session) = inner.stored_session().await? else {
        return Ok(LONGEST_WAIT);
    };
    let next = storage::next_due(&mut *inner.read().await?, &session.staff.id).await?;
    Ok(match next {
        Some(due_at) => {
            let ms = due_at.since(inner.clock.now()).max(0).unsigned_abs();
            Duration::from_millis(ms).min(LONGEST_WAIT)
        }
        None => LONGEST_WAIT,
    })
}

/// Runs the worker until the stop signal.
pub async fn run(inner: Arc<Inner>, stop: StopSignal) {
    let mut changes = inner.events.subscribe();
    while !stop.is_triggered() {
        let pause = match check(&inner).await {
            Ok(_) => wait(&inner).await,
            Err(error) => Err(error),
        };
        let pause = pause.unwrap_or_else(|error| {
            tracing::error!(%error, "the due tasks could not be read");
            LONGEST_WAIT
        });
        let woken = async {
            tokio::select! {
                () = tokio::time::sleep(pause) => {}
                () = tasks_changed(&mut changes) => {}
            }
        };
        if stop.run_until(woken).await.is_none() {
            return;
        }
    }
}

/// Waits for the next [`AppEvent::TasksChanged`] (or missed events, which may hide one).
async fn tasks_changed(changes: &mut tokio::sync::broadcast::Receiver<AppEvent>) {
    loop {
        match changes.recv().await {
            Ok(AppEvent::TasksChanged) | Err(RecvError::Lagged(_)) => return,
            Ok(_) => {}
            Err(RecvError::Closed) => std::future::pending().await,
        }
    }
}
