//! `use_now`: the current time, refreshed on an interval, for labels that age (relative
//! times, the WhatsApp countdown).

use clienteling_domain::{Clock, Timestamp};
use gloo_timers::callback::Interval;
use yew::prelude::*;

use crate::clock::BrowserClock;

/// The browser's time, re-read every `period_ms` milliseconds (re-rendering the caller).
#[hook]
pub fn use_now(period_ms: u32) -> Timestamp {
    let now = use_state(|| BrowserClock.now());
    {
        let now = now.setter();
        use_effect_with(period_ms, move |period| {
            let interval = Interval::new(*period, move || now.set(BrowserClock.now()));
            move || drop(interval)
        });
    }
    *now
}
