//! Domain values for the state tests: conversations, messages, pages and sessions with
//! just the fields a test cares about set.

use clienteling_domain::api::{Conversation, Customer, Message, Role, Staff, Store};
use clienteling_domain::inbox::InboxScope;
use clienteling_domain::view::{ChatView, HistoryProgress, InboxItem, InboxPage, SessionView};
use clienteling_domain::{
    Channel, ConsentState, Direction, MessageKind, MessageStatus, StoreId, Timestamp,
};

/// An opted-in SMS conversation of store `s1` last active at `activity`.
pub fn conversation(id: &str, activity: i64, unread: u32) -> Conversation {
    Conversation {
        id: id.into(),
        store_id: "s1".into(),
        customer_id: format!("cust-{id}").into(),
        channel: Channel::Sms,
        consent: ConsentState::OptedIn,
        window_opened_at: None,
        last_activity_at: Timestamp(activity),
        last_message_preview: format!("Hello from {id}"),
        last_message_direction: Direction::Inbound,
        unread_count: unread,
        participant_ids: Vec::new(),
    }
}

/// A page of `scope` whose total unread is the sum of its rows'.
pub fn inbox_page(scope: InboxScope, conversations: Vec<Conversation>) -> InboxPage {
    let total_unread = conversations.iter().map(|c| c.unread_count).sum();
    InboxPage {
        scope,
        items: conversations
            .into_iter()
            .map(|conversation| InboxItem {
                customer_name: format!("Customer {}", conversation.id),
                conversation,
            })
            .collect(),
        total_unread,
    }
}

/// Olivia Martin, the customer of every fixture conversation.
pub fn customer(conversation: &Conversation) -> Customer {
    Customer {
        id: conversation.customer_id.clone(),
        store_ids: vec![conversation.store_id.clone()],
        first_name: "Olivia".into(),
        last_name: "Martin".into(),
        phone: Some("+12125550123".into()),
        email: None,
        assigned_staff_ids: Vec::new(),
        updated_at: Timestamp(0),
        gender: None,
        birth_date: None,
        signed_up_at: None,
        active: true,
    }
}

/// A message of `conversation` written at `created`.
pub fn message(
    id: &str,
    conversation: &str,
    direction: Direction,
    status: MessageStatus,
    created: i64,
) -> Message {
    Message {
        id: id.into(),
        conversation_id: conversation.into(),
        direction,
        kind: MessageKind::Text,
        body: format!("body of {id}"),
        status,
        failure_reason: None,
        author_staff_id: None,
        created_at: Timestamp(created),
        updated_at: Timestamp(created),
    }
}

/// The chat of `conversation` with `messages`.
pub fn chat(conversation: Conversation, messages: Vec<Message>) -> ChatView {
    ChatView {
        customer: customer(&conversation),
        conversation,
        messages,
        has_older: false,
        last_contact: None,
    }
}

/// Ava, an associate of stores `s1` and `s2`, showing `s1`.
pub fn session() -> SessionView {
    let store = |id: &str, name: &str| Store {
        id: id.into(),
        name: name.into(),
        country: "US".into(),
        channels: vec![Channel::Sms, Channel::Whatsapp],
        clienteling_number: Some("+12125550100".into()),
    };
    SessionView {
        staff: Staff {
            id: "ava".into(),
            name: "Ava Johnson".into(),
            login: "ava.johnson@clienteling.demo".into(),
            role: Role::Associate,
            store_ids: vec!["s1".into(), "s2".into()],
        },
        stores: vec![store("s1", "Fifth Avenue"), store("s2", "SoHo")],
        current_store_id: StoreId::from("s1"),
        backend_url: "http://127.0.0.1:8787".into(),
        ended: false,
        history: HistoryProgress::default(),
    }
}
