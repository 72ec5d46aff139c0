//! The browser's clock as the domain's [`Clock`]: where the UI previews time rules (relative
//! labels, the WhatsApp countdown) it asks this for "now".

use clienteling_domain::{Clock, Timestamp};

/// Reads `Date.now()`.
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserClock;

impl Clock for BrowserClock {
    fn now(&self) -> Timestamp {
        Timestamp(js_sys::Date::now() as i64)
    }
}
