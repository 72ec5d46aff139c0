//! Notes on a customer (C9): what staff write about a customer (preferences, sizes,
//! feedback), with author and time. The API types, the rules both the backend and the core
//! apply (a note's text, who may change it, one pinned note per customer) and the order a
//! profile shows them in.
//!
//! A deletion travels as a change too: the note comes back with `deleted` set (a
//! tombstone), so every device that holds the note drops it.

use serde::{Deserialize, Serialize};

use crate::{CustomerId, MessageIdError, NoteId, StaffId, Timestamp};

/// The longest note, in characters, once trimmed.
pub const MAX_NOTE_CHARS: usize = 2_000;

/// A note on a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Note {
    /// Client-generated id (a UUID), the idempotency key of its creation.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: NoteId,
    /// The customer it is about.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub customer_id: CustomerId,
    /// Who wrote it: only they may edit or delete it.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub author_staff_id: StaffId,
    /// The author's name, for display.
    pub author_name: String,
    /// What it says, trimmed, at most [`MAX_NOTE_CHARS`] characters.
    pub body: String,
    /// Shown first on the profile; at most one note of a customer is pinned.
    pub pinned: bool,
    /// When the backend accepted it, by the backend's clock, ms since the epoch (a note
    /// still in a device's outbox carries the device's time until then).
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub created_at: Timestamp,
    /// Its last change (edit, pin, deletion), ms since the epoch.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub updated_at: Timestamp,
    /// Deleted by its author: a tombstone in the change feed, never listed.
    #[serde(default)]
    pub deleted: bool,
}

impl Note {
    /// Whether `staff` may edit or delete this note: only its author may.
    pub fn may_be_changed_by(&self, staff: &StaffId) -> bool {
        &self.author_staff_id == staff
    }
}

/// `POST /api/v1/customers/{id}/notes` body. Sending the same `id` again with the same
/// text answers with the stored note; another text under the id is a conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateNoteRequest {
    /// Client-generated id, a UUID in hyphenated form, e.g.
    /// `0f8fad5b-d9cb-469f-a165-70867728950e`: the idempotency key.
    #[cfg_attr(
        feature = "openapi",
        schema(
            value_type = String,
            pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
        )
    )]
    pub id: NoteId,
    /// What it says: not empty once trimmed, at most 2 000 characters.
    pub body: String,
}

/// `PATCH /api/v1/notes/{id}` body: the note's new text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EditNoteRequest {
    /// What it says now: not empty once trimmed, at most 2 000 characters.
    pub body: String,
}

/// `PUT /api/v1/notes/{id}/pin` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PinNoteRequest {
    /// Pin the note (unpinning the customer's previously pinned one), or unpin it.
    pub pinned: bool,
}

/// Why a note cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    /// The client-generated id is not a UUID.
    #[error("invalid note id: {0}")]
    Id(#[from] MessageIdError),
    /// Nothing but whitespace.
    #[error("the note is empty; write something first")]
    Empty,
    /// Longer than [`MAX_NOTE_CHARS`].
    #[error("the note has {0} characters; a note has at most {MAX_NOTE_CHARS}")]
    TooLong(usize),
}

/// The text of a note as it is stored: `body` trimmed, refused when empty or longer than
/// [`MAX_NOTE_CHARS`] characters.
pub fn check_body(body: &str) -> Result<String, NoteError> {
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return Err(NoteError::Empty);
    }
    let length = trimmed.chars().count();
    if length > MAX_NOTE_CHARS {
        return Err(NoteError::TooLong(length));
    }
    Ok(trimmed.to_owned())
}

/// Checks a creation: its id a UUID and its text a note's; answers the trimmed text.
pub fn check_create(request: &CreateNoteRequest) -> Result<String, NoteError> {
    request.id.check_client_generated()?;
    check_body(&request.body)
}

/// Sorts notes the way a profile shows them: the pinned one first, then newest first (ties
/// by id, so the order is stable).
pub fn sort_for_profile(notes: &mut [Note]) {
    notes.sort_by(|a, b| {
        b.pinned
            .cmp(&a.pinned)
            .then(b.created_at.cmp(&a.created_at))
            .then(b.id.cmp(&a.id))
    });
}

/// Pins (or unpins) note `id` among a customer's `notes` at `now`, keeping one pinned
/// note per customer: pinning it unpins whichever was pinned before. Answers the notes
/// that changed.
pub fn pin(notes: &mut [Note], id: &NoteId, pinned: bool, now: Timestamp) -> Vec<NoteId> {
    let mut changed = Vec::new();
    for note in notes.iter_mut() {
        let wanted = if &note.id == id {
            pinned
        } else {
            note.pinned && !pinned
        };
        if note.pinned != wanted {
            note.pinned = wanted;
            note.updated_at = now;
            changed.push(note.id.clone());
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(id: &str, created_at: i64, pinned: bool) -> Note {
        Note {
            id: NoteId::from(id),
            customer_id: "cust-0001".into(),
            author_staff_id: "staff-ava".into(),
            author_name: "Ava Johnson".into(),
            body: format!("note {id}"),
            pinned,
            created_at: Timestamp(created_at),
            updated_at: Timestamp(created_at),
            deleted: false,
        }
    }

    fn ids(notes: &[Note]) -> Vec<&str> {
        notes.iter().map(|n| n.id.as_str()).collect()
    }

    #[test]
    fn c9_a_note_is_trimmed_and_neither_empty_nor_over_two_thousand_characters() {
        assert_eq!(
            check_body("  Prefers size M \n"),
            Ok("Prefers size M".to_owned()),
            "surrounding whitespace is trimmed"
        );
        assert_eq!(
            check_body(" \n\t "),
            Err(NoteError::Empty),
            "whitespace alone is not a note"
        );
        assert_eq!(
            check_body(&"é".repeat(MAX_NOTE_CHARS)).map(|b| b.chars().count()),
            Ok(MAX_NOTE_CHARS),
            "the limit counts characters, not bytes"
        );
        assert_eq!(
            check_body(&"a".repeat(MAX_NOTE_CHARS + 1)),
            Err(NoteError::TooLong(MAX_NOTE_CHARS + 1)),
            "one character over the limit is refused"
        );
    }

    #[test]
    fn c9_a_note_is_created_under_a_client_generated_uuid() {
        let good = CreateNoteRequest {
            id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
            body: " Loves linen ".into(),
        };
        assert_eq!(
            check_create(&good),
            Ok("Loves linen".to_owned()),
            "a UUID and a text make a note"
        );
        let bad = CreateNoteRequest {
            id: "note-1".into(),
            ..good
        };
        assert!(
            matches!(check_create(&bad), Err(NoteError::Id(_))),
            "an id that is not a UUID is refused"
        );
    }

    #[test]
    fn c9_only_the_author_may_change_a_note() {
        let n = note("a", 1, false);
        assert!(
            n.may_be_changed_by(&"staff-ava".into()),
            "the author edits and deletes their note"
        );
        assert!(
            !n.may_be_changed_by(&"staff-mia".into()),
            "nobody else does, a manager neither"
        );
    }

    #[test]
    fn c9_the_pinned_note_comes_first_then_the_newest() {
        let mut notes = vec![
            note("old", 1, false),
            note("pinned", 2, true),
            note("new", 3, false),
        ];
        sort_for_profile(&mut notes);
        assert_eq!(
            ids(&notes),
            ["pinned", "new", "old"],
            "pinned first, then newest first"
        );
    }

    #[test]
    fn c9_pinning_a_note_unpins_the_one_pinned_before() {
        let mut notes = vec![note("a", 1, true), note("b", 2, false)];
        let changed = pin(&mut notes, &"b".into(), true, Timestamp(9));
        assert_eq!(
            changed,
            vec![NoteId::from("a"), NoteId::from("b")],
            "both notes change"
        );
        assert!(
            !notes[0].pinned && notes[1].pinned,
            "one pinned note per customer"
        );
        assert_eq!(
            notes[0].updated_at,
            Timestamp(9),
            "the unpinned note changed now"
        );
        let again = pin(&mut notes, &"b".into(), true, Timestamp(10));
        assert!(again.is_empty(), "pinning the pinned note changes nothing");
        let unpinned = pin(&mut notes, &"b".into(), false, Timestamp(11));
        assert_eq!(
            unpinned,
            vec![NoteId::from("b")],
            "unpinning touches only it"
        );
        assert!(
            notes.iter().all(|n| !n.pinned),
            "no note is pinned any more"
        );
    }
}
