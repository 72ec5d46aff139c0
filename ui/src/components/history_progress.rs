//! The backfill's progress at the foot of the inbox: the first screen came from the backend's
//! snapshot, and older messages are being filled in (issue "Fast at any size").

use clienteling_domain::view::HistoryProgress as Progress;
use yew::prelude::*;

use crate::hooks::use_store;

/// A thin bar with "Loading older messages… 42%" and the counts by kind from the feed's
/// totals ("1 200 of 2 100 customers · 14 000 of 48 000 messages") while the backfill
/// runs; nothing once the history is complete.
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
    let counts = counts_label(&progress);
    html! {
        <div class="history-progress" data-test="history-progress" role="progressbar"
            aria-label="Loading older messages"
            aria-valuemin="0" aria-valuemax="100" aria-valuenow={percent.to_string()}>
            <span class="history-progress__text">
                { format!("Loading older messages… {percent}%") }
            </span>
            if !counts.is_empty() {
                <span class="history-progress__counts" data-test="history-counts">{ counts }</span>
            }
            <span class="history-progress__track" aria-hidden="true">
                <span class="history-progress__bar" style={format!("width: {percent}%")} />
            </span>
        </div>
    }
}

/// "1 200 of 2 100 customers · 14 000 of 48 000 messages": the kinds with history to load.
fn counts_label(progress: &Progress) -> String {
    [
        (progress.customers, "customers"),
        (progress.conversations, "conversations"),
        (progress.messages, "messages"),
    ]
    .into_iter()
    .filter(|(counted, _)| counted.total > 0)
    .map(|(counted, noun)| {
        let stored = counted.stored.min(counted.total);
        format!("{} of {} {noun}", grouped(stored), grouped(counted.total))
    })
    .collect::<Vec<_>>()
    .join(" · ")
}

/// `n` with thin groups of three digits, as people read counts: "48 000".
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use clienteling_domain::view::Counted;

    use super::*;

    #[test]
    fn the_backfill_shows_counts_by_kind_from_the_feeds_totals() {
        let progress = Progress {
            stored: 15_200,
            total: 50_100,
            complete: false,
            customers: Counted {
                stored: 1_200,
                total: 2_100,
            },
            conversations: Counted::default(),
            messages: Counted {
                stored: 14_000,
                total: 48_000,
            },
        };
        assert_eq!(
            counts_label(&progress),
            "1\u{202f}200 of 2\u{202f}100 customers · 14\u{202f}000 of 48\u{202f}000 messages",
            "each kind with history to load, grouped by thousands; none without"
        );
        assert_eq!(grouped(7), "7", "small counts stay as they are");
        assert_eq!(
            grouped(1_000_000),
            "1\u{202f}000\u{202f}000",
            "millions group twice"
        );
    }
}
