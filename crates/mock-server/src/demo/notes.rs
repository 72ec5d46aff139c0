//! The demo's notes on customers (C9): a few per customer for one customer in five of
//! those assigned to someone, written by their assigned associates over the last months,
//! the first of every other customer's pinned.

use clienteling_domain::note::Note;
use clienteling_domain::{NoteId, Timestamp};

use super::DemoData;

const DAY_MS: i64 = 24 * 60 * 60 * 1_000;

/// What associates write about customers.
const TEXTS: [&str; 10] = [
    "Prefers size M in tops, 32 in trousers. Loves linen in summer.",
    "Looking for a coat for a trip to Oslo in February; likes camel and navy.",
    "Birthday in June: offered early access to the summer collection.",
    "Returned the wool scarf (itchy). Only merino or cashmere from now on.",
    "Buys gifts for her husband: shirts, 15.5 collar, slim fit.",
    "Does not like phone calls; text first, WhatsApp preferred.",
    "Asked to be told when the white sneakers are back in 39.",
    "Very happy with the tailoring on the suit; recommend Marco again.",
    "Shops with her daughter on Saturdays; book the fitting room.",
    "Allergic to lanolin: no untreated wool.",
];

/// The demo notes, with ids derived from their position so every seed gives the same.
pub fn notes(demo: &DemoData, now: Timestamp) -> Vec<Note> {
    let mut notes = Vec::new();
    let assigned = demo
        .customers
        .iter()
        .map(|(customer, _)| customer)
        .filter(|customer| !customer.assigned_staff_ids.is_empty());
    for (rank, customer) in assigned.enumerate().filter(|(rank, _)| rank % 5 == 0) {
        let count = 1 + rank % 3;
        for position in 0..count {
            let author_id =
                &customer.assigned_staff_ids[position % customer.assigned_staff_ids.len()];
            let Some(author) = demo.staff.iter().find(|s| &s.id == author_id) else {
                continue;
            };
            let serial = notes.len();
            let days_ago = i64::try_from(3 + (rank * 7 + position * 11) % 150).unwrap_or(3);
            let at = now.plus_ms(-days_ago * DAY_MS);
            notes.push(Note {
                id: NoteId(format!("00000000-0000-4000-8000-{serial:012}")),
                customer_id: customer.id.clone(),
                author_staff_id: author.id.clone(),
                author_name: author.name.clone(),
                body: TEXTS[(rank + position) % TEXTS.len()].to_owned(),
                pinned: position == 0 && rank % 2 == 0,
                created_at: at,
                updated_at: at,
                deleted: false,
            });
        }
    }
    notes
}
