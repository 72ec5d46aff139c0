//! What the app shows, as the core hands it to the UI over IPC: inbox rows, an open chat,
//! the session, and the events the core emits.

use serde::{Deserialize, Serialize};

use crate::api::{Conversation, Customer, Message, Staff, Store};
use crate::attribute::{AttributeCondition, AttributeDefinition, CustomerAttribute};
use crate::inbox::InboxScope;
use crate::layout::CustomerLayout;
use crate::note::Note;
use crate::notification::InboundMessage;
use crate::order::{Order, Recommendation, WishlistItem};
use crate::{ApiError, ConversationId, CustomerId, NoteId, StoreId};
use crate::{Channel, ConsentState, Timestamp};

/// The signed-in user, with the store the app currently shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    /// Who is signed in.
    pub staff: Staff,
    /// Their stores.
    pub stores: Vec<Store>,
    /// The store the inbox shows.
    pub current_store_id: StoreId,
    /// The backend the app talks to.
    pub backend_url: String,
    /// The backend refused the session's token: the local copy and unsent messages are
    /// kept until the same staff member signs in again.
    #[serde(default)]
    pub ended: bool,
    /// How far the older history has been filled in since sign-in.
    #[serde(default)]
    pub history: HistoryProgress,
}

/// How far the backfill of older history has come: the app shows the first screen from
/// the backend's snapshot at once and fills in the rest newest first, in the background.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryProgress {
    /// Entries of the feed gone through so far.
    pub stored: u64,
    /// Entries of the feed the backfill goes through in all (as the snapshot counted them).
    pub total: u64,
    /// Every older entry is local: chats open from the local copy alone.
    pub complete: bool,
    /// Of those, the customers' entries.
    #[serde(default)]
    pub customers: Counted,
    /// The conversations' entries.
    #[serde(default)]
    pub conversations: Counted,
    /// The messages' entries.
    #[serde(default)]
    pub messages: Counted,
}

/// How many feed entries of one kind the backfill has gone through, of how many.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counted {
    /// Gone through so far.
    pub stored: u64,
    /// In all.
    pub total: u64,
}

impl HistoryProgress {
    /// The share done, from 0 to 1 (1 once complete, whatever the counts say: entries
    /// that changed meanwhile are counted again later in the feed, not here).
    pub fn fraction(&self) -> f64 {
        if self.complete || self.total == 0 {
            return 1.0;
        }
        // Counts of feed entries stay far below 2^52, where f64 is exact.
        let fraction = self.stored as f64 / self.total as f64;
        fraction.clamp(0.0, 1.0)
    }
}

/// Which customers a clientbook listing shows (C1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerScope {
    /// The customers assigned to the signed-in staff member, in the current store.
    #[default]
    Mine,
    /// Every customer known to the current store.
    Store,
    /// The customers of the current store the signed-in staff member starred.
    Starred,
}

/// A clientbook listing asked for: the scope, what is typed in the search box (a name,
/// any part of a phone number in any format, or an email) and the attribute filters (C5).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerQuery {
    /// Which customers.
    pub scope: CustomerScope,
    /// The search, empty for all.
    #[serde(default)]
    pub search: String,
    /// Attribute filters, all of which a customer passes (C5).
    #[serde(default)]
    pub filters: Vec<AttributeCondition>,
}

/// One row of the clientbook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerRow {
    /// The customer.
    pub customer: Customer,
    /// The latest activity of any of their conversations with the current store.
    pub last_contact_at: Option<Timestamp>,
    /// Their consent for the current store (unknown without a conversation).
    pub consent: ConsentState,
    /// The channels of their conversations with the current store.
    pub channels: Vec<Channel>,
    /// The signed-in staff member starred them (C1).
    #[serde(default)]
    pub starred: bool,
    /// Their values of the attributes the configuration lists on each row (C1: "tier or
    /// tags"), in the configured order.
    #[serde(default)]
    pub tags: Vec<RowTag>,
}

/// A customer's value of a listed attribute, as a clientbook row shows it (C1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowTag {
    /// The attribute's key, e.g. "tier".
    pub key: String,
    /// The attribute's label, e.g. "Tier".
    pub label: String,
    /// The value as shown, e.g. "Gold".
    pub text: String,
}

/// A page of the clientbook: the first rows of a listing, most recently contacted first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerPage {
    /// What was asked for.
    pub query: CustomerQuery,
    /// The rows.
    pub rows: Vec<CustomerRow>,
    /// More customers match than the page holds.
    pub has_more: bool,
    /// Something the associate should know about the page: a search by a full phone
    /// number or email that needs the backend while phones and emails are masked here (A2).
    #[serde(default)]
    pub note: Option<String>,
}

/// A customer's profile (C2, C10, M14): the customer and every conversation with them in
/// the signed-in staff member's stores, newest activity first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerProfile {
    /// The customer.
    pub customer: Customer,
    /// Their conversations in my stores, newest activity first.
    pub conversations: Vec<Conversation>,
    /// Their notes (C9): the pinned one first, then newest first; deleted ones left out.
    #[serde(default)]
    pub notes: Vec<Note>,
    /// The notes with changes on this device the backend has not accepted yet ("Saving…").
    #[serde(default)]
    pub unsaved_note_ids: Vec<NoteId>,
    /// Their latest orders, most recent first, at most [`PROFILE_ORDERS`] (C6).
    #[serde(default)]
    pub orders: Vec<Order>,
    /// How many orders they have in all.
    #[serde(default)]
    pub order_count: u32,
    /// Their wishlist, most recently added first (C8).
    #[serde(default)]
    pub wishlist: Vec<WishlistItem>,
    /// What the backend last recommended for them, with the reasons (C7).
    #[serde(default)]
    pub recommendations: Vec<Recommendation>,
    /// The signed-in staff member starred them (C1).
    #[serde(default)]
    pub starred: bool,
    /// The latest contact by staff of the current store (B7): the newer of the local
    /// copy's messages and the backend's value.
    #[serde(default)]
    pub last_contact: Option<crate::contact::LastContact>,
    /// An edit of their name, gender or date of birth made on this device waits for the
    /// backend ("Saving…", C13); `customer` already shows it.
    #[serde(default)]
    pub details_pending: bool,
}

/// One attribute on a profile (C15): its definition and the customer's value, if any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributeRow {
    /// The attribute as configured.
    pub definition: AttributeDefinition,
    /// The customer's value, with who set it and when.
    pub value: Option<CustomerAttribute>,
    /// A change made on this device waits to reach the backend.
    pub pending: bool,
}

/// What the profile lays out (C2, C15): the configured layout, the customer's attribute
/// rows, and whether the signed-in staff member may edit them (`edit_customers`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProfileAttributes {
    /// The sections in order.
    pub layout: CustomerLayout,
    /// Every configured attribute with the customer's value.
    pub rows: Vec<AttributeRow>,
    /// Values may be changed.
    pub can_edit: bool,
}

/// How many of a customer's latest orders their profile shows.
pub const PROFILE_ORDERS: u32 = 20;

/// One row of an inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxItem {
    /// The conversation.
    pub conversation: Conversation,
    /// Its customer's display name.
    pub customer_name: String,
}

/// A page of an inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxPage {
    /// Which inbox.
    pub scope: InboxScope,
    /// Rows, newest activity first.
    pub items: Vec<InboxItem>,
    /// Unread inbound messages across the store's inbox (the Chat badge).
    pub total_unread: u32,
}

/// An open conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatView {
    /// The conversation.
    pub conversation: Conversation,
    /// Its customer.
    pub customer: Customer,
    /// The latest page of messages, oldest first.
    pub messages: Vec<Message>,
    /// Older messages exist than the first of `messages` (read them with
    /// `list_older_messages`).
    #[serde(default)]
    pub has_older: bool,
    /// The customer's latest contact by staff of the conversation's store (B7).
    #[serde(default)]
    pub last_contact: Option<crate::contact::LastContact>,
}

/// The customer of an open chat as the local copy has them now (B7, C13): read again when
/// the core reports a change of them, so the chat's header and its warning that a
/// colleague messaged the customer today follow without reopening the chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatCustomer {
    /// The conversation open.
    pub conversation_id: ConversationId,
    /// Its customer.
    pub customer: Customer,
    /// The customer's latest contact by staff of the conversation's store.
    #[serde(default)]
    pub last_contact: Option<crate::contact::LastContact>,
}

/// A page of a conversation's messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessagePage {
    /// Messages, oldest first.
    pub messages: Vec<Message>,
    /// Older messages exist than the first of `messages`.
    pub has_older: bool,
}

/// Whether the app is in touch with the backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Connection {
    /// Live stream connected; changes arrive as they happen.
    Online,
    /// Trying to reach the backend; working from the local copy.
    Offline,
}

/// Events the core emits; the shell forwards them to the UI as `core-event`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AppEvent {
    /// A message was added or changed locally (sent, status update, inbound…).
    MessageChanged {
        /// The message as now stored.
        message: Message,
    },
    /// A conversation's row changed (activity, unread, consent…).
    ConversationChanged {
        /// The conversation as now stored.
        conversation: Conversation,
    },
    /// Customers wrote: the inbound messages first seen in one batch of backend changes (a
    /// catch-up page or a chunk of the live stream), in the order seen. The shell turns
    /// them into system notifications with [`crate::notification::notifications`]; their
    /// `MessageChanged` and `ConversationChanged` events come as well.
    InboundMessages {
        /// The batch's new inbound messages.
        messages: Vec<InboundMessage>,
    },
    /// Orders or wishlist items of these customers changed (C6, C8): an open profile of
    /// one of them reads itself again.
    PurchasesChanged {
        /// The customers concerned.
        customer_ids: Vec<crate::CustomerId>,
    },
    /// The backfill stored another page of older history.
    HistoryProgressed {
        /// Where it stands now.
        progress: HistoryProgress,
    },
    /// The notes of a customer changed (C9): written here, accepted or refused by the
    /// backend, or arrived through the change feed; an open profile reloads them.
    NotesChanged {
        /// Whose notes.
        customer_id: CustomerId,
    },
    /// The connection to the backend changed.
    ConnectionChanged {
        /// The new state.
        connection: Connection,
    },
    /// A customer's attribute values changed locally (set here, from the feed, or put back
    /// after the backend refused a change, C15).
    CustomerAttributesChanged {
        /// The customer.
        customer_id: CustomerId,
    },
    /// Something shown on these customers' profiles changed (their record, star,
    /// assignment, attributes, notes, orders, conversations or last contact), through the
    /// feed or as this device's outbox settled: an open profile of one of them reads itself
    /// again.
    CustomersChanged {
        /// The customers concerned.
        customer_ids: Vec<CustomerId>,
    },
    /// The staff member signed out; the local copy is gone.
    SignedOut,
    /// The backend refused the session's token: sign in again as the same staff member to
    /// send what is waiting (B1).
    SessionEnded {
        /// Messages written but not yet accepted by the backend, kept on this device.
        unsent_messages: u32,
    },
    /// The shell missed `skipped` events (it read them more slowly than the core emitted
    /// them): what the UI shows may be stale, so it reloads the open chat and the inbox
    /// from the local copy.
    EventsLost {
        /// How many events were dropped.
        skipped: u64,
    },
    /// The signed-in staff member's tasks changed (set, done, snoozed, here or on another
    /// device): the Tasks screen and its badge reload.
    TasksChanged,
    /// Tasks came due on this device (each once): the shell raises their notifications
    /// with [`crate::task::due_notifications`].
    TasksDue {
        /// The tasks, soonest due first.
        tasks: Vec<crate::task::DueTask>,
    },
    /// A background failure the user should see.
    Failure {
        /// What failed.
        error: ApiError,
    },
}
