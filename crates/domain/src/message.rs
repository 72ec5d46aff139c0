//! Messages: direction, kind, and the delivery-status lifecycle that never moves backwards
//! (M10).

use serde::{Deserialize, Serialize};

use crate::Channel;

/// Who a message is from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From the customer to the store.
    Inbound,
    /// Written by a member of staff.
    Outbound,
    /// Sent by the system on the store's behalf (consent confirmations, receipts, help).
    Automated,
}

impl Direction {
    /// Stable name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
            Direction::Automated => "automated",
        }
    }

    /// Parses the stable name back.
    pub fn parse(value: &str) -> Option<Direction> {
        [
            Direction::Inbound,
            Direction::Outbound,
            Direction::Automated,
        ]
        .into_iter()
        .find(|d| d.as_str() == value)
    }
}

/// What a message carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// Free-form text.
    Text,
    /// An approved template with its variables filled.
    Template,
    /// An image attachment with an optional caption.
    Image,
    /// A product-details link.
    ProductLink,
    /// A remote cart with a pay-by-link.
    Cart,
    /// A system line in the thread (consent changes and the like).
    System,
}

impl MessageKind {
    /// Stable name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Text => "text",
            MessageKind::Template => "template",
            MessageKind::Image => "image",
            MessageKind::ProductLink => "product_link",
            MessageKind::Cart => "cart",
            MessageKind::System => "system",
        }
    }

    /// Parses the stable name back.
    pub fn parse(value: &str) -> Option<MessageKind> {
        [
            MessageKind::Text,
            MessageKind::Template,
            MessageKind::Image,
            MessageKind::ProductLink,
            MessageKind::Cart,
            MessageKind::System,
        ]
        .into_iter()
        .find(|k| k.as_str() == value)
    }
}

/// Delivery status of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageStatus {
    /// Written, still on this device (in the outbox) or accepted but not yet handed on.
    Queued,
    /// Handed to the provider.
    Sent,
    /// The provider reports it reached the customer's device.
    Delivered,
    /// The customer read it (WhatsApp only).
    Read,
    /// The provider could not deliver it; the message carries the reason.
    Failed,
    /// An inbound message, received from the customer.
    Received,
}

impl MessageStatus {
    /// Stable name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::Queued => "queued",
            MessageStatus::Sent => "sent",
            MessageStatus::Delivered => "delivered",
            MessageStatus::Read => "read",
            MessageStatus::Failed => "failed",
            MessageStatus::Received => "received",
        }
    }

    /// Parses the stable name back.
    pub fn parse(value: &str) -> Option<MessageStatus> {
        [
            MessageStatus::Queued,
            MessageStatus::Sent,
            MessageStatus::Delivered,
            MessageStatus::Read,
            MessageStatus::Failed,
            MessageStatus::Received,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }

    /// Position in the lifecycle; a message only ever moves to a higher rank.
    /// `Failed` ranks with `Sent`'s successors so a late "sent" cannot hide a failure,
    /// while a retry (which restarts at `Queued`) is an explicit reset, not an update.
    pub fn rank(self) -> u8 {
        match self {
            MessageStatus::Queued => 0,
            MessageStatus::Sent => 1,
            MessageStatus::Delivered => 2,
            MessageStatus::Read => 3,
            MessageStatus::Failed => 4,
            MessageStatus::Received => 5,
        }
    }

    /// The status after `incoming` arrives while the message is at `self`: statuses
    /// that arrive out of order never move a message backwards (M10).
    pub fn advance(self, incoming: MessageStatus) -> MessageStatus {
        if incoming.rank() > self.rank() {
            incoming
        } else {
            self
        }
    }

    /// Whether the status is final for the provider (nothing more will be reported),
    /// given the channel the message went out on.
    pub fn is_final(self, channel: Channel) -> bool {
        match self {
            MessageStatus::Failed | MessageStatus::Read | MessageStatus::Received => true,
            MessageStatus::Delivered => !channel.reports_read(),
            MessageStatus::Queued | MessageStatus::Sent => false,
        }
    }

    /// Label the chat shows under an outbound message.
    pub fn label(self) -> &'static str {
        match self {
            MessageStatus::Queued => "Queued",
            MessageStatus::Sent => "Sent",
            MessageStatus::Delivered => "Delivered",
            MessageStatus::Read => "Read",
            MessageStatus::Failed => "Failed",
            MessageStatus::Received => "Received",
        }
    }
}

/// The longest text body accepted for one message, in characters.
pub const MAX_BODY_CHARS: usize = 1_600;

/// Why a message body is refused before it is sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    /// Only whitespace.
    #[error("a message cannot be empty")]
    Empty,
    /// Over [`MAX_BODY_CHARS`].
    #[error("a message can have at most {MAX_BODY_CHARS} characters")]
    TooLong,
}

/// Trims a composed body and checks it can be sent.
pub fn validate_body(body: &str) -> Result<String, BodyError> {
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return Err(BodyError::Empty);
    }
    if trimmed.chars().count() > MAX_BODY_CHARS {
        return Err(BodyError::TooLong);
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn m10_status_never_moves_backwards() {
        use MessageStatus::*;
        assert_eq!(
            Delivered.advance(Sent),
            Delivered,
            "a late 'sent' must not undo 'delivered'"
        );
        assert_eq!(
            Read.advance(Delivered),
            Read,
            "a late 'delivered' must not undo 'read'"
        );
        assert_eq!(
            Queued.advance(Delivered),
            Delivered,
            "a skipped step is fine"
        );
        assert_eq!(
            Sent.advance(Failed),
            Failed,
            "a failure after sending is kept"
        );
        assert_eq!(
            Failed.advance(Delivered),
            Failed,
            "a failure is final for that attempt"
        );
    }

    #[test]
    fn m10_only_whatsapp_waits_for_read() {
        assert!(
            !MessageStatus::Delivered.is_final(Channel::Whatsapp),
            "WhatsApp goes on to read"
        );
        assert!(
            MessageStatus::Delivered.is_final(Channel::Sms),
            "SMS stops at delivered"
        );
    }

    #[test]
    fn names_round_trip() {
        for s in ["queued", "sent", "delivered", "read", "failed", "received"] {
            assert_eq!(
                MessageStatus::parse(s).map(MessageStatus::as_str),
                Some(s),
                "status {s}"
            );
        }
        for k in [
            "text",
            "template",
            "image",
            "product_link",
            "cart",
            "system",
        ] {
            assert_eq!(
                MessageKind::parse(k).map(MessageKind::as_str),
                Some(k),
                "kind {k}"
            );
        }
        for d in ["inbound", "outbound", "automated"] {
            assert_eq!(
                Direction::parse(d).map(Direction::as_str),
                Some(d),
                "direction {d}"
            );
        }
    }

    #[test]
    fn body_is_trimmed_and_bounded() {
        assert_eq!(
            validate_body("  hi  "),
            Ok("hi".to_owned()),
            "surrounding space is dropped"
        );
        assert_eq!(
            validate_body(" \n "),
            Err(BodyError::Empty),
            "blank bodies are refused"
        );
        let long = "x".repeat(MAX_BODY_CHARS + 1);
        assert_eq!(
            validate_body(&long),
            Err(BodyError::TooLong),
            "over-long bodies are refused"
        );
    }
}
