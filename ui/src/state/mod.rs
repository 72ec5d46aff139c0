//! The UI's state: one reducer holding the session, the connection, the inbox, the open
//! chat, the tasks' counts, error toasts and the unread banner, changed only by
//! [`Action`]s; beside it the
//! small states of the chat's parts (composer draft, template picker, quick-reply insertion,
//! opt-in request, panels fetched on demand). Pure, so the rules of how events update the
//! screen are tested natively.

pub mod attributes;
pub mod chat;
pub mod customers;
pub mod draft;
pub mod inbox;
pub mod intents;
pub mod notes;
pub mod opt_in;
pub mod remote;
pub mod share;
pub mod sign_out;
pub mod snippet;
pub mod tasks;
pub mod templates;

#[cfg(test)]
mod fixtures;

use std::rc::Rc;

use clienteling_domain::api::{Conversation, Message};
use clienteling_domain::inbox::InboxScope;
use clienteling_domain::task::TaskCounts;
use clienteling_domain::view::{
    ChatCustomer, ChatView, Connection, HistoryProgress, InboxPage, MessagePage, SessionView,
};
use clienteling_domain::{ApiError, ConversationId, CustomerId, ErrorCode, MessageId};
use yew::Reducible;

use crate::routes::Route;
use chat::ChatState;
use inbox::InboxState;
use tasks::TaskState;

/// How many error toasts stay on screen at most; older ones give way.
const MAX_TOASTS: usize = 3;

/// Whether someone is signed in.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionPhase {
    /// Asking the core for a kept session.
    Checking,
    /// The sign-in screen.
    SignedOut,
    /// The inbox and chats of this session.
    SignedIn(SessionView),
    /// The backend refused the session's token: sign in again to send what waits (B1).
    Ended {
        /// The session that ended (who should sign in again).
        session: SessionView,
        /// Messages kept on this device, not yet sent.
        unsent_messages: u32,
    },
    /// The engine could not start (local database or backend); the splash shows why.
    Unavailable(ApiError),
}

/// The "You have N unread messages" banner after signing in (M12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnreadBanner {
    /// Not shown.
    Hidden,
    /// Signed in; shown once the first inbox listing tells the count.
    Pending,
    /// Shown with the inbox's current unread total (the badge's), until dismissed; out of
    /// sight while nothing is unread.
    Shown,
}

/// An error the associate should see, until dismissed.
#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    /// Identifier for dismissing it.
    pub id: u32,
    /// What went wrong.
    pub error: ApiError,
}

/// Everything the screens render.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    /// Who is signed in.
    pub session: SessionPhase,
    /// Whether the core reaches the backend.
    pub connection: Connection,
    /// The inbox pane.
    pub inbox: InboxState,
    /// The chat pane.
    pub chat: ChatState,
    /// Errors on screen, oldest first.
    pub toasts: Vec<Toast>,
    /// The unread banner.
    pub unread_banner: UnreadBanner,
    /// Which customers' notes changed, for an open profile to reread them (C9).
    pub note_revisions: notes::NoteRevisions,
    /// Which customers changed, for an open profile to read itself again (C2).
    pub customer_revisions: customers::CustomerRevisions,
    /// How many times a notification asked for the Chat section (the workspace follows it
    /// from any other section).
    pub chat_section_requests: u32,
    /// How many times customers' attribute values changed locally (from the feed, or put
    /// back after a refusal): an open profile reads its rows again (C15).
    pub attributes_revision: u32,
    /// The follow-up tasks' counts and revision (B3).
    pub tasks: TaskState,
    /// The latest screen a notification asked for (a customer, the Tasks screen), with how
    /// many such requests came: the workspace goes there from any section.
    pub route_request: (u32, Option<Route>),
    next_toast_id: u32,
    /// How many connection changes the core has reported.
    connection_changes: u32,
    /// [`AppState::connection_changes`] when the connection was last asked for, until the
    /// answer comes.
    connection_asked_at: Option<u32>,
}

impl Default for AppState {
    fn default() -> Self {
        Self {
            session: SessionPhase::Checking,
            connection: Connection::Online,
            inbox: InboxState::default(),
            chat: ChatState::default(),
            toasts: Vec::new(),
            unread_banner: UnreadBanner::Hidden,
            note_revisions: notes::NoteRevisions::default(),
            customer_revisions: customers::CustomerRevisions::default(),
            chat_section_requests: 0,
            attributes_revision: 0,
            tasks: TaskState::default(),
            route_request: (0, None),
            next_toast_id: 0,
            connection_changes: 0,
            connection_asked_at: None,
        }
    }
}

/// What happens to the state: answers to commands and events from the core.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The engine could not start: nothing else can work, so the splash shows the error.
    StartFailed(ApiError),
    /// The signed-in staff member's tasks changed (B3).
    TasksChanged,
    /// The tasks' counts were read.
    TaskCountsLoaded(TaskCounts),
    /// A notification asked for a screen.
    RouteRequested(Route),
    /// The core answered whether a session is kept.
    SessionChecked(Option<SessionView>),
    /// Signed in.
    SignedIn(SessionView),
    /// Another store is shown.
    StoreSwitched(SessionView),
    /// Signed out (here, or the core's `SignedOut` event).
    SignedOut,
    /// The backend refused the session's token; this many messages wait (B1).
    SessionEnded {
        /// Messages kept on this device, not yet sent.
        unsent_messages: u32,
    },
    /// The backfill of older history stored another page.
    HistoryProgressed(HistoryProgress),
    /// The core reported that the connection to the backend changed.
    ConnectionChanged(Connection),
    /// The core is asked whether it reaches the backend.
    ConnectionAsked,
    /// The core answered [`Action::ConnectionAsked`]; a change reported meanwhile is newer.
    ConnectionAnswered(Connection),
    /// A notification was activated: the Chat section shows (its conversation or inbox).
    ChatSectionRequested,
    /// The associate chose an inbox.
    ScopeSelected(InboxScope),
    /// The inbox should be listed again (something changed).
    InboxStale,
    /// A customer's attribute values changed in the local copy (C15).
    CustomerAttributesChanged,
    /// The core listed an inbox.
    InboxLoaded(InboxPage),
    /// Listing an inbox failed.
    InboxFailed {
        /// The inbox that was asked for.
        scope: InboxScope,
        /// Why.
        error: ApiError,
    },
    /// A conversation should open (row, key or notification); the composer takes focus.
    ChatRequested(ConversationId),
    /// The core opened a conversation.
    ChatLoaded(ChatView),
    /// Opening a conversation failed.
    ChatFailed {
        /// The conversation asked for.
        conversation_id: ConversationId,
        /// Why.
        error: ApiError,
    },
    /// The chat was closed (back to the list on a phone).
    ChatClosed,
    /// The page before this message (the oldest shown) is being read.
    OlderRequested(MessageId),
    /// The core read the page before `before`.
    OlderLoaded {
        /// The conversation.
        conversation_id: ConversationId,
        /// The oldest message shown when it was asked for.
        before: MessageId,
        /// The older messages.
        page: MessagePage,
    },
    /// Reading the page before `before` failed.
    OlderFailed {
        /// The oldest message shown when it was asked for.
        before: MessageId,
        /// Why.
        error: ApiError,
    },
    /// The associate asked to read the older page again.
    OlderRetried,
    /// The associate scrolled the chat; `at_bottom` when at its newest message.
    ChatScrolled {
        /// At the bottom of the list.
        at_bottom: bool,
    },
    /// The associate clicked the "N new messages" pill.
    JumpedToBottom,
    /// The latest page was read again after newer messages were let go.
    LatestLoaded(ChatView),
    /// The core reported a message (new or with a new status).
    MessageChanged(Message),
    /// A send or retry was accepted with this message.
    MessageAccepted(Message),
    /// The core reported a conversation's new state.
    ConversationChanged(Conversation),
    /// Events from the core were lost: the inbox and the open chat are reloaded from the
    /// local copy (B2).
    EventsLost,
    /// The open chat was reloaded from the local copy after [`Action::EventsLost`].
    ChatReloaded(ChatView),
    /// The core reported that a customer's notes changed (C9).
    NotesChanged(CustomerId),
    /// The core reported that what these customers' profiles show changed (C2); the open
    /// chat's customer among them is read again (B7).
    CustomersChanged(Vec<CustomerId>),
    /// The open chat's customer was read again after a change of them (B7).
    ChatCustomerLoaded(ChatCustomer),
    /// Something failed that the associate should know about.
    Failed(ApiError),
    /// A toast was dismissed.
    ToastDismissed(u32),
    /// The unread banner was dismissed.
    BannerDismissed,
}

impl AppState {
    /// The session shown, when signed in.
    pub fn session(&self) -> Option<&SessionView> {
        match &self.session {
            SessionPhase::SignedIn(session) => Some(session),
            _ => None,
        }
    }

    /// The state after `action`.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::StartFailed(error) => self.session = SessionPhase::Unavailable(error),
            Action::SessionChecked(Some(session)) if session.ended => {
                self.end_session();
                self.session = SessionPhase::Ended {
                    session,
                    unsent_messages: 0,
                };
            }
            Action::SessionChecked(Some(session)) | Action::SignedIn(session) => {
                self.start_session(session);
            }
            Action::SessionEnded { unsent_messages } => {
                let session = match &self.session {
                    SessionPhase::SignedIn(session) | SessionPhase::Ended { session, .. } => {
                        session.clone()
                    }
                    SessionPhase::Checking
                    | SessionPhase::SignedOut
                    | SessionPhase::Unavailable(_) => return,
                };
                self.end_session();
                self.session = SessionPhase::Ended {
                    session: SessionView {
                        ended: true,
                        ..session
                    },
                    unsent_messages,
                };
            }
            Action::SessionChecked(None) | Action::SignedOut => self.end_session(),
            Action::StoreSwitched(session) => {
                self.inbox = InboxState::new(self.inbox.scope);
                self.chat = ChatState::default();
                self.session = SessionPhase::SignedIn(session);
            }
            Action::HistoryProgressed(progress) => {
                if let SessionPhase::SignedIn(session) = &mut self.session {
                    session.history = progress;
                }
            }
            Action::ConnectionChanged(connection) => {
                self.connection = connection;
                self.connection_changes = self.connection_changes.wrapping_add(1);
            }
            Action::ConnectionAsked => self.connection_asked_at = Some(self.connection_changes),
            Action::ConnectionAnswered(connection) => {
                if self.connection_asked_at.take() == Some(self.connection_changes) {
                    self.connection = connection;
                }
            }
            Action::TasksChanged => self.tasks.changed(),
            Action::TaskCountsLoaded(counts) => self.tasks.counts = counts,
            Action::RouteRequested(route) => {
                self.route_request = (self.route_request.0.wrapping_add(1), Some(route));
            }
            Action::ChatSectionRequested => {
                self.chat_section_requests = self.chat_section_requests.wrapping_add(1);
            }
            Action::ScopeSelected(scope) => {
                self.inbox.scope = scope;
                self.inbox.error = None;
            }
            Action::InboxStale => self.inbox.revision = self.inbox.revision.wrapping_add(1),
            Action::CustomerAttributesChanged => {
                self.attributes_revision = self.attributes_revision.wrapping_add(1);
            }
            Action::InboxLoaded(page) => {
                let total = page.total_unread;
                if self.inbox.accept_page(page) && self.unread_banner == UnreadBanner::Pending {
                    self.unread_banner = if total > 0 {
                        UnreadBanner::Shown
                    } else {
                        UnreadBanner::Hidden
                    };
                }
            }
            Action::InboxFailed { scope, error } => {
                if scope == self.inbox.scope {
                    self.inbox.error = Some(error);
                }
            }
            Action::ChatRequested(conversation_id) => {
                if self.session().is_none() {
                    return;
                }
                if self.chat.requested.as_ref() != Some(&conversation_id) {
                    self.chat.requested = Some(conversation_id);
                    self.chat.view = None;
                    self.chat.stale = false;
                    self.chat.history = chat::History::default();
                    self.chat.customer_revision = 0;
                }
                self.chat.focus = self.chat.focus.wrapping_add(1);
            }
            Action::ChatLoaded(view) => {
                if self.chat.requested.as_ref() == Some(&view.conversation.id) {
                    self.inbox.apply_conversation(&view.conversation);
                    self.chat.view = Some(view);
                    self.chat.history = chat::History::default();
                    self.chat.focus = self.chat.focus.wrapping_add(1);
                }
            }
            Action::ChatFailed {
                conversation_id,
                error,
            } => {
                if self.chat.requested.as_ref() == Some(&conversation_id) {
                    self.chat = ChatState::default();
                }
                self.fail(error);
            }
            Action::ChatClosed => {
                self.chat.requested = None;
                self.chat.view = None;
                self.chat.stale = false;
                self.chat.history = chat::History::default();
                self.chat.customer_revision = 0;
            }
            Action::OlderRequested(before) => self.chat.older_requested(before),
            Action::OlderLoaded {
                conversation_id,
                before,
                page,
            } => self.chat.apply_older_page(&conversation_id, &before, page),
            Action::OlderFailed { before, error } => self.chat.older_failed(&before, error),
            Action::OlderRetried => self.chat.older_retried(),
            Action::ChatScrolled { at_bottom } => self.chat.scrolled(at_bottom),
            Action::JumpedToBottom => self.chat.jumped_to_bottom(),
            Action::LatestLoaded(view) => self.chat.apply_latest(view),
            Action::MessageChanged(message) => self.chat.apply_event_message(message),
            Action::MessageAccepted(message) => self.chat.apply_accepted_message(message),
            Action::ConversationChanged(conversation) => {
                self.inbox.apply_conversation(&conversation);
                self.chat.apply_conversation(&conversation);
            }
            Action::EventsLost => {
                self.note_revisions.all_changed();
                self.customer_revisions.all_changed();
                self.inbox.revision = self.inbox.revision.wrapping_add(1);
                self.tasks.changed();
                self.chat.stale = self.chat.requested.is_some();
            }
            Action::ChatReloaded(view) => {
                if self.chat.requested.as_ref() == Some(&view.conversation.id) {
                    self.inbox.apply_conversation(&view.conversation);
                }
                self.chat.apply_reloaded(view);
            }
            Action::NotesChanged(customer_id) => self.note_revisions.changed(customer_id),
            Action::CustomersChanged(customer_ids) => {
                self.chat.customers_changed(&customer_ids);
                self.customer_revisions.changed(customer_ids);
            }
            Action::ChatCustomerLoaded(read) => self.chat.apply_chat_customer(read),
            Action::Failed(error) => self.fail(error),
            Action::ToastDismissed(id) => self.toasts.retain(|toast| toast.id != id),
            Action::BannerDismissed => self.unread_banner = UnreadBanner::Hidden,
        }
    }

    fn start_session(&mut self, session: SessionView) {
        self.inbox = InboxState::new(self.inbox.scope);
        self.chat = ChatState::default();
        self.unread_banner = UnreadBanner::Pending;
        self.session = SessionPhase::SignedIn(session);
    }

    fn end_session(&mut self) {
        self.inbox = InboxState::new(self.inbox.scope);
        self.chat = ChatState::default();
        self.unread_banner = UnreadBanner::Hidden;
        self.session = SessionPhase::SignedOut;
    }

    /// Shows `error`; a refused session also asks to sign in again (the core's
    /// `SessionEnded` event then tells how many messages wait).
    fn fail(&mut self, error: ApiError) {
        if error.code == ErrorCode::Unauthorized {
            if let Some(session) = self.session().cloned() {
                self.end_session();
                self.session = SessionPhase::Ended {
                    session: SessionView {
                        ended: true,
                        ..session
                    },
                    unsent_messages: 0,
                };
            }
        }
        self.next_toast_id = self.next_toast_id.wrapping_add(1);
        self.toasts.push(Toast {
            id: self.next_toast_id,
            error,
        });
        if self.toasts.len() > MAX_TOASTS {
            let extra = self.toasts.len() - MAX_TOASTS;
            self.toasts.drain(..extra);
        }
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clienteling_domain::contact::LastContact;
    use clienteling_domain::{ConsentState, Direction, MessageStatus, Timestamp};
    use fixtures::{chat, conversation, inbox_page, message, session};

    fn signed_in() -> AppState {
        let mut state = AppState::default();
        state.apply(Action::SignedIn(session()));
        state
    }

    #[test]
    fn the_unread_banner_shows_after_sign_in_when_mail_is_waiting_m12() {
        let mut state = signed_in();
        assert_eq!(
            state.unread_banner,
            UnreadBanner::Pending,
            "the count is not known before the first listing"
        );
        state.apply(Action::InboxLoaded(inbox_page(
            InboxScope::Store,
            vec![conversation("c1", 10, 2), conversation("c2", 5, 1)],
        )));
        assert_eq!(
            state.unread_banner,
            UnreadBanner::Shown,
            "mail waits, so the banner shows"
        );
        state.apply(Action::InboxStale);
        state.apply(Action::InboxLoaded(inbox_page(
            InboxScope::Store,
            vec![conversation("c1", 10, 5)],
        )));
        assert_eq!(
            (state.unread_banner, state.inbox.total_unread()),
            (UnreadBanner::Shown, 5),
            "the banner stays and tells the badge's current count"
        );
        state.apply(Action::BannerDismissed);
        state.apply(Action::InboxStale);
        state.apply(Action::InboxLoaded(inbox_page(
            InboxScope::Store,
            vec![conversation("c1", 10, 6)],
        )));
        assert_eq!(
            state.unread_banner,
            UnreadBanner::Hidden,
            "dismissed for good, even when more mail arrives"
        );
    }

    #[test]
    fn the_backfill_progress_updates_the_session_until_the_history_is_complete() {
        let mut state = signed_in();
        let halfway = HistoryProgress {
            stored: 500,
            total: 1_000,
            complete: false,
            ..HistoryProgress::default()
        };
        state.apply(Action::HistoryProgressed(halfway));
        assert_eq!(
            state.session().map(|s| s.history),
            Some(halfway),
            "the inbox's progress bar reads the new figures"
        );
        state.apply(Action::SignedOut);
        state.apply(Action::HistoryProgressed(halfway));
        assert!(
            state.session().is_none(),
            "progress after signing out does not bring a session back"
        );
    }

    #[test]
    fn c15_a_change_of_attribute_values_asks_an_open_profile_to_read_them_again() {
        let mut state = AppState::default();
        let before = state.attributes_revision;
        state.apply(Action::CustomerAttributesChanged);
        assert_ne!(
            state.attributes_revision, before,
            "the revision the profile reads its rows by moves on"
        );
    }

    #[test]
    fn c2_a_change_of_the_open_customer_asks_their_profile_to_read_itself_again() {
        let mut state = AppState::default();
        let ava = CustomerId::from("cust-ava");
        let ben = CustomerId::from("cust-ben");
        let (before_ava, before_ben) = (
            state.customer_revisions.of(&ava),
            state.customer_revisions.of(&ben),
        );
        state.apply(Action::CustomersChanged(vec![ava.clone()]));
        assert_ne!(
            state.customer_revisions.of(&ava),
            before_ava,
            "Ava's open profile reads itself again"
        );
        assert_eq!(
            state.customer_revisions.of(&ben),
            before_ben,
            "Ben's profile is not concerned"
        );
        state.apply(Action::EventsLost);
        assert_ne!(
            state.customer_revisions.of(&ben),
            before_ben,
            "after lost events every profile reads itself again"
        );
    }

    #[test]
    fn b7_a_change_of_the_open_chats_customer_reads_them_again_and_the_warning_follows() {
        let mut state = signed_in();
        let open = conversation("c1", 10, 0);
        let customer_id = open.customer_id.clone();
        state.apply(Action::ChatRequested(open.id.clone()));
        state.apply(Action::ChatLoaded(chat(open.clone(), Vec::new())));
        assert_eq!(
            state.chat.customer_wanted(),
            None,
            "a chat just opened has its customer as now"
        );
        state.apply(Action::CustomersChanged(vec!["cust-other".into()]));
        assert_eq!(
            state.chat.customer_wanted(),
            None,
            "another customer's change leaves the chat alone"
        );
        state.apply(Action::CustomersChanged(vec![customer_id.clone()]));
        let wanted = state.chat.customer_wanted();
        assert_eq!(
            wanted.as_ref().map(|(id, _)| id),
            Some(&open.id),
            "a change of the chat's customer (a colleague's message through the feed) asks to read them again"
        );
        state.apply(Action::CustomersChanged(vec![customer_id.clone()]));
        assert_ne!(
            state.chat.customer_wanted(),
            wanted,
            "each further change asks again"
        );
        let colleague = LastContact {
            store_id: "s1".into(),
            at: Timestamp(10),
            staff_id: "staff-liam".into(),
            staff_name: "Liam Chen".into(),
        };
        let mut customer = fixtures::customer(&open);
        customer.first_name = "Renamed".into();
        state.apply(Action::ChatCustomerLoaded(ChatCustomer {
            conversation_id: "c2".into(),
            customer: customer.clone(),
            last_contact: Some(colleague.clone()),
        }));
        assert_eq!(
            state
                .chat
                .open_view()
                .and_then(|view| view.last_contact.clone()),
            None,
            "what was read for another conversation is not shown in this one"
        );
        state.apply(Action::ChatCustomerLoaded(ChatCustomer {
            conversation_id: open.id.clone(),
            customer,
            last_contact: Some(colleague.clone()),
        }));
        let view = state.chat.open_view().expect("the chat stays open");
        assert_eq!(
            view.last_contact,
            Some(colleague),
            "the composer's warning reads the colleague's contact without reopening the chat"
        );
        assert_eq!(
            view.customer.first_name, "Renamed",
            "the header follows an edit of the customer too (C13)"
        );
        state.apply(Action::ChatRequested("c2".into()));
        assert_eq!(
            state.chat.customer_wanted(),
            None,
            "another chat starts with nothing to read again"
        );
    }

    #[test]
    fn no_banner_when_nothing_is_unread_m12() {
        let mut state = signed_in();
        state.apply(Action::InboxLoaded(inbox_page(
            InboxScope::Store,
            vec![conversation("c1", 10, 0)],
        )));
        assert_eq!(
            state.unread_banner,
            UnreadBanner::Hidden,
            "zero unread shows no banner"
        );
    }

    #[test]
    fn opening_a_chat_marks_its_row_read_and_focuses_the_composer_m12() {
        let mut state = signed_in();
        state.apply(Action::InboxLoaded(inbox_page(
            InboxScope::Store,
            vec![conversation("c1", 10, 2), conversation("c2", 5, 1)],
        )));
        state.apply(Action::ChatRequested("c1".into()));
        assert!(state.chat.is_loading(), "the chat loads");
        let focus_before = state.chat.focus;
        state.apply(Action::ChatLoaded(chat(
            conversation("c1", 10, 0),
            Vec::new(),
        )));
        assert!(state.chat.open_view().is_some(), "the chat is open");
        assert!(
            state.chat.focus > focus_before,
            "the composer takes the focus"
        );
        assert_eq!(
            state.inbox.total_unread(),
            1,
            "the badge drops by the conversation just read"
        );
    }

    #[test]
    fn a_late_chat_for_a_conversation_left_meanwhile_is_dropped_m11() {
        let mut state = signed_in();
        state.apply(Action::ChatRequested("c1".into()));
        state.apply(Action::ChatRequested("c2".into()));
        state.apply(Action::ChatLoaded(chat(
            conversation("c1", 10, 0),
            Vec::new(),
        )));
        assert!(
            state.chat.open_view().is_none(),
            "c1's chat must not show while c2 was asked for"
        );
        assert_eq!(
            state.chat.requested.as_ref().map(|id| id.as_str()),
            Some("c2"),
            "still waiting for c2"
        );
    }

    #[test]
    fn live_events_update_the_open_chat_and_the_inbox_b2_m3() {
        let mut state = signed_in();
        state.apply(Action::InboxLoaded(inbox_page(
            InboxScope::Store,
            vec![conversation("c1", 10, 0), conversation("c2", 20, 0)],
        )));
        state.apply(Action::ChatRequested("c1".into()));
        state.apply(Action::ChatLoaded(chat(
            conversation("c1", 10, 0),
            Vec::new(),
        )));

        state.apply(Action::MessageChanged(message(
            "m1",
            "c1",
            Direction::Inbound,
            MessageStatus::Received,
            30,
        )));
        let mut stopped = conversation("c1", 30, 0);
        stopped.consent = ConsentState::OptedOut;
        state.apply(Action::ConversationChanged(stopped));

        let view = state.chat.open_view().expect("the chat stays open");
        assert_eq!(view.messages.len(), 1, "the customer's message shows live");
        assert_eq!(
            view.conversation.consent,
            ConsentState::OptedOut,
            "the chat knows the customer opted out (M3)"
        );
        assert_eq!(
            state.inbox.rows()[0].conversation.id.as_str(),
            "c1",
            "the row with the newest activity leads the inbox"
        );
    }

    #[test]
    fn lost_events_reload_the_open_chat_and_the_inbox_b2() {
        let mut state = signed_in();
        state.apply(Action::InboxLoaded(inbox_page(
            InboxScope::Store,
            vec![conversation("c1", 10, 0)],
        )));
        state.apply(Action::ChatRequested("c1".into()));
        state.apply(Action::ChatLoaded(chat(
            conversation("c1", 10, 0),
            vec![message(
                "m1",
                "c1",
                Direction::Outbound,
                MessageStatus::Queued,
                10,
            )],
        )));
        let (revision, focus) = (state.inbox.revision, state.chat.focus);

        state.apply(Action::EventsLost);
        assert_ne!(
            state.inbox.revision, revision,
            "the inbox is listed again from the local copy"
        );
        assert_eq!(
            state.chat.reload_wanted().map(|id| id.as_str()),
            Some("c1"),
            "the open chat is reloaded from the local copy"
        );
        assert!(
            state.chat.open_view().is_some(),
            "the chat stays on screen meanwhile"
        );

        state.apply(Action::ChatReloaded(chat(
            conversation("c1", 30, 0),
            vec![
                message(
                    "m1",
                    "c1",
                    Direction::Outbound,
                    MessageStatus::Delivered,
                    10,
                ),
                message("m2", "c1", Direction::Inbound, MessageStatus::Received, 30),
            ],
        )));
        let view = state.chat.open_view().expect("the chat is open");
        assert_eq!(
            view.messages
                .iter()
                .map(|m| (m.id.as_str(), m.status))
                .collect::<Vec<_>>(),
            [
                ("m1", MessageStatus::Delivered),
                ("m2", MessageStatus::Received)
            ],
            "the chat shows the final status and the message whose events were lost"
        );
        assert_eq!(
            state.chat.reload_wanted(),
            None,
            "reloaded, so no second reload"
        );
        assert_eq!(
            state.chat.focus, focus,
            "a reload does not take the focus from where the associate is typing"
        );
    }

    #[test]
    fn lost_events_without_an_open_chat_reload_only_the_inbox_b2() {
        let mut state = signed_in();
        let revision = state.inbox.revision;
        state.apply(Action::EventsLost);
        assert_ne!(state.inbox.revision, revision, "the inbox is listed again");
        assert_eq!(state.chat.reload_wanted(), None, "no chat to reload");
        state.apply(Action::ChatReloaded(chat(
            conversation("c1", 10, 0),
            Vec::new(),
        )));
        assert!(
            state.chat.open_view().is_none(),
            "a late reload of a chat left meanwhile opens nothing"
        );
    }

    #[test]
    fn a_stale_connection_answer_never_hides_a_newer_change_b1() {
        let mut state = AppState::default();
        state.apply(Action::ConnectionAsked);
        state.apply(Action::ConnectionChanged(Connection::Online));
        state.apply(Action::ConnectionAnswered(Connection::Offline));
        assert_eq!(
            state.connection,
            Connection::Online,
            "the answer was computed before the live stream connected, so the event wins"
        );
        state.apply(Action::ConnectionAsked);
        state.apply(Action::ConnectionAnswered(Connection::Offline));
        assert_eq!(
            state.connection,
            Connection::Offline,
            "with no change reported meanwhile, the answer is the truth"
        );
    }

    #[test]
    fn signing_out_returns_to_the_sign_in_screen_with_nothing_left_p6() {
        let mut state = signed_in();
        state.apply(Action::InboxLoaded(inbox_page(
            InboxScope::Store,
            vec![conversation("c1", 10, 1)],
        )));
        state.apply(Action::ChatRequested("c1".into()));
        state.apply(Action::SignedOut);
        assert_eq!(state.session, SessionPhase::SignedOut, "the sign-in screen");
        assert!(state.inbox.page.is_none(), "no inbox kept");
        assert!(state.chat.requested.is_none(), "no chat kept");
    }

    #[test]
    fn a_refused_session_asks_to_sign_in_again_and_says_why_p6_b1() {
        let mut state = signed_in();
        state.apply(Action::Failed(ApiError::new(
            ErrorCode::Unauthorized,
            "Your session has expired",
        )));
        assert!(
            matches!(state.session, SessionPhase::Ended { .. }),
            "the session-ended screen asks to sign in again, not a blank sign-in"
        );
        state.apply(Action::SessionEnded { unsent_messages: 2 });
        assert!(
            matches!(
                state.session,
                SessionPhase::Ended {
                    unsent_messages: 2,
                    ..
                }
            ),
            "the core's count arrives after the refusal"
        );
        assert_eq!(state.toasts.len(), 1, "the reason is shown");
    }

    #[test]
    fn a_refused_token_ends_the_session_and_keeps_who_should_sign_in_again_b1() {
        let mut state = signed_in();
        state.apply(Action::ChatRequested("c1".into()));
        state.apply(Action::SessionEnded { unsent_messages: 2 });
        let SessionPhase::Ended {
            session,
            unsent_messages,
        } = &state.session
        else {
            panic!("the session-ended screen, not {:?}", state.session);
        };
        assert_eq!(
            (session.staff.login.as_str(), *unsent_messages),
            ("ava.johnson@clienteling.demo", 2),
            "the screen knows who signed in and how many messages wait"
        );
        assert!(session.ended, "the kept session is marked ended");
        assert!(state.chat.requested.is_none(), "the chat is closed");
        assert!(
            state.session().is_none(),
            "no command runs as if still signed in"
        );
        state.apply(Action::SessionEnded { unsent_messages: 3 });
        assert!(
            matches!(
                state.session,
                SessionPhase::Ended {
                    unsent_messages: 3,
                    ..
                }
            ),
            "a newer count replaces the old one"
        );
        state.apply(Action::SignedIn(fixtures::session()));
        assert!(
            matches!(state.session, SessionPhase::SignedIn(_)),
            "signing in again returns to the inbox"
        );
    }

    #[test]
    fn a_kept_session_that_ended_opens_on_the_session_ended_screen_b1() {
        let mut state = AppState::default();
        let mut kept = fixtures::session();
        kept.ended = true;
        state.apply(Action::SessionChecked(Some(kept)));
        assert!(
            matches!(state.session, SessionPhase::Ended { .. }),
            "an ended session asks to sign in again instead of showing the inbox"
        );
        let mut fresh = AppState::default();
        fresh.apply(Action::SessionEnded { unsent_messages: 1 });
        assert_eq!(
            fresh.session,
            SessionPhase::Checking,
            "an end with no session to end changes nothing"
        );
    }

    // Issue 8 (start-up): a failed start is shown on the splash, not as a sign-in screen
    // that cannot work.
    #[test]
    fn an_engine_that_could_not_start_shows_why_on_the_splash() {
        let mut state = AppState::default();
        let error = ApiError::new(ErrorCode::Storage, "the local database is locked");
        state.apply(Action::StartFailed(error.clone()));
        assert_eq!(
            state.session,
            SessionPhase::Unavailable(error),
            "the splash shows the start-up error"
        );
        state.apply(Action::SessionEnded { unsent_messages: 1 });
        assert!(
            matches!(state.session, SessionPhase::Unavailable(_)),
            "a later session event does not hide the start-up error"
        );
    }

    #[test]
    fn toasts_are_dismissed_one_by_one_and_capped_p6() {
        let mut state = signed_in();
        for n in 0..5 {
            state.apply(Action::Failed(ApiError::new(
                ErrorCode::Internal,
                format!("failure {n}"),
            )));
        }
        assert_eq!(state.toasts.len(), MAX_TOASTS, "old toasts give way");
        assert_eq!(
            state.toasts[0].error.message, "failure 2",
            "the newest are kept"
        );
        let first = state.toasts[0].id;
        state.apply(Action::ToastDismissed(first));
        assert!(
            state.toasts.iter().all(|t| t.id != first),
            "the dismissed toast is gone"
        );
        assert_eq!(state.toasts.len(), MAX_TOASTS - 1, "the others stay");
    }

    #[test]
    fn switching_store_clears_the_inbox_and_chat_but_keeps_the_scope_m11() {
        let mut state = signed_in();
        state.apply(Action::ScopeSelected(InboxScope::Mine));
        state.apply(Action::InboxLoaded(inbox_page(
            InboxScope::Mine,
            vec![conversation("c1", 10, 1)],
        )));
        state.apply(Action::ChatRequested("c1".into()));
        let mut other = session();
        other.current_store_id = "s2".into();
        state.apply(Action::StoreSwitched(other));
        assert_eq!(
            state.inbox.scope,
            InboxScope::Mine,
            "the chosen inbox stays"
        );
        assert!(state.inbox.is_loading(), "the new store's inbox loads");
        assert!(state.chat.requested.is_none(), "no chat of the old store");
        assert_eq!(
            state.session().map(|s| s.current_store_id.as_str()),
            Some("s2"),
            "the new store is shown"
        );
    }
}
