//! Points in time as milliseconds since the Unix epoch, and the durations the rules use.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One second in milliseconds.
pub const SECOND_MS: i64 = 1_000;
/// One minute in milliseconds.
pub const MINUTE_MS: i64 = 60 * SECOND_MS;
/// One hour in milliseconds.
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
/// One day in milliseconds.
pub const DAY_MS: i64 = 24 * HOUR_MS;

/// A point in time, in milliseconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// Milliseconds since the epoch.
    pub fn millis(self) -> i64 {
        self.0
    }

    /// This point moved by `ms` milliseconds (negative moves back), stopping at the
    /// earliest or latest time a timestamp can hold rather than wrapping.
    pub fn plus_ms(self, ms: i64) -> Self {
        Self(self.0.saturating_add(ms))
    }

    /// This point moved by `ms` milliseconds, or `None` when that lies beyond the times a
    /// timestamp can hold.
    pub fn checked_plus_ms(self, ms: i64) -> Option<Self> {
        self.0.checked_add(ms).map(Self)
    }

    /// Milliseconds from `earlier` to `self` (negative when `earlier` is later), saturating
    /// at the `i64` bounds for points too far apart.
    pub fn since(self, earlier: Timestamp) -> i64 {
        self.0.saturating_sub(earlier.0)
    }

    /// Short label relative to `now`, as an inbox row shows it: "now", "5m", "3h",
    /// "2d", then "12w".
    pub fn relative_label(self, now: Timestamp) -> String {
        let age = now.since(self).max(0);
        if age < MINUTE_MS {
            "now".to_owned()
        } else if age < HOUR_MS {
            format!("{}m", age / MINUTE_MS)
        } else if age < DAY_MS {
            format!("{}h", age / HOUR_MS)
        } else if age < 7 * DAY_MS {
            format!("{}d", age / DAY_MS)
        } else {
            format!("{}w", age / (7 * DAY_MS))
        }
    }
}

/// A source of the current time, injected wherever "now" matters so tests can move it
/// (across the 24-hour window boundary, for instance). The domain's rules never call it:
/// they take a [`Timestamp`].
pub trait Clock: Send + Sync + 'static {
    /// The current time.
    fn now(&self) -> Timestamp;
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}ms", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_label_moves_from_minutes_to_weeks() {
        let now = Timestamp(100 * DAY_MS);
        assert_eq!(
            now.relative_label(now),
            "now",
            "a message of this instant is 'now'"
        );
        assert_eq!(
            now.plus_ms(-5 * MINUTE_MS).relative_label(now),
            "5m",
            "minutes below an hour"
        );
        assert_eq!(
            now.plus_ms(-3 * HOUR_MS).relative_label(now),
            "3h",
            "hours below a day"
        );
        assert_eq!(
            now.plus_ms(-2 * DAY_MS).relative_label(now),
            "2d",
            "days below a week"
        );
        assert_eq!(
            now.plus_ms(-15 * DAY_MS).relative_label(now),
            "2w",
            "weeks beyond"
        );
    }

    #[test]
    fn time_arithmetic_saturates_at_the_ends_of_time_instead_of_wrapping() {
        let (first, last) = (Timestamp(i64::MIN), Timestamp(i64::MAX));
        assert_eq!(last.since(first), i64::MAX, "the widest span saturates");
        assert_eq!(first.since(last), i64::MIN, "and so does its opposite");
        assert_eq!(last.plus_ms(1), last, "moving past the end stops there");
        assert_eq!(
            first.plus_ms(-1),
            first,
            "moving before the start stops there"
        );
        assert_eq!(
            last.checked_plus_ms(1),
            None,
            "the checked move says it cannot"
        );
        assert_eq!(
            Timestamp(1).checked_plus_ms(1),
            Some(Timestamp(2)),
            "an ordinary checked move"
        );
        assert_eq!(
            first.relative_label(last),
            "15250284452w",
            "the oldest time is labelled, not a panic"
        );
        assert_eq!(last.relative_label(first), "now", "the future is now");
    }

    #[test]
    fn relative_label_treats_future_times_as_now() {
        let now = Timestamp(1_000_000);
        assert_eq!(
            now.plus_ms(MINUTE_MS).relative_label(now),
            "now",
            "clock skew must not show a negative age"
        );
    }
}
