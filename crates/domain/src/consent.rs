//! Consent: the keywords customers text to opt out, opt back in or ask for help (M3, M4),
//! and the per-store consent state.

use serde::{Deserialize, Serialize};

/// A customer's consent to be messaged by one store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConsentState {
    /// The customer agreed to receive messages.
    OptedIn,
    /// The customer opted out; nothing but the confirmation may be sent.
    OptedOut,
    /// Never asked or never answered.
    Unknown,
}

impl ConsentState {
    /// Stable name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentState::OptedIn => "opted_in",
            ConsentState::OptedOut => "opted_out",
            ConsentState::Unknown => "unknown",
        }
    }

    /// Parses the stable name back.
    pub fn parse(value: &str) -> Option<ConsentState> {
        [
            ConsentState::OptedIn,
            ConsentState::OptedOut,
            ConsentState::Unknown,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }

    /// Whether staff may send to a customer in this state.
    pub fn allows_sending(self) -> bool {
        !matches!(self, ConsentState::OptedOut)
    }
}

/// What an inbound keyword asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeywordAction {
    /// STOP and friends: opt out of this store.
    OptOut,
    /// START, YES, UNSTOP: opt back in.
    OptIn,
    /// HELP, INFO: send the help reply.
    Help,
}

/// A store's keyword configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeywordConfig {
    /// Words that opt the customer out.
    pub opt_out: Vec<String>,
    /// Words that opt the customer back in.
    pub opt_in: Vec<String>,
    /// Words that ask for help.
    pub help: Vec<String>,
}

impl Default for KeywordConfig {
    /// Carrier defaults, with REVOKE and OPTOUT added in 2025.
    fn default() -> Self {
        let words = |list: &[&str]| list.iter().map(|w| (*w).to_owned()).collect();
        Self {
            opt_out: words(&[
                "STOP",
                "STOPALL",
                "UNSUBSCRIBE",
                "CANCEL",
                "END",
                "QUIT",
                "REVOKE",
                "OPTOUT",
            ]),
            opt_in: words(&["START", "YES", "UNSTOP"]),
            help: words(&["HELP", "INFO"]),
        }
    }
}

impl KeywordConfig {
    /// The action an inbound body asks for, if the whole body is one keyword — ignoring
    /// case, surrounding whitespace and surrounding punctuation. "Stop." counts;
    /// "stop sending me the blue one" does not.
    pub fn classify(&self, body: &str) -> Option<KeywordAction> {
        let word = keyword_word(body)?;
        let matches = |list: &[String]| list.iter().any(|k| k.eq_ignore_ascii_case(word));
        if matches(&self.opt_out) {
            Some(KeywordAction::OptOut)
        } else if matches(&self.opt_in) {
            Some(KeywordAction::OptIn)
        } else if matches(&self.help) {
            Some(KeywordAction::Help)
        } else {
            None
        }
    }
}

/// The single word a body consists of, without surrounding whitespace and punctuation
/// ("Stop." is "Stop"); `None` when the body is empty or more than one word.
pub fn keyword_word(body: &str) -> Option<&str> {
    let word = body
        .trim()
        .trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation());
    (!word.is_empty() && !word.contains(char::is_whitespace)).then_some(word)
}

/// What a keyword does, given the customer's consent when it arrives (M3, M4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeywordOutcome {
    /// Consent moves to this state: the change is audited (B4) and confirmed.
    Changes(ConsentState),
    /// Consent already is what the keyword asks for: nothing is written and no second
    /// confirmation goes out, so a customer repeating STOP is not flooded.
    Unchanged,
    /// A help keyword: consent stays and the help reply always goes out.
    Help,
}

impl KeywordOutcome {
    /// Whether the keyword gets its automated reply.
    pub fn replies(self) -> bool {
        !matches!(self, KeywordOutcome::Unchanged)
    }
}

/// What a keyword of `action` does to a customer whose consent is `current`.
pub fn apply_keyword(current: ConsentState, action: KeywordAction) -> KeywordOutcome {
    let target = match action {
        KeywordAction::OptOut => ConsentState::OptedOut,
        KeywordAction::OptIn => ConsentState::OptedIn,
        KeywordAction::Help => return KeywordOutcome::Help,
    };
    if current == target {
        KeywordOutcome::Unchanged
    } else {
        KeywordOutcome::Changes(target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(body: &str) -> Option<KeywordAction> {
        KeywordConfig::default().classify(body)
    }

    #[test]
    fn m3_opt_out_keywords_ignore_case_space_and_punctuation() {
        for body in [
            "STOP",
            "stop",
            " Stop. ",
            "STOPALL",
            "unsubscribe",
            "Cancel!",
            "end",
            "QUIT",
            "revoke",
            "OptOut",
            "\tstop\n",
            "...stop...",
        ] {
            assert_eq!(
                classify(body),
                Some(KeywordAction::OptOut),
                "{body:?} is an opt-out keyword"
            );
        }
    }

    #[test]
    fn m3_sentences_containing_a_keyword_are_not_keywords() {
        for body in [
            "stop sending me the blue one",
            "please stop",
            "can't stop loving this bag",
            "stopped",
            "",
            "   ",
            "st op",
        ] {
            assert_eq!(
                classify(body),
                None,
                "{body:?} is a conversation, not a keyword"
            );
        }
    }

    #[test]
    fn m4_opt_in_and_help_keywords() {
        for body in ["START", "yes", "Unstop!"] {
            assert_eq!(
                classify(body),
                Some(KeywordAction::OptIn),
                "{body:?} opts back in"
            );
        }
        for body in ["help", "INFO?"] {
            assert_eq!(
                classify(body),
                Some(KeywordAction::Help),
                "{body:?} asks for help"
            );
        }
    }

    #[test]
    fn m3_keywords_are_store_configuration() {
        let config = KeywordConfig {
            opt_out: vec!["ARRET".into()],
            opt_in: vec!["OUI".into()],
            help: vec!["AIDE".into()],
        };
        assert_eq!(
            config.classify("arrêt"),
            None,
            "only configured words count"
        );
        assert_eq!(
            config.classify("Arret"),
            Some(KeywordAction::OptOut),
            "configured opt-out word"
        );
        assert_eq!(
            config.classify("STOP"),
            None,
            "defaults are replaced, not merged"
        );
    }

    #[test]
    fn m4_help_keeps_the_current_state_and_always_answers() {
        let help = apply_keyword(ConsentState::OptedOut, KeywordAction::Help);
        assert_eq!(help, KeywordOutcome::Help, "help does not opt in");
        assert!(help.replies(), "help always gets the help reply");
        assert_eq!(
            apply_keyword(ConsentState::OptedOut, KeywordAction::OptIn),
            KeywordOutcome::Changes(ConsentState::OptedIn),
            "start opts in"
        );
        assert_eq!(
            apply_keyword(ConsentState::OptedIn, KeywordAction::OptOut),
            KeywordOutcome::Changes(ConsentState::OptedOut),
            "stop opts out"
        );
        assert_eq!(
            apply_keyword(ConsentState::Unknown, KeywordAction::OptOut),
            KeywordOutcome::Changes(ConsentState::OptedOut),
            "stop from a customer never asked opts out"
        );
    }

    #[test]
    fn m3_m4_a_keyword_that_changes_nothing_is_a_no_op() {
        let stop_again = apply_keyword(ConsentState::OptedOut, KeywordAction::OptOut);
        assert_eq!(
            stop_again,
            KeywordOutcome::Unchanged,
            "STOP from an opted-out customer changes nothing"
        );
        assert!(!stop_again.replies(), "and sends no second confirmation");
        let start_again = apply_keyword(ConsentState::OptedIn, KeywordAction::OptIn);
        assert_eq!(
            start_again,
            KeywordOutcome::Unchanged,
            "START from an opted-in customer changes nothing"
        );
        assert!(!start_again.replies(), "and sends no second confirmation");
    }
}
