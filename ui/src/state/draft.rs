//! The composer's draft: the text being written, whether it is being sent, and why the
//! last send failed. A failed send keeps the text so nothing typed is lost.

use std::rc::Rc;

use clienteling_domain::ApiError;
use yew::Reducible;

/// The draft of one chat's composer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Draft {
    /// What is typed.
    pub text: String,
    /// Whether a send is under way.
    pub sending: bool,
    /// Why the last send did not go through.
    pub error: Option<String>,
}

/// What happens to a draft.
#[derive(Debug, Clone, PartialEq)]
pub enum DraftAction {
    /// The associate typed.
    Edit(String),
    /// The body was refused before sending (empty or too long).
    Rejected(String),
    /// A send of the current text started.
    Sending,
    /// The core accepted `sent`; the composer empties unless more was typed meanwhile.
    Sent(String),
    /// The send failed; the text stays.
    Failed(ApiError),
}

impl Draft {
    /// The draft after `action`.
    pub fn apply(&mut self, action: DraftAction) {
        match action {
            DraftAction::Edit(text) => self.text = text,
            DraftAction::Rejected(reason) => self.error = Some(reason),
            DraftAction::Sending => {
                self.sending = true;
                self.error = None;
            }
            DraftAction::Sent(sent) => {
                self.sending = false;
                if self.text == sent {
                    self.text.clear();
                }
            }
            DraftAction::Failed(error) => {
                self.sending = false;
                self.error = Some(error.message);
            }
        }
    }
}

impl Reducible for Draft {
    type Action = DraftAction;

    fn reduce(self: Rc<Self>, action: DraftAction) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clienteling_domain::ErrorCode;

    #[test]
    fn a_failed_send_keeps_the_typed_text_and_shows_why_m3() {
        let mut draft = Draft::default();
        draft.apply(DraftAction::Edit("See you Friday".into()));
        draft.apply(DraftAction::Sending);
        draft.apply(DraftAction::Failed(ApiError::new(
            ErrorCode::OptedOut,
            "Olivia opted out",
        )));
        assert_eq!(draft.text, "See you Friday", "nothing typed is lost");
        assert_eq!(
            draft.error.as_deref(),
            Some("Olivia opted out"),
            "the reason is shown"
        );
        assert!(!draft.sending, "the composer can be used again");
    }

    #[test]
    fn a_successful_send_empties_the_composer_m10() {
        let mut draft = Draft::default();
        draft.apply(DraftAction::Edit("Ready for pick-up".into()));
        draft.apply(DraftAction::Sending);
        draft.apply(DraftAction::Sent("Ready for pick-up".into()));
        assert_eq!(draft.text, "", "the sent text leaves the composer");
        assert_eq!(draft.error, None, "no error after a send");
    }

    #[test]
    fn text_typed_while_sending_is_kept_m10() {
        let mut draft = Draft::default();
        draft.apply(DraftAction::Edit("First".into()));
        draft.apply(DraftAction::Sending);
        draft.apply(DraftAction::Edit("First and more".into()));
        draft.apply(DraftAction::Sent("First".into()));
        assert_eq!(
            draft.text, "First and more",
            "only the text that went out is cleared"
        );
    }
}
