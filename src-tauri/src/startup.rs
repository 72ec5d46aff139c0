//! Start-up off the main thread: the window and the UI show at once while the engine (the
//! local database and, in demo mode, the embedded backend with its demo data) is created in
//! a background task. [`Readiness`] is the handle the commands wait on: it answers with
//! the started value once there is one, or with the start-up error for the UI to show.

use std::sync::Arc;

use clienteling_domain::{ApiError, ErrorCode};
use tokio::sync::watch;

/// Where start-up is.
#[derive(Debug, Clone)]
enum Phase<T> {
    /// Still starting.
    Starting,
    /// Started: the value the waiters get.
    Ready(T),
    /// Start-up failed; every waiter gets this error.
    Failed(ApiError),
}

/// A value being created in the background, shared by everything that needs it: waiters
/// wait until it is ready (or start-up failed) instead of failing while it is starting.
#[derive(Debug)]
pub struct Readiness<T> {
    phase: Arc<watch::Sender<Phase<T>>>,
}

impl<T> Clone for Readiness<T> {
    fn clone(&self) -> Self {
        Self {
            phase: Arc::clone(&self.phase),
        }
    }
}

impl<T: Clone> Default for Readiness<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Clone> Readiness<T> {
    /// A handle still starting.
    pub fn new() -> Self {
        Self {
            phase: Arc::new(watch::Sender::new(Phase::Starting)),
        }
    }

    /// Start-up finished: wakes every waiter with `value`.
    pub fn ready(&self, value: T) {
        self.phase.send_replace(Phase::Ready(value));
    }

    /// Start-up failed: wakes every waiter with `error`, and answers it from then on.
    pub fn fail(&self, error: ApiError) {
        self.phase.send_replace(Phase::Failed(error));
    }

    /// The started value, waiting for it while start-up runs; the start-up error when it
    /// failed.
    pub async fn wait(&self) -> Result<T, ApiError> {
        let mut phase = self.phase.subscribe();
        // The sender lives in `self`, so the channel cannot close while this waits.
        let settled = phase
            .wait_for(|phase| !matches!(phase, Phase::Starting))
            .await
            .map_err(|_| ApiError::new(ErrorCode::Internal, "start-up was abandoned"))?;
        match &*settled {
            Phase::Ready(value) => Ok(value.clone()),
            Phase::Failed(error) => Err(error.clone()),
            Phase::Starting => Err(ApiError::new(
                ErrorCode::Internal,
                "start-up has not finished",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `wait` is still pending after the runtime ran every other ready task.
    async fn still_waiting(waiter: &tokio::task::JoinHandle<Result<u32, ApiError>>) -> bool {
        for _ in 0..8 {
            tokio::task::yield_now().await;
        }
        !waiter.is_finished()
    }

    // Issue 8 (start-up): commands sent while the core starts wait for it.
    #[tokio::test]
    async fn a_command_sent_while_starting_waits_and_gets_the_started_core() {
        let readiness = Readiness::<u32>::new();
        let waiter = tokio::spawn({
            let readiness = readiness.clone();
            async move { readiness.wait().await }
        });
        assert!(
            still_waiting(&waiter).await,
            "a waiter gets no answer while start-up runs"
        );
        readiness.ready(7);
        let answer = waiter.await.expect("the waiter task does not panic");
        assert_eq!(answer, Ok(7), "the waiter gets the started value");
    }

    // Issue 8 (start-up): a command after start-up gets the core at once.
    #[tokio::test]
    async fn a_command_after_start_up_gets_the_core_at_once() {
        let readiness = Readiness::<u32>::new();
        readiness.ready(3);
        assert_eq!(
            readiness.wait().await,
            Ok(3),
            "a started handle answers without waiting"
        );
        assert_eq!(
            readiness.wait().await,
            Ok(3),
            "every later waiter gets the same value"
        );
    }

    // Issue 8 (start-up): a failed start reaches every waiter instead of a silent exit.
    #[tokio::test]
    async fn a_failed_start_up_answers_every_waiter_with_its_error() {
        let readiness = Readiness::<u32>::new();
        let early = tokio::spawn({
            let readiness = readiness.clone();
            async move { readiness.wait().await }
        });
        assert!(
            still_waiting(&early).await,
            "a waiter gets no answer while start-up runs"
        );
        let error = ApiError::new(ErrorCode::Storage, "the local database is locked");
        readiness.fail(error.clone());
        let early_answer = early.await.expect("the waiter task does not panic");
        assert_eq!(
            early_answer,
            Err(error.clone()),
            "a waiter from before the failure gets its error"
        );
        assert_eq!(
            readiness.wait().await,
            Err(error),
            "a waiter after the failure gets the same error"
        );
    }
}
