//! Unsent work (B1): what this device holds that the backend has not accepted yet, by
//! kind — messages (texts, templates, opt-in requests), notes, stars, attribute values,
//! edits of customers' details and tasks — so signing out warns "2 messages, 1 note, 1 task not sent yet". Read markers
//! are not counted: losing one loses nothing the associate wrote.

use serde::{Deserialize, Serialize};

/// The waiting actions by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnsentWork {
    /// Messages, templates and opt-in requests.
    pub messages: u32,
    /// Notes written, edited, pinned or deleted (C9).
    pub notes: u32,
    /// Stars set or taken off (C1).
    pub stars: u32,
    /// Attribute values set (C15).
    pub attributes: u32,
    /// Edits of customers' names, genders and dates of birth (C13).
    #[serde(default)]
    pub customer_edits: u32,
    /// Tasks set or changed (B3).
    pub tasks: u32,
}

impl UnsentWork {
    /// Every waiting action.
    pub fn total(self) -> u32 {
        [
            self.messages,
            self.notes,
            self.stars,
            self.attributes,
            self.customer_edits,
            self.tasks,
        ]
        .into_iter()
        .fold(0, u32::saturating_add)
    }

    /// Nothing waits.
    pub fn is_empty(self) -> bool {
        self.total() == 0
    }

    /// "2 messages, 1 note, 1 task": the kinds that wait, in a fixed order, or "nothing".
    pub fn phrase(self) -> String {
        let parts: Vec<String> = [
            (self.messages, "message", "messages"),
            (self.notes, "note", "notes"),
            (self.stars, "star", "stars"),
            (self.attributes, "attribute value", "attribute values"),
            (self.customer_edits, "customer edit", "customer edits"),
            (self.tasks, "task", "tasks"),
        ]
        .into_iter()
        .filter(|(count, _, _)| *count > 0)
        .map(|(count, one, many)| format!("{count} {}", if count == 1 { one } else { many }))
        .collect();
        if parts.is_empty() {
            "nothing".to_owned()
        } else {
            parts.join(", ")
        }
    }

    /// "2 messages, 1 note, 1 task not sent yet".
    pub fn summary(self) -> String {
        format!("{} not sent yet", self.phrase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn b1_unsent_work_is_summed_up_by_kind() {
        let work = UnsentWork {
            messages: 2,
            notes: 1,
            tasks: 1,
            ..UnsentWork::default()
        };
        assert_eq!(
            work.summary(),
            "2 messages, 1 note, 1 task not sent yet",
            "each waiting kind once, singular or plural"
        );
        assert_eq!(work.total(), 4, "the total counts every kind");
        let one_each = UnsentWork {
            messages: 1,
            notes: 2,
            stars: 1,
            attributes: 3,
            customer_edits: 1,
            tasks: 0,
        };
        assert_eq!(
            one_each.phrase(),
            "1 message, 2 notes, 1 star, 3 attribute values, 1 customer edit",
            "kinds with nothing waiting are left out"
        );
        assert!(UnsentWork::default().is_empty(), "nothing waits");
        assert_eq!(UnsentWork::default().phrase(), "nothing", "nothing to list");
    }
}
