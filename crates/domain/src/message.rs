//! Messages: direction, kind, and the delivery-status lifecycle that never moves backwards
//! (M10).

use serde::{Deserialize, Serialize};

use crate::Channel;

/// Who a message is from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

    /// The status of an outbound message on `channel` after the provider reports
    /// `reported` while the message is at `self`, or `None` when the report changes
    /// nothing: reports arrive out of order and never move a message backwards (M10),
    /// only WhatsApp has read receipts, and `queued` or `received` are not reports.
    pub fn after_report(self, reported: MessageStatus, channel: Channel) -> Option<MessageStatus> {
        let reportable = match reported {
            MessageStatus::Sent | MessageStatus::Delivered | MessageStatus::Failed => true,
            MessageStatus::Read => channel.reports_read(),
            MessageStatus::Queued | MessageStatus::Received => false,
        };
        let next = self.advance(reported);
        (reportable && next != self).then_some(next)
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

/// The longest SMS body, in characters: ten concatenated segments, what carriers
/// reliably deliver as one message.
pub const SMS_MAX_BODY_CHARS: usize = 1_600;
/// The longest WhatsApp text body, in characters (the WhatsApp Business limit).
pub const WHATSAPP_MAX_BODY_CHARS: usize = 4_096;
/// The longest email body, in characters: the clienteling limit for a personal email,
/// about ten printed pages, well inside what mail servers accept.
pub const EMAIL_MAX_BODY_CHARS: usize = 20_000;

/// The longest text body one message on `channel` may have, in characters.
pub fn max_body_chars(channel: Channel) -> usize {
    match channel {
        Channel::Sms => SMS_MAX_BODY_CHARS,
        Channel::Whatsapp => WHATSAPP_MAX_BODY_CHARS,
        Channel::Email => EMAIL_MAX_BODY_CHARS,
    }
}

/// Why a message body is refused before it is sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    /// Only whitespace.
    #[error("a message cannot be empty")]
    Empty,
    /// Over the channel's [`max_body_chars`].
    #[error("{} messages can have at most {max} characters", channel.label())]
    TooLong {
        /// The conversation's channel.
        channel: Channel,
        /// Its limit.
        max: usize,
    },
}

/// Trims a composed body and checks it can be sent on `channel`.
pub fn validate_body(body: &str, channel: Channel) -> Result<String, BodyError> {
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return Err(BodyError::Empty);
    }
    let max = max_body_chars(channel);
    if trimmed.chars().count() > max {
        return Err(BodyError::TooLong { channel, max });
    }
    Ok(trimmed.to_owned())
}

/// "1 message" / "3 messages", as the app counts unsent work (B1).
pub fn messages_phrase(count: u32) -> String {
    if count == 1 {
        "1 message".to_owned()
    } else {
        format!("{count} messages")
    }
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
    fn m10_reports_move_forward_and_read_exists_on_whatsapp_only() {
        use MessageStatus::*;
        assert_eq!(
            Delivered.after_report(Sent, Channel::Sms),
            None,
            "a late 'sent' changes nothing"
        );
        assert_eq!(
            Queued.after_report(Delivered, Channel::Sms),
            Some(Delivered),
            "a 'delivered' that overtook 'sent' applies"
        );
        assert_eq!(
            Delivered.after_report(Read, Channel::Sms),
            None,
            "SMS has no read receipts"
        );
        assert_eq!(
            Delivered.after_report(Read, Channel::Email),
            None,
            "nor has email"
        );
        assert_eq!(
            Delivered.after_report(Read, Channel::Whatsapp),
            Some(Read),
            "WhatsApp does"
        );
        assert_eq!(
            Sent.after_report(Received, Channel::Whatsapp),
            None,
            "'received' is not a delivery report"
        );
        assert_eq!(
            Received.after_report(Read, Channel::Whatsapp),
            None,
            "an inbound message takes no reports"
        );
    }

    #[test]
    fn m10_body_is_trimmed_and_bounded_by_the_channel() {
        assert_eq!(
            validate_body("  hi  ", Channel::Sms),
            Ok("hi".to_owned()),
            "surrounding space is dropped"
        );
        assert_eq!(
            validate_body(" \n ", Channel::Email),
            Err(BodyError::Empty),
            "blank bodies are refused"
        );
        for (channel, max) in [
            (Channel::Sms, 1_600),
            (Channel::Whatsapp, 4_096),
            (Channel::Email, 20_000),
        ] {
            assert!(
                validate_body(&"é".repeat(max), channel).is_ok(),
                "{channel} takes {max} characters, counted as characters, not bytes"
            );
            assert_eq!(
                validate_body(&"x".repeat(max + 1), channel),
                Err(BodyError::TooLong { channel, max }),
                "{channel} refuses one more"
            );
        }
        assert_eq!(
            BodyError::TooLong {
                channel: Channel::Whatsapp,
                max: 4_096
            }
            .to_string(),
            "WhatsApp messages can have at most 4096 characters",
            "the refusal names the channel and its limit"
        );
    }
}
