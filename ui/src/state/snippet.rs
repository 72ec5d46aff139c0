//! Putting a quick reply into the composer (M6): its text goes where the caret is,
//! replacing any selection, or at the end when the composer never had the focus — set apart
//! from the words around it by a space.

/// The composer's text after inserting `snippet`, and where the caret goes (just after it).
/// A space is added before it when it would touch the previous word, and after it when it
/// would touch the next one.
///
/// `selection` is the textarea's `(selectionStart, selectionEnd)` in UTF-16 code units, as
/// the browser reports them; positions past the end, or inside a character, fall back to the
/// nearest character boundary before them. The caret is returned in UTF-16 units too.
pub fn insert_snippet(text: &str, selection: Option<(u32, u32)>, snippet: &str) -> (String, u32) {
    let end_of_text = utf16_len(text);
    let (start, end) = selection.unwrap_or((end_of_text, end_of_text));
    let (start, end) = (start.min(end), start.max(end));
    let start_byte = byte_offset(text, start);
    let end_byte = byte_offset(text, end);
    let (before, after) = (&text[..start_byte], &text[end_byte..]);
    let touches = |a: Option<char>, b: Option<char>| {
        a.zip(b)
            .is_some_and(|(a, b)| !a.is_whitespace() && !b.is_whitespace())
    };
    let space_before = touches(before.chars().next_back(), snippet.chars().next());
    let space_after = touches(snippet.chars().next_back(), after.chars().next())
        && !after.starts_with(|c: char| c.is_ascii_punctuation());
    let mut next = String::with_capacity(text.len() + snippet.len() + 2);
    next.push_str(before);
    if space_before {
        next.push(' ');
    }
    next.push_str(snippet);
    let caret = utf16_len(&next);
    if space_after {
        next.push(' ');
    }
    next.push_str(after);
    (next, caret)
}

fn utf16_len(text: &str) -> u32 {
    u32::try_from(text.encode_utf16().count()).unwrap_or(u32::MAX)
}

/// The byte index of the character boundary at or before `units` UTF-16 units.
fn byte_offset(text: &str, units: u32) -> usize {
    let mut seen = 0u32;
    for (index, character) in text.char_indices() {
        let width = u32::try_from(character.len_utf16()).unwrap_or(2);
        if seen + width > units {
            return index;
        }
        seen += width;
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quick_reply_goes_where_the_caret_is_m6() {
        assert_eq!(
            insert_snippet("Hi ,  see you", Some((3, 3)), "Olivia"),
            ("Hi Olivia,  see you".to_owned(), 9),
            "inserted at the caret, caret just after it"
        );
        assert_eq!(
            insert_snippet("Hellothere", Some((5, 5)), "Olivia"),
            ("Hello Olivia there".to_owned(), 12),
            "a space keeps it apart from the words on either side"
        );
    }

    #[test]
    fn a_quick_reply_replaces_the_selected_text_m6() {
        assert_eq!(
            insert_snippet("Hi XXX!", Some((3, 6)), "Olivia"),
            ("Hi Olivia!".to_owned(), 9),
            "the selection is replaced"
        );
        assert_eq!(
            insert_snippet("Hi XXX!", Some((6, 3)), "Olivia"),
            ("Hi Olivia!".to_owned(), 9),
            "a backwards selection is the same range"
        );
    }

    #[test]
    fn without_a_caret_a_quick_reply_is_appended_m6() {
        assert_eq!(
            insert_snippet("Thanks!", None, " See you soon."),
            ("Thanks! See you soon.".to_owned(), 21),
            "appended at the end"
        );
        assert_eq!(
            insert_snippet("Thanks!", None, "See you soon."),
            ("Thanks! See you soon.".to_owned(), 21),
            "appended after a space"
        );
        assert_eq!(
            insert_snippet("", None, "Hello"),
            ("Hello".to_owned(), 5),
            "an empty composer takes the whole snippet"
        );
    }

    #[test]
    fn caret_positions_count_utf16_units_like_the_browser_m6() {
        // "😀" is two UTF-16 units; "é" is one.
        assert_eq!(
            insert_snippet("😀é end", Some((3, 3)), "!"),
            ("😀é ! end".to_owned(), 5),
            "positions after an emoji are in UTF-16 units"
        );
        assert_eq!(
            insert_snippet("😀x", Some((1, 1)), "!"),
            ("! 😀x".to_owned(), 1),
            "a position inside a surrogate pair falls back to the character's start"
        );
        assert_eq!(
            insert_snippet("ab", Some((40, 40)), "c"),
            ("ab c".to_owned(), 4),
            "a position past the end appends"
        );
    }
}
