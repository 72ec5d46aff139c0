//! The notes section's state (C9): which customers' notes changed since the profile read
//! them (so an open profile reloads them), the rows as the section shows them (mine with
//! Edit and Delete, the waiting ones "Saving…"), what the associate is doing to a note
//! (editing its text, confirming its deletion), and the keys that save.

use std::collections::HashMap;

use clienteling_domain::note::Note;
use clienteling_domain::{CustomerId, NoteId, StaffId};

/// A revision per customer of their notes: it moves when the core reports a change, so a
/// profile showing them knows to read them again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoteRevisions {
    /// Moves for every customer at once (events were lost).
    epoch: u32,
    /// Moves for one customer.
    per_customer: HashMap<CustomerId, u32>,
}

impl NoteRevisions {
    /// The revision of `customer_id`'s notes.
    pub fn of(&self, customer_id: &CustomerId) -> u32 {
        self.epoch
            .wrapping_add(self.per_customer.get(customer_id).copied().unwrap_or(0))
    }

    /// The core reported a change of `customer_id`'s notes.
    pub fn changed(&mut self, customer_id: CustomerId) {
        let revision = self.per_customer.entry(customer_id).or_insert(0);
        *revision = revision.wrapping_add(1);
    }

    /// Anything may have changed (events were lost).
    pub fn all_changed(&mut self) {
        self.epoch = self.epoch.wrapping_add(1);
    }
}

/// One note as the section shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteRow {
    /// The note.
    pub note: Note,
    /// Written by the signed-in staff member: they may edit and delete it.
    pub mine: bool,
    /// A change of it waits for the backend ("Saving…").
    pub saving: bool,
}

/// The rows of `notes` (in the order the core gave, pinned first) for staff member `me`,
/// with those among `unsaved` marked as saving.
pub fn rows(notes: &[Note], unsaved: &[NoteId], me: &StaffId) -> Vec<NoteRow> {
    notes
        .iter()
        .map(|note| NoteRow {
            mine: note.may_be_changed_by(me),
            saving: unsaved.contains(&note.id),
            note: note.clone(),
        })
        .collect()
}

/// Whether a key press in a note's text box saves it: Enter with Ctrl (or Cmd on a Mac);
/// Enter alone starts a new line.
pub fn saves(key: &str, ctrl: bool, meta: bool) -> bool {
    key == "Enter" && (ctrl || meta)
}

/// What the associate is doing to one note.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum NoteEditing {
    /// Nothing: the notes are read.
    #[default]
    Reading,
    /// Editing a note's text.
    Text {
        /// The note.
        id: NoteId,
        /// The text as typed so far.
        draft: String,
    },
    /// Asked whether to delete a note.
    ConfirmingDelete(NoteId),
}

impl NoteEditing {
    /// Starts editing `row`'s text, from its current text; someone else's note cannot be.
    pub fn edit(row: &NoteRow) -> NoteEditing {
        if row.mine {
            NoteEditing::Text {
                id: row.note.id.clone(),
                draft: row.note.body.clone(),
            }
        } else {
            NoteEditing::Reading
        }
    }

    /// Asks to confirm deleting `row`; someone else's note cannot be.
    pub fn delete(row: &NoteRow) -> NoteEditing {
        if row.mine {
            NoteEditing::ConfirmingDelete(row.note.id.clone())
        } else {
            NoteEditing::Reading
        }
    }

    /// The draft typed for note `id`, while it is edited.
    pub fn draft_of(&self, id: &NoteId) -> Option<&str> {
        match self {
            NoteEditing::Text { id: edited, draft } if edited == id => Some(draft),
            _ => None,
        }
    }

    /// Whether note `id` waits for its deletion to be confirmed.
    pub fn confirms_delete_of(&self, id: &NoteId) -> bool {
        matches!(self, NoteEditing::ConfirmingDelete(asked) if asked == id)
    }

    /// The refreshed notes no longer hold the note being edited or deleted (deleted
    /// elsewhere): back to reading.
    pub fn keep_if_present(self, rows: &[NoteRow]) -> NoteEditing {
        let present = |id: &NoteId| rows.iter().any(|row| &row.note.id == id);
        match &self {
            NoteEditing::Text { id, .. } | NoteEditing::ConfirmingDelete(id) if !present(id) => {
                NoteEditing::Reading
            }
            _ => self,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clienteling_domain::Timestamp;

    fn note(id: &str, author: &str) -> Note {
        Note {
            id: id.into(),
            customer_id: "cust-0001".into(),
            author_staff_id: author.into(),
            author_name: "Someone".into(),
            body: format!("text of {id}"),
            pinned: false,
            created_at: Timestamp(1),
            updated_at: Timestamp(1),
            deleted: false,
        }
    }

    #[test]
    fn c9_only_my_notes_offer_edit_and_delete_and_waiting_ones_say_saving() {
        let notes = [note("mine", "staff-ava"), note("theirs", "staff-liam")];
        let shown = rows(&notes, &["mine".into()], &"staff-ava".into());
        assert!(
            shown[0].mine && shown[0].saving,
            "my waiting note: buttons and Saving…"
        );
        assert!(
            !shown[1].mine && !shown[1].saving,
            "Liam's note: no buttons, saved"
        );
        assert_eq!(
            NoteEditing::edit(&shown[1]),
            NoteEditing::Reading,
            "someone else's note cannot be edited"
        );
        assert_eq!(
            NoteEditing::delete(&shown[1]),
            NoteEditing::Reading,
            "nor deleted"
        );
        let editing = NoteEditing::edit(&shown[0]);
        assert_eq!(
            editing.draft_of(&"mine".into()),
            Some("text of mine"),
            "editing starts from the note's text"
        );
    }

    #[test]
    fn c9_ctrl_or_cmd_enter_saves_and_enter_alone_is_a_new_line() {
        assert!(saves("Enter", true, false), "Ctrl+Enter saves");
        assert!(saves("Enter", false, true), "Cmd+Enter saves");
        assert!(!saves("Enter", false, false), "Enter alone is a new line");
        assert!(!saves("a", true, false), "Ctrl+A does not save");
    }

    #[test]
    fn c9_a_profile_rereads_the_notes_of_the_customer_that_changed() {
        let mut revisions = NoteRevisions::default();
        let (ada, bob) = (CustomerId::from("ada"), CustomerId::from("bob"));
        let (ada_before, bob_before) = (revisions.of(&ada), revisions.of(&bob));
        revisions.changed(ada.clone());
        assert_ne!(revisions.of(&ada), ada_before, "Ada's profile reloads");
        assert_eq!(revisions.of(&bob), bob_before, "Bob's does not");
        revisions.all_changed();
        assert_ne!(
            revisions.of(&bob),
            bob_before,
            "after lost events every profile reloads"
        );
    }

    #[test]
    fn c9_a_note_deleted_elsewhere_ends_its_editing() {
        let shown = rows(&[note("mine", "staff-ava")], &[], &"staff-ava".into());
        let confirming = NoteEditing::delete(&shown[0]);
        assert!(
            confirming.confirms_delete_of(&"mine".into()),
            "deleting asks first"
        );
        assert_eq!(
            confirming.clone().keep_if_present(&shown),
            confirming,
            "still there: still asking"
        );
        assert_eq!(
            confirming.keep_if_present(&[]),
            NoteEditing::Reading,
            "gone: nothing left to ask about"
        );
    }
}
