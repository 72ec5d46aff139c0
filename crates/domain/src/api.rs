//! The backend's JSON API v1: request and response bodies shared by the mock backend
//! (which serves them) and the core (which calls it). Paths live beside each type.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::attribute::{CustomerAttributes, Date};
use crate::customer_details::Gender;

use crate::{
    Channel, ConsentState, ConversationId, CustomerId, Direction, MessageId, MessageKind,
    MessageStatus, StaffId, StoreId, Timestamp,
};

/// Prefix of every API path.
pub const API_PREFIX: &str = "/api/v1";

/// `GET /api/v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// Always "ok" when the server answers.
    pub status: String,
    /// The server's version.
    pub version: String,
}

/// A staff member's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Store staff.
    Associate,
    /// Temporary store staff: may find and message customers, but sees their phone and
    /// email masked and does not edit them.
    Seasonal,
    /// Store manager.
    Manager,
    /// Company admin.
    Admin,
}

impl Role {
    /// Stable name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Associate => "associate",
            Role::Seasonal => "seasonal",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    /// Parses the stable name back.
    pub fn parse(value: &str) -> Option<Role> {
        [Role::Associate, Role::Seasonal, Role::Manager, Role::Admin]
            .into_iter()
            .find(|r| r.as_str() == value)
    }

    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Role::Associate => "Associate",
            Role::Seasonal => "Seasonal associate",
            Role::Manager => "Store manager",
            Role::Admin => "Admin",
        }
    }
}

/// A store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Store {
    /// Identifier.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: StoreId,
    /// Display name, e.g. "Fifth Avenue".
    pub name: String,
    /// ISO 3166-1 alpha-2 country code, e.g. "US".
    pub country: String,
    /// Enabled channels (M1).
    pub channels: Vec<Channel>,
    /// The store's clienteling phone number (E.164), shared by SMS and WhatsApp.
    pub clienteling_number: Option<String>,
}

/// A member of staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Staff {
    /// Identifier.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: StaffId,
    /// Full name.
    pub name: String,
    /// Sign-in name (an email address).
    pub login: String,
    /// Role.
    pub role: Role,
    /// Stores the staff member works in.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub store_ids: Vec<StoreId>,
}

/// `GET /api/v1/demo/users`: the demo accounts the sign-in screen lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DemoUser {
    /// The staff member.
    pub staff: Staff,
    /// Names of their stores, for display.
    pub store_names: Vec<String>,
    /// The demo password.
    pub password: String,
}

/// `POST /api/v1/sessions` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    /// Sign-in name.
    pub login: String,
    /// Password.
    pub password: String,
}

/// `POST /api/v1/sessions` answer, and `GET /api/v1/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    /// Bearer token for every later request, until it expires or is signed out
    /// (`DELETE /api/v1/sessions/current`).
    pub token: String,
    /// Who signed in.
    pub staff: Staff,
    /// Their stores.
    pub stores: Vec<Store>,
    /// When the token stops working, on the server's clock (ms since the epoch).
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub expires_at: Timestamp,
}

impl Session {
    /// Whether the token has stopped working at `now` (server time).
    pub fn is_expired(&self, now: Timestamp) -> bool {
        now >= self.expires_at
    }
}

/// `PUT /api/v1/stores/{id}/channels` body: the store's channels and clienteling number,
/// checked against M1 (`channel::ChannelSetup`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoreChannelsRequest {
    /// The channels to enable; WhatsApp needs SMS.
    pub channels: Vec<Channel>,
    /// The number SMS and WhatsApp send from (E.164), required with either of them; none
    /// for an email-only store.
    #[serde(default)]
    pub clienteling_number: Option<String>,
}

/// A customer of the company, as seen by staff of one of their stores: known to zero or
/// more stores and assigned to zero or more staff; consent is per customer and store (on
/// each conversation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Customer {
    /// Identifier.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: CustomerId,
    /// The stores the customer is known to (their staff see the customer).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub store_ids: Vec<StoreId>,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Phone in E.164.
    pub phone: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Staff the customer is assigned to.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub assigned_staff_ids: Vec<StaffId>,
    /// Last change, ms since the epoch.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub updated_at: Timestamp,
    /// Gender, if the customer gave it (C12, C13).
    #[serde(default)]
    pub gender: Option<Gender>,
    /// Date of birth (C13).
    #[serde(default)]
    pub birth_date: Option<Date>,
    /// When the customer signed up, ms since the epoch (shown on the profile, C13).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub signed_up_at: Option<Timestamp>,
    /// Whether the customer is active (C12); true unless set otherwise.
    #[serde(default = "active_by_default")]
    pub active: bool,
}

fn active_by_default() -> bool {
    true
}

impl Customer {
    /// "First Last".
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_owned()
    }
}

/// A conversation, as seen by the requesting staff member (unread is theirs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conversation {
    /// Identifier.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: ConversationId,
    /// Store it belongs to.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub store_id: StoreId,
    /// The customer.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub customer_id: CustomerId,
    /// The channel.
    pub channel: Channel,
    /// The customer's consent for this store.
    pub consent: ConsentState,
    /// Latest event that opened the WhatsApp service window, ms since the epoch.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub window_opened_at: Option<Timestamp>,
    /// Time of the latest message, ms since the epoch.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub last_activity_at: Timestamp,
    /// Start of the latest message's text.
    pub last_message_preview: String,
    /// Who wrote the latest message.
    pub last_message_direction: Direction,
    /// Inbound messages the requesting staff member has not read.
    pub unread_count: u32,
    /// Staff who wrote in this conversation.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub participant_ids: Vec<StaffId>,
}

/// A message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Message {
    /// Identifier (client-generated for outbound messages).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: MessageId,
    /// Conversation.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub conversation_id: ConversationId,
    /// Who it is from.
    pub direction: Direction,
    /// What it carries.
    pub kind: MessageKind,
    /// Text (or caption).
    pub body: String,
    /// Delivery status.
    pub status: MessageStatus,
    /// Why it failed, when it did.
    pub failure_reason: Option<String>,
    /// The staff member who wrote it (outbound only).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub author_staff_id: Option<StaffId>,
    /// When the backend accepted (or received) it, by the backend's clock, ms since the
    /// epoch (a message still in a device's outbox carries the device's time until then).
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub created_at: Timestamp,
    /// When its status last changed, ms since the epoch.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub updated_at: Timestamp,
}

/// `POST /api/v1/customers/{id}/conversations` body: the conversation with the customer
/// to start (or find) in one of the caller's stores on one of its channels (C2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StartConversationRequest {
    /// The store (one of the caller's, knowing the customer).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub store_id: StoreId,
    /// One of the store's channels the customer has a contact for.
    pub channel: Channel,
}

/// `POST /api/v1/conversations/{id}/messages` body. Sending the same `id` twice sends
/// the message once and answers with it both times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SendMessageRequest {
    /// Client-generated id, a UUID in hyphenated form (hex digits in either case), e.g.
    /// `0f8fad5b-d9cb-469f-a165-70867728950e`: the idempotency key. Anything else is
    /// refused with 400 `invalid_input` (`MessageId::check_client_generated`).
    #[cfg_attr(
        feature = "openapi",
        schema(
            value_type = String,
            pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
        )
    )]
    pub id: MessageId,
    /// Text, trimmed; at most 1600 characters on SMS, 4096 on WhatsApp and 20000 by
    /// email (`message::max_body_chars`). Ignored for templates, whose body the
    /// backend fills.
    pub body: String,
    /// Kind (text unless said otherwise).
    #[serde(default = "text_kind")]
    pub kind: MessageKind,
    /// When the associate wrote it. Accepted for compatibility and ignored: the backend
    /// stamps every message with its own clock, so a device's clock never orders a thread.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>, deprecated))]
    pub created_at: Option<Timestamp>,
    /// The template to send (kind `template`): the backend fills its body itself (M5).
    #[serde(default)]
    pub template_id: Option<String>,
}

fn text_kind() -> MessageKind {
    MessageKind::Text
}

/// `POST /api/v1/simulator/conversations/{id}/inbound` body: a demo/test hook that
/// delivers a customer message as if it came from the messaging provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InjectInboundRequest {
    /// What the customer wrote.
    pub body: String,
}

/// What changed, with the entity's state as the requesting user sees it now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum ChangeData {
    /// A customer was created or changed.
    Customer(Customer),
    /// A conversation was created or changed (new message, read marker, consent…).
    Conversation(Conversation),
    /// A message was created or its status changed.
    Message(Message),
    /// A customer's attribute values changed (C15): all of them, as now.
    CustomerAttributes(CustomerAttributes),
    /// A customer's order was placed or its status changed (C6).
    Order(crate::order::Order),
    /// An item was added to a customer's wishlist (C8).
    WishlistItem(crate::order::WishlistItem),
    /// A follow-up task was set or changed (B3): only its assignee and creator get it.
    Task(crate::task::Task),
    /// A note on a customer was written, edited, pinned or unpinned, or deleted (then
    /// `deleted` is set: a tombstone) (C9).
    Note(crate::note::Note),
    /// The reader starred or unstarred a customer (C1); only they receive it.
    Star(crate::assignment::CustomerStar),
    /// Staff of one of the reader's stores messaged a customer (B7): the customer's latest
    /// contact per store, as now.
    LastContact(crate::contact::CustomerContacts),
    /// A remote cart was created, edited, shared, paid or cancelled (M9, C4): as it stands
    /// when read, with its totals.
    Cart(crate::cart::CartView),
    /// A catalog product was added or changed (M7, M9): with its variants, prices in every
    /// currency and stock per store, as now. Every signed-in reader gets the catalog.
    Product(crate::catalog::Product),
}

/// One entry of the change feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    /// Monotonically increasing sequence number; the client's cursor is the last applied.
    pub seq: i64,
    /// What changed.
    #[serde(flatten)]
    pub data: ChangeData,
}

/// `GET /api/v1/changes?after={cursor}&limit={n}`. The live stream
/// `GET /api/v1/changes/stream?after={cursor}` sends the same `Change`s as server-sent
/// events (`event: change`, `id: {seq}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangesPage {
    /// Changes after the cursor, in sequence order.
    pub changes: Vec<Change>,
    /// The cursor to ask from next time.
    pub next_cursor: i64,
    /// Whether more changes wait beyond this page.
    pub has_more: bool,
}

/// How many of a conversation's latest messages the first-screen snapshot carries; the
/// rest comes with the backfill or on demand when the chat is opened.
pub const SNAPSHOT_MESSAGES: u32 = 5;

/// `GET /api/v1/snapshot`: the first screen of a fresh sign-in, whatever the size of the
/// store's history: every conversation of the caller's stores active in the inbox window
/// (`inbox::ACTIVE_DAYS`, 120 days) as the caller sees it (its unread count feeds the
/// badge), its customer, its latest `SNAPSHOT_MESSAGES` (5) messages, and the feed cursor
/// they are current at. The client follows `/changes` from `cursor` at once and fills the
/// older history from `/changes/history?before={cursor + 1}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Snapshot {
    /// The feed's sequence number this snapshot is current at: follow `/changes` from it.
    pub cursor: i64,
    /// The customers of the conversations.
    pub customers: Vec<Customer>,
    /// The active conversations, newest activity first.
    pub conversations: Vec<Conversation>,
    /// Their latest messages, oldest first within a conversation.
    pub messages: Vec<Message>,
    /// The caller's follow-up tasks (to do or set by them), soonest due first (B3).
    #[serde(default)]
    pub tasks: Vec<crate::task::Task>,
    /// How many entries of the feed, at or before `cursor`, the caller may see: the
    /// amount of history a backfill goes through (its progress bar's whole).
    pub history_total: u64,
    /// Those entries by kind of entity (`customer`, `conversation`, `message`…), for the
    /// progress's counts.
    #[serde(default)]
    pub history_kinds: BTreeMap<String, u64>,
    /// The latest contact per store of the snapshot's customers (B7), whatever the age of
    /// the message: the local copy knows it before the older history is filled in.
    #[serde(default)]
    pub last_contacts: Vec<crate::contact::CustomerContacts>,
}

/// `GET /api/v1/changes/history?before={seq}&limit={n}`: the feed read backwards, newest
/// first, for a backfill. Each entity comes once per page, at its latest entry in the page,
/// rendered as the caller sees it now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryPage {
    /// Changes before `before`, newest first.
    pub changes: Vec<Change>,
    /// The `before` to ask with next: the lowest sequence number this page went through.
    pub next_before: i64,
    /// How many entries of the feed this page went through (before de-duplication).
    pub covered: u32,
    /// Those entries by kind of entity.
    #[serde(default)]
    pub covered_kinds: BTreeMap<String, u32>,
    /// Whether older entries wait.
    pub has_more: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_serializes_flat_with_type_tag() {
        let change = Change {
            seq: 7,
            data: ChangeData::Message(Message {
                id: "m1".into(),
                conversation_id: "c1".into(),
                direction: Direction::Outbound,
                kind: MessageKind::Text,
                body: "Hi".into(),
                status: MessageStatus::Sent,
                failure_reason: None,
                author_staff_id: Some("s1".into()),
                created_at: Timestamp(1),
                updated_at: Timestamp(2),
            }),
        };
        let json = serde_json::to_value(&change).expect("serializable");
        assert_eq!(json["seq"], 7, "seq sits at the top level");
        assert_eq!(json["type"], "message", "the tag names the entity");
        assert_eq!(json["data"]["status"], "sent", "the entity is under data");
        let back: Change = serde_json::from_value(json).expect("round trip");
        assert_eq!(back, change, "a change survives the wire unchanged");
    }

    #[test]
    fn a_session_is_expired_from_its_expiry_on() {
        let session = Session {
            token: "t".into(),
            staff: Staff {
                id: "staff-ava".into(),
                name: "Ava Johnson".into(),
                login: "ava.johnson@clienteling.demo".into(),
                role: Role::Associate,
                store_ids: vec!["store-nyc".into()],
            },
            stores: vec![],
            expires_at: Timestamp(1_000),
        };
        assert!(
            !session.is_expired(Timestamp(999)),
            "the token works until its expiry"
        );
        assert!(
            session.is_expired(Timestamp(1_000)),
            "the token stops working at its expiry, as the server decides"
        );
    }
}
