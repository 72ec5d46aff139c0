//! The browser's clock as the domain's [`Clock`]: where the UI previews time rules (relative
//! labels, the WhatsApp countdown) it asks this for "now"; and times of day as people read
//! them, in the device's time zone.

use clienteling_domain::{Clock, Timestamp};
use wasm_bindgen::JsValue;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Reads `Date.now()`.
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserClock;

impl Clock for BrowserClock {
    fn now(&self) -> Timestamp {
        Timestamp(js_sys::Date::now() as i64)
    }
}

/// "14:05" for today, "Mar 3, 14:05" before, in the device's time zone.
pub fn clock_label(at: Timestamp, now: Timestamp) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(at.millis() as f64));
    let today = js_sys::Date::new(&JsValue::from_f64(now.millis() as f64));
    let time = format!("{:02}:{:02}", date.get_hours(), date.get_minutes());
    let same_day = date.get_full_year() == today.get_full_year()
        && date.get_month() == today.get_month()
        && date.get_date() == today.get_date();
    if same_day {
        time
    } else {
        let month = MONTHS.get(date.get_month() as usize).copied().unwrap_or("");
        format!("{month} {}, {time}", date.get_date())
    }
}
