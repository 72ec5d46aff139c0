//! Inbox rules (M11): which conversations an inbox lists and in which order.

use serde::{Deserialize, Serialize};

use crate::time::DAY_MS;
use crate::Timestamp;

/// Conversations idle for longer than this leave the inboxes.
pub const ACTIVE_DAYS: i64 = 120;

/// Which inbox to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum InboxScope {
    /// Conversations I took part in or whose customer is assigned to me.
    Mine,
    /// All conversations of the current store.
    #[default]
    Store,
}

/// The oldest last-activity time an inbox still lists at `now`.
pub fn active_since(now: Timestamp) -> Timestamp {
    now.plus_ms(-ACTIVE_DAYS * DAY_MS)
}

/// Whether a conversation last active at `last_activity` is listed at `now`.
pub fn is_active(last_activity: Timestamp, now: Timestamp) -> bool {
    last_activity >= active_since(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn m11_inbox_lists_only_the_last_120_days() {
        let now = Timestamp(200 * DAY_MS);
        assert!(
            is_active(now.plus_ms(-120 * DAY_MS), now),
            "exactly 120 days is still listed"
        );
        assert!(
            !is_active(now.plus_ms(-120 * DAY_MS - 1), now),
            "older than 120 days is not"
        );
        assert!(
            is_active(Timestamp(i64::MIN), Timestamp(i64::MIN)),
            "the start of time does not wrap the 120 days into the future"
        );
        assert!(
            !is_active(Timestamp(i64::MIN), Timestamp(i64::MAX)),
            "nor does the end of time"
        );
    }
}
