//! Whether staff may send a message into a conversation at a given time (M3, M5): the rule
//! the backend enforces, which the app checks first so the associate hears at once.

use crate::{Channel, ConsentState, ErrorCode, MessageKind, ServiceWindow, Timestamp};

/// The text of the window refusal, the same wherever it is raised.
pub const WINDOW_CLOSED_MESSAGE: &str =
    "The WhatsApp service window is closed: send an approved template";

/// Why a message may not be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendRefusal {
    /// The customer opted out of messages from this store (M3).
    OptedOut,
    /// WhatsApp outside the 24-hour window, and not a template (M5).
    WindowClosed,
}

impl SendRefusal {
    /// The error code both the backend and the app answer with.
    pub fn code(self) -> ErrorCode {
        match self {
            SendRefusal::OptedOut => ErrorCode::OptedOut,
            SendRefusal::WindowClosed => ErrorCode::WindowClosed,
        }
    }
}

/// What a conversation looks like to the send rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendContext {
    /// The customer's consent for the store.
    pub consent: ConsentState,
    /// The conversation's channel.
    pub channel: Channel,
    /// The WhatsApp service window.
    pub window: ServiceWindow,
}

impl SendContext {
    /// Whether a message of `kind` may be sent at `now`: never to an opted-out customer;
    /// on WhatsApp outside the window, only templates.
    pub fn check(self, kind: MessageKind, now: Timestamp) -> Result<(), SendRefusal> {
        if !self.consent.allows_sending() {
            return Err(SendRefusal::OptedOut);
        }
        if self.channel.has_service_window()
            && kind != MessageKind::Template
            && !self.window.is_open(now)
        {
            return Err(SendRefusal::WindowClosed);
        }
        Ok(())
    }
}

/// The text of the opt-out refusal.
pub fn opted_out_message(first_name: &str, store_name: &str) -> String {
    format!(
        "{first_name} opted out of messages from {store_name}; they can text START to opt back in"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::window::WINDOW_MS;

    const T0: Timestamp = Timestamp(1_700_000_000_000);

    fn context(consent: ConsentState, channel: Channel) -> SendContext {
        SendContext {
            consent,
            channel,
            window: ServiceWindow::opened(T0),
        }
    }

    #[test]
    fn m3_nothing_goes_to_an_opted_out_customer() {
        let ctx = context(ConsentState::OptedOut, Channel::Sms);
        assert_eq!(
            ctx.check(MessageKind::Text, T0),
            Err(SendRefusal::OptedOut),
            "text is refused"
        );
        assert_eq!(
            ctx.check(MessageKind::Template, T0),
            Err(SendRefusal::OptedOut),
            "templates too"
        );
        assert_eq!(
            SendRefusal::OptedOut.code(),
            ErrorCode::OptedOut,
            "the shared code"
        );
        assert_eq!(
            opted_out_message("Ava", "Fifth Avenue"),
            "Ava opted out of messages from Fifth Avenue; they can text START to opt back in",
            "the reason names the customer, the store and the way back"
        );
    }

    #[test]
    fn m5_only_templates_outside_the_whatsapp_window() {
        let ctx = context(ConsentState::OptedIn, Channel::Whatsapp);
        let closed = T0.plus_ms(WINDOW_MS);
        assert_eq!(
            ctx.check(MessageKind::Text, T0),
            Ok(()),
            "free text inside the window"
        );
        assert_eq!(
            ctx.check(MessageKind::Text, closed),
            Err(SendRefusal::WindowClosed),
            "free text after 24 h"
        );
        assert_eq!(
            ctx.check(MessageKind::Image, closed),
            Err(SendRefusal::WindowClosed),
            "any non-template after 24 h"
        );
        assert_eq!(
            ctx.check(MessageKind::Template, closed),
            Ok(()),
            "templates reopen contact"
        );
        assert_eq!(
            context(ConsentState::Unknown, Channel::Sms).check(MessageKind::Text, closed),
            Ok(()),
            "SMS has no window"
        );
    }
}
