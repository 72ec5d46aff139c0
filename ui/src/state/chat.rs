//! The open chat as the UI holds it: which conversation was asked for, its loaded view,
//! how message updates merge into it (M10), and whether the composer may be used —
//! a preview of the consent and service-window rules (M3, M5) the core enforces.

use std::collections::HashMap;
use std::fmt;

use clienteling_domain::api::{Conversation, Customer, Message};
use clienteling_domain::sending::{SendContext, SendRefusal};
use clienteling_domain::view::ChatView;
use clienteling_domain::{
    ConversationId, MessageId, MessageKind, MessageStatus, ServiceWindow, Timestamp,
};

/// The chat pane's state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChatState {
    /// The conversation asked for (by a click, a key or a notification).
    pub requested: Option<ConversationId>,
    /// Its chat, once the core answered.
    pub view: Option<ChatView>,
    /// Bumped whenever the composer should take the focus.
    pub focus: u32,
    /// Events about it were lost, so the open chat is reloaded from the local copy (B2).
    pub stale: bool,
}

impl ChatState {
    /// The chat on screen: the loaded view of the requested conversation.
    pub fn open_view(&self) -> Option<&ChatView> {
        self.view
            .as_ref()
            .filter(|view| Some(&view.conversation.id) == self.requested.as_ref())
    }

    /// Whether a conversation was asked for and its chat has not arrived yet.
    pub fn is_loading(&self) -> bool {
        self.requested.is_some() && self.open_view().is_none()
    }

    /// The messages of the open chat when `conversation_id` is the one open.
    fn messages_of(&mut self, conversation_id: &ConversationId) -> Option<&mut Vec<Message>> {
        let requested = self.requested.as_ref()?;
        self.view
            .as_mut()
            .filter(|view| &view.conversation.id == requested && requested == conversation_id)
            .map(|view| &mut view.messages)
    }

    /// Merges a message the core reported in a `MessageChanged` event.
    pub fn apply_event_message(&mut self, message: Message) {
        if let Some(messages) = self.messages_of(&message.conversation_id.clone()) {
            apply_event_message(messages, message);
        }
    }

    /// The conversation to reload from the local copy, when events about the chat on
    /// screen were lost (B2).
    pub fn reload_wanted(&self) -> Option<&ConversationId> {
        self.requested.as_ref().filter(|_| self.stale)
    }

    /// Takes a reload of the requested conversation from the local copy (B2).
    pub fn apply_reloaded(&mut self, reloaded: ChatView) {
        if self.requested.as_ref() != Some(&reloaded.conversation.id) {
            return;
        }
        self.stale = false;
        if let Some(view) = self
            .view
            .as_mut()
            .filter(|view| view.conversation.id == reloaded.conversation.id)
        {
            apply_reloaded_messages(&mut view.messages, reloaded.messages);
            view.conversation = reloaded.conversation;
            view.customer = reloaded.customer;
            return;
        }
        self.view = Some(reloaded);
    }

    /// Merges a message a command answered with (send or retry).
    pub fn apply_accepted_message(&mut self, message: Message) {
        if let Some(messages) = self.messages_of(&message.conversation_id.clone()) {
            apply_accepted_message(messages, message);
        }
    }

    /// Replaces the open chat's conversation (consent, window, unread…) when it changed.
    pub fn apply_conversation(&mut self, conversation: &Conversation) {
        if let Some(view) = self
            .view
            .as_mut()
            .filter(|view| view.conversation.id == conversation.id)
        {
            view.conversation = conversation.clone();
        }
    }
}

/// Merges a message from the core's event stream: events come in the order the core
/// stored them, so the event's copy replaces the one shown; a new message takes its place
/// by time of writing (oldest first).
pub fn apply_event_message(messages: &mut Vec<Message>, message: Message) {
    match messages.iter_mut().find(|shown| shown.id == message.id) {
        Some(shown) => *shown = message,
        None => insert_in_order(messages, message),
    }
}

/// Merges the message a send or retry answered with. Events about it may have overtaken
/// the answer, so it only adds a message not shown yet, or replaces a failed one that the
/// retry has not been reported for (never undoing a newer status).
pub fn apply_accepted_message(messages: &mut Vec<Message>, message: Message) {
    match messages.iter_mut().find(|shown| shown.id == message.id) {
        Some(shown) => {
            let retried = shown.status == MessageStatus::Failed
                && message.status != MessageStatus::Failed
                && message.updated_at >= shown.updated_at;
            if retried {
                *shown = message;
            }
        }
        None => insert_in_order(messages, message),
    }
}

/// Merges a reload of the chat from the local copy into the messages shown: the reload
/// holds every message, but an event that arrived while it was on its way may be newer
/// than its copy, so of two copies the further status wins (statuses never move
/// backwards, M10), and a message sent meanwhile stays (B2).
pub fn apply_reloaded_messages(messages: &mut Vec<Message>, reloaded: Vec<Message>) {
    let shown = std::mem::replace(messages, reloaded);
    let positions: HashMap<MessageId, usize> = messages
        .iter()
        .enumerate()
        .map(|(index, message)| (message.id.clone(), index))
        .collect();
    let mut sent_meanwhile = Vec::new();
    for message in shown {
        match positions.get(&message.id) {
            Some(&index) => {
                if message.status.rank() > messages[index].status.rank() {
                    messages[index] = message;
                }
            }
            None => sent_meanwhile.push(message),
        }
    }
    for message in sent_meanwhile {
        insert_in_order(messages, message);
    }
}

fn insert_in_order(messages: &mut Vec<Message>, message: Message) {
    let at = messages.partition_point(|shown| shown.created_at <= message.created_at);
    messages.insert(at, message);
}

/// Why the composer is replaced by a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComposerBlock {
    /// The customer texted STOP (M3).
    OptedOut {
        /// How the customer is called in the notice.
        name: String,
    },
    /// The WhatsApp 24-hour window is closed (M5).
    WindowClosed,
}

impl fmt::Display for ComposerBlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ComposerBlock::OptedOut { name } => write!(
                f,
                "{name} opted out (STOP). They can text START to opt back in."
            ),
            ComposerBlock::WindowClosed => {
                f.write_str("The 24-hour window is closed — only templates can be sent")
            }
        }
    }
}

/// Whether free-form text can be written in `conversation` at `now`, by the domain's send
/// rule: not to a customer who opted out (M3), and on WhatsApp only inside the service
/// window (M5).
pub fn composer_block(
    conversation: &Conversation,
    customer: &Customer,
    now: Timestamp,
) -> Option<ComposerBlock> {
    let context = SendContext {
        consent: conversation.consent,
        channel: conversation.channel,
        window: ServiceWindow {
            opened_at: conversation.window_opened_at,
        },
    };
    match context.check(MessageKind::Text, now) {
        Ok(()) => None,
        Err(SendRefusal::OptedOut) => {
            let name = if customer.first_name.trim().is_empty() {
                customer.full_name()
            } else {
                customer.first_name.trim().to_owned()
            };
            Some(ComposerBlock::OptedOut { name })
        }
        Err(SendRefusal::WindowClosed) => Some(ComposerBlock::WindowClosed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::fixtures::{chat, conversation, customer, message};
    use clienteling_domain::time::HOUR_MS;
    use clienteling_domain::{Channel, ConsentState, Direction};

    fn statuses(messages: &[Message]) -> Vec<(&str, MessageStatus)> {
        messages.iter().map(|m| (m.id.as_str(), m.status)).collect()
    }

    #[test]
    fn a_status_event_replaces_the_message_shown_m10() {
        let mut messages = vec![message(
            "m1",
            "c1",
            Direction::Outbound,
            MessageStatus::Sent,
            10,
        )];
        let mut delivered = message(
            "m1",
            "c1",
            Direction::Outbound,
            MessageStatus::Delivered,
            10,
        );
        delivered.updated_at = Timestamp(20);
        apply_event_message(&mut messages, delivered);
        assert_eq!(
            statuses(&messages),
            [("m1", MessageStatus::Delivered)],
            "the same message, now delivered, not a second bubble"
        );
    }

    #[test]
    fn new_messages_take_their_place_by_time_of_writing_b2() {
        let mut messages = vec![
            message("m1", "c1", Direction::Inbound, MessageStatus::Received, 10),
            message("m3", "c1", Direction::Inbound, MessageStatus::Received, 30),
        ];
        apply_event_message(
            &mut messages,
            message("m2", "c1", Direction::Outbound, MessageStatus::Queued, 20),
        );
        apply_event_message(
            &mut messages,
            message("m4", "c1", Direction::Inbound, MessageStatus::Received, 40),
        );
        let order: Vec<&str> = messages.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(order, ["m1", "m2", "m3", "m4"], "oldest first");
    }

    #[test]
    fn a_send_answer_overtaken_by_its_status_events_does_not_undo_them_m10() {
        let mut messages = Vec::new();
        let mut delivered = message(
            "m1",
            "c1",
            Direction::Outbound,
            MessageStatus::Delivered,
            10,
        );
        delivered.updated_at = Timestamp(15);
        apply_event_message(&mut messages, delivered);
        apply_accepted_message(
            &mut messages,
            message("m1", "c1", Direction::Outbound, MessageStatus::Queued, 10),
        );
        assert_eq!(
            statuses(&messages),
            [("m1", MessageStatus::Delivered)],
            "the late 'queued' answer must not hide 'delivered'"
        );
    }

    #[test]
    fn a_retry_answer_replaces_the_failed_message_m10() {
        let mut failed = message("m1", "c1", Direction::Outbound, MessageStatus::Failed, 10);
        failed.failure_reason = Some("Unreachable number".into());
        failed.updated_at = Timestamp(12);
        let mut messages = vec![failed];
        let mut queued = message("m1", "c1", Direction::Outbound, MessageStatus::Queued, 10);
        queued.updated_at = Timestamp(50);
        apply_accepted_message(&mut messages, queued);
        assert_eq!(
            statuses(&messages),
            [("m1", MessageStatus::Queued)],
            "the retried message shows as queued again"
        );
    }

    #[test]
    fn messages_of_another_conversation_leave_the_open_chat_alone_b2() {
        let open = conversation("c1", 10, 0);
        let mut state = ChatState {
            requested: Some(open.id.clone()),
            view: Some(chat(open, Vec::new())),
            focus: 0,
            stale: false,
        };
        state.apply_event_message(message(
            "m9",
            "c2",
            Direction::Inbound,
            MessageStatus::Received,
            10,
        ));
        assert!(
            state.open_view().is_some_and(|v| v.messages.is_empty()),
            "a message of c2 is not shown in c1's chat"
        );
        state.apply_event_message(message(
            "m1",
            "c1",
            Direction::Inbound,
            MessageStatus::Received,
            10,
        ));
        assert_eq!(
            state.open_view().map(|v| v.messages.len()),
            Some(1),
            "a message of the open chat is shown live"
        );
    }

    #[test]
    fn composer_is_blocked_with_the_reason_after_opt_out_m3() {
        let mut opted_out = conversation("c1", 10, 0);
        opted_out.consent = ConsentState::OptedOut;
        let block = composer_block(&opted_out, &customer(&opted_out), Timestamp(10));
        assert_eq!(
            block.map(|b| b.to_string()).as_deref(),
            Some("Olivia opted out (STOP). They can text START to opt back in."),
            "the notice names the customer and how to opt back in"
        );
        let opted_in = conversation("c1", 10, 0);
        assert_eq!(
            composer_block(&opted_in, &customer(&opted_in), Timestamp(10)),
            None,
            "an opted-in SMS customer can be written to"
        );
    }

    #[test]
    fn composer_follows_the_whatsapp_window_m5() {
        let mut whatsapp = conversation("c1", 10, 0);
        whatsapp.channel = Channel::Whatsapp;
        let who = customer(&whatsapp);
        assert_eq!(
            composer_block(&whatsapp, &who, Timestamp(10)),
            Some(ComposerBlock::WindowClosed),
            "a never-opened window allows templates only"
        );
        whatsapp.window_opened_at = Some(Timestamp(0));
        assert_eq!(
            composer_block(&whatsapp, &who, Timestamp(23 * HOUR_MS)),
            None,
            "inside 24 hours free-form messages are allowed"
        );
        assert_eq!(
            composer_block(&whatsapp, &who, Timestamp(24 * HOUR_MS)),
            Some(ComposerBlock::WindowClosed),
            "at exactly 24 hours the window is closed"
        );
        assert_eq!(
            ComposerBlock::WindowClosed.to_string(),
            "The 24-hour window is closed — only templates can be sent",
            "the notice says what is still possible"
        );
    }

    #[test]
    fn a_consent_change_reaches_the_open_chat_m3_m4() {
        let open = conversation("c1", 10, 0);
        let mut state = ChatState {
            requested: Some(open.id.clone()),
            view: Some(chat(open.clone(), Vec::new())),
            focus: 0,
            stale: false,
        };
        let mut opted_out = open;
        opted_out.consent = ConsentState::OptedOut;
        state.apply_conversation(&opted_out);
        assert_eq!(
            state.open_view().map(|v| v.conversation.consent),
            Some(ConsentState::OptedOut),
            "the chat learns of the STOP at once"
        );
    }

    #[test]
    fn a_reload_brings_the_final_statuses_but_never_undoes_a_newer_event_b2_m10() {
        let mut messages = vec![
            message("m1", "c1", Direction::Outbound, MessageStatus::Queued, 10),
            message("m2", "c1", Direction::Outbound, MessageStatus::Read, 20),
            message("m4", "c1", Direction::Outbound, MessageStatus::Queued, 40),
        ];
        let reloaded = vec![
            message(
                "m1",
                "c1",
                Direction::Outbound,
                MessageStatus::Delivered,
                10,
            ),
            message(
                "m2",
                "c1",
                Direction::Outbound,
                MessageStatus::Delivered,
                20,
            ),
            message("m3", "c1", Direction::Inbound, MessageStatus::Received, 30),
        ];
        apply_reloaded_messages(&mut messages, reloaded);
        assert_eq!(
            statuses(&messages),
            [
                ("m1", MessageStatus::Delivered),
                ("m2", MessageStatus::Read),
                ("m3", MessageStatus::Received),
                ("m4", MessageStatus::Queued),
            ],
            "the reload's statuses and missed messages, the newer 'read' event, and the message sent meanwhile"
        );
    }
}
