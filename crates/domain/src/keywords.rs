//! A store's keyword settings (M3, M4): the words customers text to opt out, opt back
//! in or ask for help, and the automated replies each one gets.

use serde::{Deserialize, Serialize};

use crate::consent::KeywordConfig;
use crate::KeywordAction;

/// Longest automated reply, in characters (one concatenated SMS).
pub const MAX_REPLY_CHARS: usize = 320;

/// What `GET`/`PUT /api/v1/stores/{id}/keywords` carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeywordSettings {
    /// The keywords of each action.
    pub keywords: KeywordConfig,
    /// The reply to an opt-out keyword.
    pub opt_out_reply: String,
    /// The reply to an opt-in keyword.
    pub opt_in_reply: String,
    /// The reply to a help keyword.
    pub help_reply: String,
}

/// Why keyword settings cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeywordSettingsError {
    /// Customers must always have a way to opt out.
    #[error("at least one opt-out keyword is required")]
    NoOptOutKeyword,
    /// A keyword is empty or has spaces inside.
    #[error("{0:?} is not a keyword: use one word without spaces")]
    NotOneWord(String),
    /// The same word appears for two actions, or twice.
    #[error("{0:?} is listed more than once")]
    Duplicate(String),
    /// A reply is empty or too long.
    #[error("the {0} reply must have 1 to {MAX_REPLY_CHARS} characters")]
    BadReply(&'static str),
}

impl KeywordSettings {
    /// The carrier-default keywords with the standard replies of `store_name`.
    pub fn standard(store_name: &str, store_number: Option<&str>) -> Self {
        let help_reply = match store_number {
            Some(number) => format!(
                "{store_name} client services: call {number} or reply to talk to your associate. Reply STOP to unsubscribe."
            ),
            None => format!(
                "{store_name} client services: reply to talk to your associate. Reply STOP to unsubscribe."
            ),
        };
        Self {
            keywords: KeywordConfig::default(),
            opt_out_reply: format!(
                "You have been unsubscribed from {store_name} messages. Reply START to resubscribe."
            ),
            opt_in_reply: format!(
                "You have been resubscribed to {store_name} messages. Reply STOP to unsubscribe."
            ),
            help_reply,
        }
    }

    /// The automated reply to a keyword of `action`.
    pub fn reply(&self, action: KeywordAction) -> &str {
        match action {
            KeywordAction::OptOut => &self.opt_out_reply,
            KeywordAction::OptIn => &self.opt_in_reply,
            KeywordAction::Help => &self.help_reply,
        }
    }

    /// The settings with keywords trimmed and upper-cased and replies trimmed, or why they
    /// cannot be saved.
    pub fn normalized(&self) -> Result<Self, KeywordSettingsError> {
        let mut seen: Vec<String> = Vec::new();
        let mut words = |list: &[String]| -> Result<Vec<String>, KeywordSettingsError> {
            list.iter()
                .map(|word| {
                    let word = word.trim().to_uppercase();
                    if word.is_empty() || word.contains(char::is_whitespace) {
                        return Err(KeywordSettingsError::NotOneWord(word));
                    }
                    if seen.contains(&word) {
                        return Err(KeywordSettingsError::Duplicate(word));
                    }
                    seen.push(word.clone());
                    Ok(word)
                })
                .collect()
        };
        let keywords = KeywordConfig {
            opt_out: words(&self.keywords.opt_out)?,
            opt_in: words(&self.keywords.opt_in)?,
            help: words(&self.keywords.help)?,
        };
        if keywords.opt_out.is_empty() {
            return Err(KeywordSettingsError::NoOptOutKeyword);
        }
        let reply = |text: &str, which: &'static str| {
            let text = text.trim();
            if text.is_empty() || text.chars().count() > MAX_REPLY_CHARS {
                Err(KeywordSettingsError::BadReply(which))
            } else {
                Ok(text.to_owned())
            }
        };
        Ok(Self {
            keywords,
            opt_out_reply: reply(&self.opt_out_reply, "opt-out")?,
            opt_in_reply: reply(&self.opt_in_reply, "opt-in")?,
            help_reply: reply(&self.help_reply, "help")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn m3_m4_standard_replies_name_the_store_and_the_way_back() {
        let settings = KeywordSettings::standard("Fifth Avenue", Some("+12125550100"));
        assert_eq!(
            settings.reply(KeywordAction::OptOut),
            "You have been unsubscribed from Fifth Avenue messages. Reply START to resubscribe.",
            "the opt-out confirmation tells how to come back"
        );
        assert!(
            settings.reply(KeywordAction::Help).contains("+12125550100"),
            "the help reply gives the store's number"
        );
        assert_eq!(
            settings.keywords,
            KeywordConfig::default(),
            "carrier keywords by default"
        );
    }

    #[test]
    fn m3_m4_keyword_settings_are_normalized_and_checked() {
        let mut settings = KeywordSettings::standard("Fifth Avenue", None);
        settings.keywords.opt_out = vec![" arret ".into(), "stop".into()];
        let normalized = settings.normalized().expect("valid settings");
        assert_eq!(
            normalized.keywords.opt_out,
            vec!["ARRET".to_owned(), "STOP".to_owned()],
            "keywords are trimmed and upper-cased"
        );
        settings.keywords.opt_in = vec!["Stop".into()];
        assert_eq!(
            settings.normalized(),
            Err(KeywordSettingsError::Duplicate("STOP".into())),
            "a word cannot both opt out and opt in"
        );
        settings.keywords.opt_in = vec!["opt in".into()];
        assert_eq!(
            settings.normalized(),
            Err(KeywordSettingsError::NotOneWord("OPT IN".into())),
            "keywords are single words"
        );
        settings.keywords.opt_in = vec![];
        settings.keywords.opt_out = vec![];
        assert_eq!(
            settings.normalized(),
            Err(KeywordSettingsError::NoOptOutKeyword),
            "customers always keep a way to opt out"
        );
        settings.keywords.opt_out = vec!["STOP".into()];
        settings.help_reply = "  ".into();
        assert_eq!(
            settings.normalized(),
            Err(KeywordSettingsError::BadReply("help")),
            "replies cannot be empty"
        );
    }
}
