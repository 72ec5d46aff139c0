//! The consent audit trail (B4): every change of a customer's consent for a store, and every
//! opt-in request sent to them, with time, channel and evidence.

use serde::{Deserialize, Serialize};

use crate::{Channel, ConsentState, MessageId, Timestamp};

/// What caused an audit event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConsentAction {
    /// The customer texted a consent keyword (M3, M4).
    Keyword,
    /// Staff sent the customer an opt-in request (M2).
    OptInRequest,
}

impl ConsentAction {
    /// Stable name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentAction::Keyword => "keyword",
            ConsentAction::OptInRequest => "opt_in_request",
        }
    }

    /// Parses the stable name back.
    pub fn parse(value: &str) -> Option<ConsentAction> {
        [ConsentAction::Keyword, ConsentAction::OptInRequest]
            .into_iter()
            .find(|a| a.as_str() == value)
    }
}

/// One entry of a customer's consent audit trail for a store
/// (`GET /api/v1/conversations/{id}/consent-events`, newest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsentEvent {
    /// When it happened, ms since the epoch.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub at: Timestamp,
    /// The consent state after it.
    pub state: ConsentState,
    /// The channel it happened on.
    pub channel: Channel,
    /// What caused it.
    pub action: ConsentAction,
    /// The keyword the customer texted, for keyword events.
    pub keyword: Option<String>,
    /// The message that is its evidence (the keyword, or the request sent).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub message_id: MessageId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn b4_consent_actions_round_trip_their_stable_names() {
        for action in [ConsentAction::Keyword, ConsentAction::OptInRequest] {
            assert_eq!(
                ConsentAction::parse(action.as_str()),
                Some(action),
                "{action:?} survives the database"
            );
            assert_eq!(
                serde_json::to_value(action).expect("serializable"),
                serde_json::Value::String(action.as_str().to_owned()),
                "the API uses the same name"
            );
        }
    }
}
