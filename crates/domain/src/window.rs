//! The WhatsApp 24-hour customer service window (M5): opened by an inbound customer
//! message, a reply to a template or opt-in consent, and lasting 24 hours from the latest.

use serde::{Deserialize, Serialize};

use crate::time::{HOUR_MS, MINUTE_MS, SECOND_MS};
use crate::Timestamp;

/// How long the window stays open after the latest opening event.
pub const WINDOW_MS: i64 = 24 * HOUR_MS;
/// How long before closing the chat warns.
pub const WARNING_MS: i64 = HOUR_MS;
/// Inbox rows flag windows closing within this span.
pub const CLOSING_SOON_MS: i64 = 4 * HOUR_MS;

/// The service window of one WhatsApp conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceWindow {
    /// The latest event that opened (or re-opened) the window, if any.
    pub opened_at: Option<Timestamp>,
}

/// Where the window stands at a given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum WindowState {
    /// Free-form messages are allowed for `remaining_ms` more.
    Open {
        /// Milliseconds until it closes.
        remaining_ms: i64,
    },
    /// Only approved templates may be sent.
    Closed,
}

impl ServiceWindow {
    /// A window last opened at `opened_at`.
    pub fn opened(opened_at: Timestamp) -> Self {
        Self {
            opened_at: Some(opened_at),
        }
    }

    /// A window that was never opened.
    pub fn never_opened() -> Self {
        Self { opened_at: None }
    }

    /// The window after another opening event at `at`; it lasts from the latest.
    pub fn reopen(self, at: Timestamp) -> Self {
        match self.opened_at {
            Some(previous) if previous >= at => self,
            _ => Self::opened(at),
        }
    }

    /// When the window closes, if it was ever opened.
    pub fn closes_at(self) -> Option<Timestamp> {
        self.opened_at.map(|t| t.plus_ms(WINDOW_MS))
    }

    /// The state at `now`. The window is open while `now < opened_at + 24h`: at exactly
    /// 24 hours it is closed.
    pub fn state(self, now: Timestamp) -> WindowState {
        match self.closes_at() {
            Some(closes) if now < closes => WindowState::Open {
                remaining_ms: closes.since(now),
            },
            _ => WindowState::Closed,
        }
    }

    /// Whether a free-form message may be sent at `now`.
    pub fn is_open(self, now: Timestamp) -> bool {
        matches!(self.state(now), WindowState::Open { .. })
    }

    /// Whether the chat should warn at `now` (open, in its last hour).
    pub fn is_warning(self, now: Timestamp) -> bool {
        matches!(self.state(now), WindowState::Open { remaining_ms } if remaining_ms <= WARNING_MS)
    }

    /// Whether an inbox row should flag the window as closing soon.
    pub fn is_closing_soon(self, now: Timestamp) -> bool {
        matches!(self.state(now), WindowState::Open { remaining_ms } if remaining_ms <= CLOSING_SOON_MS)
    }

    /// The live countdown the chat shows: hours and minutes while more than an hour is
    /// left, then minutes (and seconds in the last minute); "Closed" after.
    pub fn countdown_label(self, now: Timestamp) -> String {
        match self.state(now) {
            WindowState::Closed => "Closed".to_owned(),
            WindowState::Open { remaining_ms } if remaining_ms > HOUR_MS => {
                let minutes = remaining_ms / MINUTE_MS;
                format!("{}h {:02}m left", minutes / 60, minutes % 60)
            }
            WindowState::Open { remaining_ms } if remaining_ms >= MINUTE_MS => {
                // Round up so "0m" never shows while the window is still open.
                format!(
                    "{}m left",
                    remaining_ms.saturating_add(MINUTE_MS - 1) / MINUTE_MS
                )
            }
            WindowState::Open { remaining_ms } => {
                format!(
                    "{}s left",
                    remaining_ms.saturating_add(SECOND_MS - 1) / SECOND_MS
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: Timestamp = Timestamp(1_700_000_000_000);

    #[test]
    fn m5_window_is_open_until_exactly_24_hours() {
        let w = ServiceWindow::opened(T0);
        assert!(w.is_open(T0), "open at the opening instant");
        assert!(
            w.is_open(T0.plus_ms(WINDOW_MS - 1)),
            "open one millisecond before 24 h"
        );
        assert!(!w.is_open(T0.plus_ms(WINDOW_MS)), "closed at exactly 24 h");
        assert!(
            !ServiceWindow::never_opened().is_open(T0),
            "a never-opened window is closed"
        );
    }

    #[test]
    fn m5_latest_opening_event_counts() {
        let w = ServiceWindow::opened(T0).reopen(T0.plus_ms(10 * HOUR_MS));
        assert!(
            w.is_open(T0.plus_ms(30 * HOUR_MS)),
            "a later reply extends the window"
        );
        let w2 = ServiceWindow::opened(T0.plus_ms(10 * HOUR_MS)).reopen(T0);
        assert_eq!(
            w2.opened_at,
            Some(T0.plus_ms(10 * HOUR_MS)),
            "an older event does not shorten it"
        );
    }

    #[test]
    fn m5_window_rules_hold_at_the_ends_of_time() {
        let last = Timestamp(i64::MAX);
        let late = ServiceWindow::opened(last.plus_ms(-HOUR_MS));
        assert_eq!(
            late.closes_at(),
            Some(last),
            "a window opened near the end closes at the end, not wrapped into the past"
        );
        assert!(late.is_open(last.plus_ms(-1)), "it is open before then");
        assert_eq!(
            late.countdown_label(last),
            "Closed",
            "and closed at the end"
        );
        let first = ServiceWindow::opened(Timestamp(i64::MIN));
        assert!(
            !first.is_open(last),
            "a window from the start of time is closed"
        );
        assert!(
            ServiceWindow::opened(last)
                .countdown_label(Timestamp(i64::MIN))
                .ends_with("left"),
            "the widest remaining span still makes a label"
        );
    }

    #[test]
    fn m5_countdown_shows_hours_then_minutes_and_warns_in_last_hour() {
        let w = ServiceWindow::opened(T0);
        assert_eq!(w.countdown_label(T0), "24h 00m left", "full window");
        assert_eq!(
            w.countdown_label(T0.plus_ms(WINDOW_MS - 90 * MINUTE_MS)),
            "1h 30m left",
            "hours and minutes"
        );
        assert_eq!(
            w.countdown_label(T0.plus_ms(WINDOW_MS - 59 * MINUTE_MS - 1)),
            "60m left",
            "minutes in the last hour, rounded up"
        );
        assert_eq!(
            w.countdown_label(T0.plus_ms(WINDOW_MS - 30_000)),
            "30s left",
            "seconds in the last minute"
        );
        assert_eq!(
            w.countdown_label(T0.plus_ms(WINDOW_MS)),
            "Closed",
            "closed after"
        );
        assert!(
            !w.is_warning(T0.plus_ms(WINDOW_MS - HOUR_MS - 1)),
            "no warning before the last hour"
        );
        assert!(
            w.is_warning(T0.plus_ms(WINDOW_MS - HOUR_MS)),
            "warning in the last hour"
        );
        assert!(
            w.is_closing_soon(T0.plus_ms(WINDOW_MS - CLOSING_SOON_MS)),
            "inbox flags closing soon"
        );
    }
}
