//! Opt-in requests (M2): asking a customer whether they want messages from a store — by
//! SMS with START/STOP instructions, or on WhatsApp with the store's opt-in template.

use serde::{Deserialize, Serialize};

use crate::{Channel, MessageId};

/// `POST /api/v1/conversations/{id}/opt-in-request` body. Sending the same `id` twice
/// sends the request once and answers with its message both times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OptInRequest {
    /// Client-generated id of the request's message, a UUID in hyphenated form: the
    /// idempotency key. Anything else is refused with 400 `invalid_input`
    /// (`MessageId::check_client_generated`).
    #[cfg_attr(
        feature = "openapi",
        schema(
            value_type = String,
            pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
        )
    )]
    pub id: MessageId,
    /// The associate's introduction (required for SMS, unused on WhatsApp).
    #[serde(default)]
    pub intro: Option<String>,
}

/// Why an opt-in request cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OptInError {
    /// SMS requests start with the associate's own words.
    #[error("write a short introduction for the SMS opt-in request")]
    MissingIntro,
    /// Only phone channels take opt-in requests.
    #[error("opt-in requests go by SMS or WhatsApp, not {0}")]
    UnsupportedChannel(Channel),
}

/// The SMS opt-in request: the associate's introduction followed by the instructions.
pub fn sms_body(intro: Option<&str>, store_name: &str) -> Result<String, OptInError> {
    let intro = intro.map(str::trim).unwrap_or_default();
    if intro.is_empty() {
        return Err(OptInError::MissingIntro);
    }
    Ok(format!(
        "{intro} Reply START to get messages from {store_name}, STOP to opt out."
    ))
}

/// Checks that `channel` takes opt-in requests.
pub fn check_channel(channel: Channel) -> Result<(), OptInError> {
    match channel {
        Channel::Sms | Channel::Whatsapp => Ok(()),
        Channel::Email => Err(OptInError::UnsupportedChannel(channel)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn m2_sms_request_appends_start_and_stop_instructions() {
        assert_eq!(
            sms_body(Some(" Hi Grace, it's Ava from Fifth Avenue. "), "Fifth Avenue"),
            Ok("Hi Grace, it's Ava from Fifth Avenue. Reply START to get messages from Fifth Avenue, STOP to opt out.".into()),
            "the intro is trimmed and the instructions follow"
        );
        assert_eq!(
            sms_body(Some("   "), "Fifth Avenue"),
            Err(OptInError::MissingIntro),
            "an empty intro is refused"
        );
        assert_eq!(
            sms_body(None, "Fifth Avenue"),
            Err(OptInError::MissingIntro),
            "SMS requests need an intro"
        );
        assert_eq!(
            check_channel(Channel::Email),
            Err(OptInError::UnsupportedChannel(Channel::Email)),
            "email has no opt-in request"
        );
    }
}
