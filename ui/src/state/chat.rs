//! The open chat as the UI holds it: which conversation was asked for, its loaded view,
//! how message updates merge into it (M10), the pages of its history it holds (the latest
//! on opening, older ones as the associate scrolls up, never more than [`MAX_SHOWN`]
//! messages) and the "N new messages" pill, and whether the composer may be used — a
//! preview of the consent and service-window rules (M3, M5) the core enforces.

use std::collections::HashMap;
use std::fmt;

use clienteling_domain::api::{Conversation, Customer, Message};
use clienteling_domain::sending::{SendContext, SendRefusal};
use clienteling_domain::view::{ChatCustomer, ChatView, MessagePage};
use clienteling_domain::{
    ApiError, ConversationId, CustomerId, MessageId, MessageKind, MessageStatus, ServiceWindow,
    Timestamp,
};

/// Messages the chat holds at most however far back the associate scrolls, so the list
/// renders a bounded number of bubbles whatever the length of the history: past it, the
/// newest are let go and read again on the way back down.
pub const MAX_SHOWN: usize = 300;
/// Messages kept when the associate is back at the bottom: the older pages read while
/// scrolling up are let go again.
pub const KEPT_AT_BOTTOM: usize = 100;

/// Reading the page before the oldest message shown.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum OlderPage {
    /// Not reading.
    #[default]
    Idle,
    /// Asked the core for the page before this message.
    Loading(MessageId),
    /// The last read failed; the list offers a Retry.
    Failed(ApiError),
}

/// Where the history shown sits in the conversation's, and where the associate is in it.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    /// Reading an older page.
    pub older: OlderPage,
    /// Newer messages than the last shown were let go to stay within [`MAX_SHOWN`]: new
    /// ones are not appended (that would leave a gap) until the latest page is read again.
    pub has_newer: bool,
    /// The associate is at the bottom of the list (new messages scroll into view).
    pub at_bottom: bool,
    /// New messages that arrived while the associate was scrolled up (the pill).
    pub unseen: u32,
    /// Bumped whenever the list should scroll to the newest message.
    pub to_bottom: u32,
}

impl Default for History {
    fn default() -> Self {
        Self {
            older: OlderPage::Idle,
            has_newer: false,
            at_bottom: true,
            unseen: 0,
            to_bottom: 0,
        }
    }
}

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
    /// The part of the history shown, and the associate's place in it.
    pub history: History,
    /// Moves when the core reports a change of the open chat's customer (their record,
    /// their last contact: B7, C13), so the chat reads them again; 0 until then.
    pub customer_revision: u32,
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

    /// Merges a message the core reported in a `MessageChanged` event, in a history that
    /// may be partial: a message older than the first shown while older ones are not
    /// loaded belongs to a page not read (ignored; that page is read from the local copy
    /// when wanted), and a new message after the last shown is not appended while newer
    /// ones were let go. A new message scrolls into view when the associate is at the
    /// bottom, and otherwise counts for the "N new messages" pill.
    pub fn apply_event_message(&mut self, message: Message) {
        let history = &mut self.history;
        let Some(view) = self
            .view
            .as_mut()
            .filter(|view| Some(&view.conversation.id) == self.requested.as_ref())
            .filter(|view| view.conversation.id == message.conversation_id)
        else {
            return;
        };
        if let Some(shown) = view.messages.iter_mut().find(|m| m.id == message.id) {
            *shown = message;
            if history.at_bottom {
                history.to_bottom = history.to_bottom.wrapping_add(1);
            }
            return;
        }
        let before_first = view
            .messages
            .first()
            .is_some_and(|first| message.created_at < first.created_at);
        if view.has_older && before_first {
            return;
        }
        let after_last = view
            .messages
            .last()
            .is_none_or(|last| message.created_at >= last.created_at);
        if history.has_newer && after_last {
            history.unseen = history.unseen.saturating_add(1);
            return;
        }
        insert_in_order(&mut view.messages, message);
        if history.at_bottom {
            history.to_bottom = history.to_bottom.wrapping_add(1);
        } else {
            history.unseen = history.unseen.saturating_add(1);
        }
    }

    /// The message to read the older page before, when the associate nears the top and
    /// one should be read: older messages exist and none is being read or failed (a
    /// failure waits for the Retry).
    pub fn older_wanted(&self) -> Option<(&ConversationId, &MessageId)> {
        let view = self.open_view()?;
        let first = view.messages.first()?;
        (view.has_older && self.history.older == OlderPage::Idle)
            .then_some((&view.conversation.id, &first.id))
    }

    /// The older page before `before` is being read.
    pub fn older_requested(&mut self, before: MessageId) {
        self.history.older = OlderPage::Loading(before);
    }

    /// Takes the page the core read before `before`: prepended when the chat still starts
    /// with that message (the associate did not leave meanwhile), keeping at most
    /// [`MAX_SHOWN`] messages by letting the newest go.
    pub fn apply_older_page(
        &mut self,
        conversation_id: &ConversationId,
        before: &MessageId,
        page: MessagePage,
    ) {
        if self.history.older != OlderPage::Loading(before.clone()) {
            return;
        }
        let history = &mut self.history;
        let Some(view) = self.view.as_mut().filter(|view| {
            &view.conversation.id == conversation_id
                && Some(conversation_id) == self.requested.as_ref()
                && view.messages.first().map(|m| &m.id) == Some(before)
        }) else {
            return;
        };
        history.older = OlderPage::Idle;
        view.has_older = page.has_older;
        let shown = std::mem::replace(&mut view.messages, page.messages);
        view.messages.extend(shown);
        if view.messages.len() > MAX_SHOWN {
            view.messages.truncate(MAX_SHOWN);
            history.has_newer = true;
        }
    }

    /// Reading the page before `before` failed: the list shows the error and a Retry.
    pub fn older_failed(&mut self, before: &MessageId, error: ApiError) {
        if self.history.older == OlderPage::Loading(before.clone()) {
            self.history.older = OlderPage::Failed(error);
        }
    }

    /// The associate asked to read the older page again after a failure.
    pub fn older_retried(&mut self) {
        if matches!(self.history.older, OlderPage::Failed(_)) {
            self.history.older = OlderPage::Idle;
        }
    }

    /// The associate scrolled: at the bottom the pill goes and the older pages read while
    /// scrolling up are let go again (at most [`KEPT_AT_BOTTOM`] messages stay).
    pub fn scrolled(&mut self, at_bottom: bool) {
        self.history.at_bottom = at_bottom;
        if !at_bottom || self.history.has_newer {
            return;
        }
        self.history.unseen = 0;
        let reading_older = matches!(self.history.older, OlderPage::Loading(_));
        if let Some(view) = self
            .view
            .as_mut()
            .filter(|_| !reading_older)
            .filter(|view| view.messages.len() > KEPT_AT_BOTTOM)
        {
            let dropped = view.messages.len() - KEPT_AT_BOTTOM;
            view.messages.drain(..dropped);
            view.has_older = true;
            self.history.older = OlderPage::Idle;
            self.history.to_bottom = self.history.to_bottom.wrapping_add(1);
        }
    }

    /// Whether jumping to the bottom needs the latest page read again (newer messages
    /// were let go while scrolled far up).
    pub fn latest_wanted(&self) -> bool {
        self.history.has_newer
    }

    /// The associate clicked the pill (or the latest page was read again): to the newest
    /// message, with the older pages let go.
    pub fn jumped_to_bottom(&mut self) {
        self.history.to_bottom = self.history.to_bottom.wrapping_add(1);
        self.scrolled(true);
    }

    /// Takes the latest page read again after newer messages were let go: it replaces
    /// the history shown, and the list goes to the newest message.
    pub fn apply_latest(&mut self, latest: ChatView) {
        let Some(view) = self
            .view
            .as_mut()
            .filter(|view| view.conversation.id == latest.conversation.id)
            .filter(|_| self.requested.as_ref() == Some(&latest.conversation.id))
        else {
            return;
        };
        *view = latest;
        self.history = History {
            to_bottom: self.history.to_bottom.wrapping_add(1),
            ..History::default()
        };
    }

    /// The core reported that these customers changed: the open chat reads its customer
    /// again if they are among them (B7).
    pub fn customers_changed(&mut self, customer_ids: &[CustomerId]) {
        if self
            .open_view()
            .is_some_and(|view| customer_ids.contains(&view.customer.id))
        {
            self.customer_revision = self.customer_revision.wrapping_add(1);
        }
    }

    /// The open conversation and the revision of its customer to read again, once a
    /// change of them was reported.
    pub fn customer_wanted(&self) -> Option<(ConversationId, u32)> {
        let view = self.open_view()?;
        (self.customer_revision != 0)
            .then(|| (view.conversation.id.clone(), self.customer_revision))
    }

    /// Takes the open chat's customer as read again: the header and the last-contact
    /// warning follow (B7).
    pub fn apply_chat_customer(&mut self, read: ChatCustomer) {
        let Some(view) = self
            .view
            .as_mut()
            .filter(|view| view.conversation.id == read.conversation_id)
            .filter(|_| self.requested.as_ref() == Some(&read.conversation_id))
        else {
            return;
        };
        view.customer = read.customer;
        view.last_contact = read.last_contact;
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
            let reaches_shown = !reloaded.has_older
                || reloaded.messages.iter().any(|reloaded_message| {
                    view.messages
                        .iter()
                        .any(|shown| shown.id == reloaded_message.id)
                });
            if reaches_shown && !self.history.has_newer {
                apply_reloaded_messages(&mut view.messages, reloaded.messages);
            } else {
                view.messages = reloaded.messages;
                view.has_older = reloaded.has_older;
                self.history = History {
                    to_bottom: self.history.to_bottom.wrapping_add(1),
                    ..History::default()
                };
            }
            view.conversation = reloaded.conversation;
            view.customer = reloaded.customer;
            view.last_contact = reloaded.last_contact;
            return;
        }
        self.view = Some(reloaded);
    }

    /// Merges a message a command answered with (send or retry); the list goes to the
    /// newest message. While newer messages were let go it waits for the latest page
    /// (the pill counts it).
    pub fn apply_accepted_message(&mut self, message: Message) {
        let has_newer = self.history.has_newer;
        let Some(messages) = self.messages_of(&message.conversation_id.clone()) else {
            return;
        };
        if has_newer && !messages.iter().any(|shown| shown.id == message.id) {
            self.history.unseen = self.history.unseen.saturating_add(1);
            return;
        }
        apply_accepted_message(messages, message);
        self.history.to_bottom = self.history.to_bottom.wrapping_add(1);
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
    use clienteling_domain::{Channel, ConsentState, Direction, ErrorCode};

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
            history: History::default(),
            customer_revision: 0,
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
            history: History::default(),
            customer_revision: 0,
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

    /// A chat of `c1` showing messages `first..=last` (times 10 × n), with older ones when
    /// `has_older`.
    fn paged_chat(first: i64, last: i64, has_older: bool) -> ChatState {
        let open = conversation("c1", 10, 0);
        let messages = (first..=last).map(inbound).collect();
        let mut view = chat(open.clone(), messages);
        view.has_older = has_older;
        ChatState {
            requested: Some(open.id),
            view: Some(view),
            focus: 0,
            stale: false,
            history: History::default(),
            customer_revision: 0,
        }
    }

    fn inbound(n: i64) -> Message {
        message(
            &format!("m{n}"),
            "c1",
            Direction::Inbound,
            MessageStatus::Received,
            n * 10,
        )
    }

    fn page(first: i64, last: i64, has_older: bool) -> MessagePage {
        MessagePage {
            messages: (first..=last).map(inbound).collect(),
            has_older,
        }
    }

    fn shown(state: &ChatState) -> (Option<&str>, Option<&str>, usize) {
        let messages = state
            .open_view()
            .map(|v| v.messages.as_slice())
            .unwrap_or(&[]);
        (
            messages.first().map(|m| m.id.as_str()),
            messages.last().map(|m| m.id.as_str()),
            messages.len(),
        )
    }

    #[test]
    fn an_older_page_is_read_before_the_first_message_shown_and_prepended_m10() {
        let mut state = paged_chat(101, 180, true);
        let (conversation, before) = state.older_wanted().expect("older messages exist");
        assert_eq!(
            (conversation.as_str(), before.as_str()),
            ("c1", "m101"),
            "the page before the oldest message shown is asked for"
        );
        state.older_requested("m101".into());
        assert_eq!(
            state.older_wanted(),
            None,
            "while a page is read no second read starts"
        );
        state.apply_older_page(&"c1".into(), &"m101".into(), page(21, 100, true));
        assert_eq!(
            shown(&state),
            (Some("m21"), Some("m180"), 160),
            "the older page comes first, with no gap and no duplicate"
        );
        assert_eq!(
            state.history.older,
            OlderPage::Idle,
            "the spinner goes once the page is in"
        );
        state.older_requested("m21".into());
        state.apply_older_page(&"c1".into(), &"m21".into(), page(1, 20, false));
        assert_eq!(
            state.older_wanted(),
            None,
            "after the first message of the conversation nothing older is read"
        );
    }

    #[test]
    fn a_failed_older_page_shows_the_error_until_retried_m10() {
        let mut state = paged_chat(101, 180, true);
        state.older_requested("m101".into());
        state.older_failed(
            &"m101".into(),
            ApiError::new(ErrorCode::Internal, "disk full"),
        );
        assert!(
            matches!(state.history.older, OlderPage::Failed(_)),
            "the list shows the error"
        );
        assert_eq!(
            state.older_wanted(),
            None,
            "scrolling does not retry on its own: the associate clicks Retry"
        );
        state.older_retried();
        assert!(
            state.older_wanted().is_some(),
            "after Retry the page is asked for again"
        );
    }

    #[test]
    fn a_page_arriving_after_the_chat_changed_is_dropped_m10() {
        let mut state = paged_chat(101, 180, true);
        state.older_requested("m101".into());
        state.apply_older_page(&"c2".into(), &"m101".into(), page(21, 100, true));
        state.apply_older_page(&"c1".into(), &"m77".into(), page(21, 100, true));
        assert_eq!(
            shown(&state),
            (Some("m101"), Some("m180"), 80),
            "a page of another conversation or before another message is not prepended"
        );
    }

    #[test]
    fn the_chat_holds_a_bounded_number_of_messages_however_far_back_m10() {
        let mut state = paged_chat(961, 1040, true);
        let mut first = 961;
        while first > 1 {
            let before = MessageId::from(format!("m{first}"));
            state.older_requested(before.clone());
            state.apply_older_page(
                &"c1".into(),
                &before,
                page(first - 80, first - 1, first > 81),
            );
            first -= 80;
            let (_, _, len) = shown(&state);
            assert!(
                len <= MAX_SHOWN,
                "{len} messages held, more than {MAX_SHOWN}"
            );
        }
        assert!(
            state.history.has_newer,
            "the newest messages were let go and are read again on the way down"
        );
        assert!(
            state.latest_wanted(),
            "the pill reads the latest page again"
        );
        state.apply_event_message(inbound(2000));
        assert_eq!(
            shown(&state).1,
            Some("m300"),
            "a new message is not appended after a gap"
        );
        assert_eq!(state.history.unseen, 1, "the pill counts it");
        state.apply_latest(chat(
            conversation("c1", 10, 0),
            (1921..=2000).map(inbound).collect(),
        ));
        assert_eq!(
            (shown(&state), state.history.has_newer, state.history.unseen),
            ((Some("m1921"), Some("m2000"), 80), false, 0),
            "the latest page replaces the history shown and the pill goes"
        );
    }

    #[test]
    fn back_at_the_bottom_the_older_pages_are_let_go_again_m10() {
        let mut state = paged_chat(101, 180, true);
        state.scrolled(false);
        state.older_requested("m101".into());
        state.apply_older_page(&"c1".into(), &"m101".into(), page(21, 100, true));
        state.scrolled(true);
        assert_eq!(
            shown(&state),
            (Some("m81"), Some("m180"), KEPT_AT_BOTTOM),
            "at the bottom only the newest messages stay"
        );
        assert!(
            state.open_view().is_some_and(|v| v.has_older),
            "the let-go pages can be read again"
        );
    }

    #[test]
    fn a_new_message_scrolls_into_view_only_at_the_bottom_m10() {
        let mut state = paged_chat(101, 180, true);
        let to_bottom = state.history.to_bottom;
        state.apply_event_message(inbound(181));
        assert!(
            state.history.to_bottom != to_bottom && state.history.unseen == 0,
            "at the bottom the new message scrolls into view, no pill"
        );
        state.scrolled(false);
        let to_bottom = state.history.to_bottom;
        state.apply_event_message(inbound(182));
        state.apply_event_message(inbound(183));
        assert_eq!(
            (state.history.to_bottom, state.history.unseen),
            (to_bottom, 2),
            "scrolled up, the list stays put and the pill says 2 new messages"
        );
        assert_eq!(shown(&state).1, Some("m183"), "they are appended meanwhile");
        state.jumped_to_bottom();
        assert!(
            state.history.to_bottom != to_bottom && state.history.unseen == 0,
            "the pill jumps to the bottom and goes"
        );
    }

    #[test]
    fn a_status_change_of_a_message_not_loaded_is_ignored_m10() {
        let mut state = paged_chat(101, 180, true);
        let mut old = message("m5", "c1", Direction::Outbound, MessageStatus::Read, 50);
        old.updated_at = Timestamp(5_000);
        state.apply_event_message(old);
        assert_eq!(
            shown(&state),
            (Some("m101"), Some("m180"), 80),
            "a message of a page not read does not appear out of place"
        );
        let mut whole = paged_chat(1, 80, false);
        whole.apply_event_message(message(
            "m0",
            "c1",
            Direction::Outbound,
            MessageStatus::Queued,
            5,
        ));
        assert_eq!(
            shown(&whole).0,
            Some("m0"),
            "with the whole history shown, a message takes its place by time"
        );
    }

    #[test]
    fn a_reload_with_a_gap_replaces_the_partial_history_b2() {
        let mut state = paged_chat(101, 180, true);
        let mut reloaded = chat(
            conversation("c1", 10, 0),
            (301..=380).map(inbound).collect(),
        );
        reloaded.has_older = true;
        state.apply_reloaded(reloaded);
        assert_eq!(
            shown(&state),
            (Some("m301"), Some("m380"), 80),
            "more than a page arrived while events were lost: the latest page replaces the old one"
        );
        let mut state = paged_chat(21, 180, true);
        let mut reloaded = chat(
            conversation("c1", 10, 0),
            (111..=190).map(inbound).collect(),
        );
        reloaded.has_older = true;
        state.apply_reloaded(reloaded);
        assert_eq!(
            shown(&state),
            (Some("m21"), Some("m190"), 170),
            "a reload overlapping the history shown extends it and keeps the older pages"
        );
    }
}
