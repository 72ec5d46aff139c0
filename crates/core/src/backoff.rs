//! Retry delays: after a failure to reach the backend (250 ms, doubling up to 5 s, tried
//! for as long as it takes), and the bounded, jittered retries of an outbox row the
//! backend failed to handle ([`RetryPolicy`]).

use std::time::Duration;

/// The first delay after a failure.
pub const FIRST_DELAY: Duration = Duration::from_millis(250);
/// The longest delay between attempts.
pub const MAX_DELAY: Duration = Duration::from_secs(5);

/// The delay before the next attempt after `failures` consecutive failures (at least one).
pub fn delay_after(failures: u32) -> Duration {
    doubling(FIRST_DELAY, MAX_DELAY, failures)
}

/// `first` after one failure, doubling with each further one, never more than `max`.
fn doubling(first: Duration, max: Duration, failures: u32) -> Duration {
    let doublings = failures.saturating_sub(1).min(31);
    first.saturating_mul(1_u32 << doublings).min(max)
}

/// Consecutive failures of one kind of attempt, giving the delay before the next.
#[derive(Debug, Default)]
pub struct Backoff {
    failures: u32,
}

impl Backoff {
    /// Records a failure and returns how long to wait before trying again.
    pub fn fail(&mut self) -> Duration {
        self.failures = self.failures.saturating_add(1);
        delay_after(self.failures)
    }

    /// Starts over after a success.
    pub fn reset(&mut self) {
        self.failures = 0;
    }
}

/// How an outbox row is retried after a server error or an answer the app cannot read:
/// a delay doubling from `first_delay` up to `max_delay`, each drawn at random between its
/// half and its whole (so many devices do not retry in step), for at most `max_attempts`
/// attempts; then the action fails with the reason and waits for the associate's Retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The delay after the first failed attempt (before jitter).
    pub first_delay: Duration,
    /// The longest delay between attempts (before jitter).
    pub max_delay: Duration,
    /// Attempts, the first included, before the action fails.
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    /// 1 s doubling up to 30 s, eight attempts: about a minute and a half in all.
    fn default() -> Self {
        Self {
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            max_attempts: 8,
        }
    }
}

impl RetryPolicy {
    /// Whether an action that has failed `failures` times may be tried again.
    pub fn allows_another(&self, failures: u32) -> bool {
        failures < self.max_attempts
    }

    /// The delay after `failures` failed attempts (at least one), with `jitter` in
    /// `0.0..=1.0` placing it between half the nominal delay and all of it.
    pub fn delay_after(&self, failures: u32, jitter: f64) -> Duration {
        let half = doubling(self.first_delay, self.max_delay, failures) / 2;
        half + half.mul_f64(jitter.clamp(0.0, 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn b1_outbox_retries_double_with_jitter_and_stop_after_the_bound() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.delay_after(1, 1.0),
            Duration::from_secs(1),
            "the first retry waits at most the first delay"
        );
        assert_eq!(
            policy.delay_after(1, 0.0),
            Duration::from_millis(500),
            "jitter never cuts a delay below half"
        );
        assert_eq!(
            policy.delay_after(3, 1.0),
            Duration::from_secs(4),
            "delays double"
        );
        assert_eq!(
            policy.delay_after(40, 1.0),
            Duration::from_secs(30),
            "delays stop growing at the cap, even after very many failures"
        );
        assert!(
            policy.allows_another(7) && !policy.allows_another(8),
            "eight attempts in all, then the action fails"
        );
    }

    #[test]
    fn b1_delays_double_from_250_ms_up_to_5_s() {
        let mut backoff = Backoff::default();
        let delays: Vec<u128> = (0..8).map(|_| backoff.fail().as_millis()).collect();
        assert_eq!(
            delays,
            vec![250, 500, 1_000, 2_000, 4_000, 5_000, 5_000, 5_000],
            "doubling, capped at 5 s"
        );
        backoff.reset();
        assert_eq!(
            backoff.fail(),
            FIRST_DELAY,
            "a success starts the delays over"
        );
        assert_eq!(
            delay_after(u32::MAX),
            MAX_DELAY,
            "huge failure counts stay capped"
        );
    }
}
