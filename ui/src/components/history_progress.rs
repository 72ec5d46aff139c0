//! The backfill's progress at the foot of the inbox: the first screen came from the backend's
//! snapshot, and older messages are being filled in (issue "Fast at any size").

use yew::prelude::*;

use crate::hooks::use_store;

/// A thin bar with "Loading older messages… 42%" while the backfill runs; nothing once the
/// history is complete.
#[component]
pub fn HistoryProgress() -> Html {
    let store = use_store();
    let Some(session) = store.session() else {
        return html! {};
    };
    let progress = session.history;
    if progress.complete {
        return html! {};
    }
    // The fraction lies in [0, 1], so the percentage fits a u8.
    let percent = (progress.fraction() * 100.0).floor().clamp(0.0, 100.0) as u8;
    html! {
        <div class="history-progress" data-test="history-progress" role="progressbar"
            aria-label="Loading older messages"
            aria-valuemin="0" aria-valuemax="100" aria-valuenow={percent.to_string()}>
            <span class="history-progress__text">
                { format!("Loading older messages… {percent}%") }
            </span>
            <span class="history-progress__track" aria-hidden="true">
                <span class="history-progress__bar" style={format!("width: {percent}%")} />
            </span>
        </div>
    }
}
