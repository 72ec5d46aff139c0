//! The server's clock: the system time plus an offset that the simulator can move forward,
//! so tests cross the WhatsApp 24-hour window without waiting a day.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use clienteling_domain::{Clock, Timestamp};

/// System time shifted by a controllable offset.
#[derive(Debug, Default)]
pub struct ServerClock {
    offset_ms: AtomicI64,
}

impl ServerClock {
    /// A clock reading the system time, not yet moved.
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves the clock forward by `ms` milliseconds and answers the new time.
    pub fn advance(&self, ms: i64) -> Timestamp {
        self.offset_ms.fetch_add(ms, Ordering::SeqCst);
        self.now()
    }
}

impl Clock for ServerClock {
    fn now(&self) -> Timestamp {
        let since_epoch = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let system = i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX);
        Timestamp(system).plus_ms(self.offset_ms.load(Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clienteling_domain::time::DAY_MS;

    #[test]
    fn m5_advancing_moves_server_time_a_day_ahead() {
        let clock = ServerClock::new();
        let before = clock.now();
        let after = clock.advance(DAY_MS);
        assert!(
            after.since(before) >= DAY_MS,
            "advancing by a day moves now at least a day ahead"
        );
        assert!(
            clock.now() >= after,
            "the moved clock keeps running from the new time"
        );
    }
}
