//! The one-line preview of a message that an inbox row shows (M11): whitespace folded,
//! bounded in length, an ellipsis when cut.

/// The longest preview, in characters.
pub const PREVIEW_CHARS: usize = 120;

/// The preview of `body`: one line, at most [`PREVIEW_CHARS`] characters.
pub fn message_preview(body: &str) -> String {
    let line = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= PREVIEW_CHARS {
        line
    } else {
        let cut: String = line.chars().take(PREVIEW_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn m11_preview_is_one_line_and_bounded() {
        assert_eq!(
            message_preview("Hi\nthere  you"),
            "Hi there you",
            "whitespace folds to single spaces"
        );
        let shown = message_preview(&"word ".repeat(100));
        assert!(
            shown.chars().count() <= PREVIEW_CHARS,
            "a preview stays short: {shown}"
        );
        assert!(shown.ends_with('…'), "a cut preview ends with an ellipsis");
    }
}
