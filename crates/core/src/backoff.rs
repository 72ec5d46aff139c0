//! Retry delays after a failure to reach the backend: 250 ms, doubling up to 5 s.

use std::time::Duration;

/// The first delay after a failure.
pub const FIRST_DELAY: Duration = Duration::from_millis(250);
/// The longest delay between attempts.
pub const MAX_DELAY: Duration = Duration::from_secs(5);

/// The delay before the next attempt after `failures` consecutive failures (at least one).
pub fn delay_after(failures: u32) -> Duration {
    let doublings = failures.saturating_sub(1).min(16);
    FIRST_DELAY.saturating_mul(1 << doublings).min(MAX_DELAY)
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

#[cfg(test)]
mod tests {
    use super::*;

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
