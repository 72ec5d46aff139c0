//! The signal that tells a session's background workers to finish what they are doing and
//! return, at their next network wait.

use std::future::Future;

use tokio::sync::watch;

/// A shared stop flag; every clone sees the same state.
#[derive(Debug, Clone)]
pub struct StopSignal {
    sender: watch::Sender<bool>,
}

impl StopSignal {
    /// A signal not yet triggered.
    pub fn new() -> Self {
        Self {
            sender: watch::Sender::new(false),
        }
    }

    /// Asks every holder to stop.
    pub fn trigger(&self) {
        self.sender.send_replace(true);
    }

    /// Whether a stop was asked for.
    pub fn is_triggered(&self) -> bool {
        *self.sender.borrow()
    }

    /// Runs `work` unless a stop is asked for first; `None` when stopped.
    pub async fn run_until<F: Future>(&self, work: F) -> Option<F::Output> {
        let mut receiver = self.sender.subscribe();
        tokio::select! {
            biased;
            _ = receiver.wait_for(|stopped| *stopped) => None,
            output = work => Some(output),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_runs_until_a_stop_and_not_after() {
        let stop = StopSignal::new();
        assert_eq!(
            stop.run_until(async { 7 }).await,
            Some(7),
            "work finishes while not stopped"
        );
        stop.clone().trigger();
        assert!(stop.is_triggered(), "a clone's trigger is seen by all");
        assert_eq!(
            stop.run_until(std::future::pending::<()>()).await,
            None,
            "a stopped signal ends pending work"
        );
    }
}
