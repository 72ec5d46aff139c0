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

/// How many minutes the device's local time is ahead of UTC (negative west of Greenwich).
pub fn utc_offset_minutes() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}

/// The point in time of a local date ("2026-12-01") and time of day ("14:05") as
/// `<input type=date>` and `<input type=time>` give them, or `None` if either is malformed.
pub fn local_date_time(date: &str, time: &str) -> Option<Timestamp> {
    let mut day = date.splitn(3, '-').map(str::parse::<u32>);
    let (year, month, day) = (day.next()?.ok()?, day.next()?.ok()?, day.next()?.ok()?);
    let mut clock = time.splitn(2, ':').map(str::parse::<u32>);
    let (hours, minutes) = (clock.next()?.ok()?, clock.next()?.ok()?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hours > 23 || minutes > 59 {
        return None;
    }
    let at = js_sys::Date::new_with_year_month_day_hr_min(
        year,
        month as i32 - 1,
        day as i32,
        hours as i32,
        minutes as i32,
    );
    let ms = at.get_time();
    ms.is_finite().then_some(Timestamp(ms as i64))
}

/// The local date ("2026-12-01") and time of day ("14:05") of `at`, as the date and time
/// inputs take them.
pub fn local_date_and_time(at: Timestamp) -> (String, String) {
    let date = js_sys::Date::new(&JsValue::from_f64(at.millis() as f64));
    (
        format!(
            "{:04}-{:02}-{:02}",
            date.get_full_year(),
            date.get_month() + 1,
            date.get_date()
        ),
        format!("{:02}:{:02}", date.get_hours(), date.get_minutes()),
    )
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
