//! Clocks for the engine: the system clock the app runs on, and a manual clock tests set.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use clienteling_domain::{Clock, Timestamp};

/// The operating system's wall clock; the only place in the core that reads it.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        let since_epoch = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Timestamp(i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX))
    }
}

/// A clock that only moves when told to, for tests that cross time boundaries (the
/// 24-hour window, the 120-day inbox) without waiting.
#[derive(Debug)]
pub struct ManualClock {
    now_ms: AtomicI64,
}

impl ManualClock {
    /// A clock standing at `now`.
    pub fn new(now: Timestamp) -> Self {
        Self {
            now_ms: AtomicI64::new(now.millis()),
        }
    }

    /// A clock standing at the system's current time.
    pub fn starting_now() -> Self {
        Self::new(SystemClock.now())
    }

    /// Moves the clock to `now`.
    pub fn set(&self, now: Timestamp) {
        self.now_ms.store(now.millis(), Ordering::SeqCst);
    }

    /// Moves the clock forward by `ms` milliseconds (backward when negative).
    pub fn advance(&self, ms: i64) {
        self.now_ms.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        Timestamp(self.now_ms.load(Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let clock = ManualClock::new(Timestamp(1_000));
        assert_eq!(clock.now(), Timestamp(1_000), "a manual clock stands still");
        clock.advance(500);
        assert_eq!(clock.now(), Timestamp(1_500), "advance moves it forward");
        clock.set(Timestamp(42));
        assert_eq!(clock.now(), Timestamp(42), "set puts it anywhere");
    }

    #[test]
    fn system_clock_reads_a_time_after_2020() {
        assert!(
            SystemClock.now() > Timestamp(1_577_836_800_000),
            "the system clock reads the present"
        );
    }
}
