//! Conversations and their messages as a member of staff sees them: their unread count,
//! the customer's consent for the store, and the rules that decide whether they may write;
//! starting a conversation with a customer (C2).

use clienteling_domain::api::{Conversation, Message, Staff, StartConversationRequest};
use clienteling_domain::channel::reachable_channels;
use clienteling_domain::sending::{SendContext, SendRefusal};
use clienteling_domain::template::FillContext;
use clienteling_domain::{
    Channel, ConsentState, ConversationId, CustomerId, Direction, MessageId, MessageKind,
    MessageStatus, ServiceWindow, StaffId, StoreId, Timestamp,
};
use sqlx::SqliteConnection;

use crate::changes::{self, Entity};
use crate::customers::stars::visible_to;
use crate::db::parse_column;
use crate::directory;
use crate::error::{subject, RequestError};
use crate::state::AppState;

#[derive(sqlx::FromRow)]
struct ConversationRow {
    id: String,
    store_id: String,
    customer_id: String,
    channel: String,
    consent: String,
    window_opened_at: Option<i64>,
    last_activity_at: i64,
    last_message_preview: String,
    last_message_direction: String,
    unread_count: i64,
}

/// A conversation as `viewer` sees it (their unread count), if it exists.
pub async fn render(
    conn: &mut SqliteConnection,
    id: &ConversationId,
    viewer: &StaffId,
) -> Result<Option<Conversation>, sqlx::Error> {
    let row: Option<ConversationRow> = sqlx::query_as(
        "SELECT c.id, c.store_id, c.customer_id, c.channel,
                COALESCE(cs.state, 'unknown') AS consent,
                c.window_opened_at, c.last_activity_at, c.last_message_preview, c.last_message_direction,
                COALESCE(rm.unread_count, 0) AS unread_count
         FROM conversations c
         LEFT JOIN consents cs ON cs.customer_id = c.customer_id AND cs.store_id = c.store_id
         LEFT JOIN read_markers rm ON rm.conversation_id = c.id AND rm.staff_id = ?
         WHERE c.id = ?",
    )
    .bind(viewer.as_str())
    .bind(id.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let participants: Vec<String> = sqlx::query_scalar(
        "SELECT staff_id FROM conversation_participants WHERE conversation_id = ? ORDER BY staff_id",
    )
    .bind(&row.id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(Conversation {
        channel: parse_column(&row.channel, Channel::parse, "channel")?,
        consent: parse_column(&row.consent, ConsentState::parse, "consent state")?,
        last_message_direction: parse_column(
            &row.last_message_direction,
            Direction::parse,
            "direction",
        )?,
        id: ConversationId(row.id),
        store_id: StoreId(row.store_id),
        customer_id: CustomerId(row.customer_id),
        window_opened_at: row.window_opened_at.map(Timestamp),
        last_activity_at: Timestamp(row.last_activity_at),
        last_message_preview: row.last_message_preview,
        unread_count: u32::try_from(row.unread_count).unwrap_or(u32::MAX),
        participant_ids: participants.into_iter().map(StaffId).collect(),
    }))
}

/// A conversation of one of `caller`'s stores, as they see it; anything else is not found
/// (M1, M14: another store's conversations do not exist for them).
pub async fn visible(
    conn: &mut SqliteConnection,
    caller: &Staff,
    id: &ConversationId,
) -> Result<Conversation, RequestError> {
    render(conn, id, &caller.id)
        .await?
        .filter(|conversation| caller.store_ids.contains(&conversation.store_id))
        .ok_or_else(|| RequestError::NotFound(format!("Conversation {id}")))
}

/// The conversation of `customer` × the request's store × channel, started when there is
/// none (`true` with it) and announced to the store's feed; as `caller` sees it. A
/// customer the caller's stores do not know is not found (first, as for every other
/// store's data, M14); refused (422) when the store is not the caller's or does not know
/// the customer, lacks the channel (M1), or the customer lacks the contact the channel
/// writes to.
pub async fn start(
    state: &AppState,
    caller: &Staff,
    customer: &CustomerId,
    request: &StartConversationRequest,
) -> Result<(bool, Conversation), RequestError> {
    let store_id = &request.store_id;
    let mut tx = state.pool().begin_with("BEGIN IMMEDIATE").await?;
    if !visible_to(&mut tx, caller, customer).await? {
        return Err(RequestError::NotFound(subject(
            "Customer",
            customer.as_str(),
        )));
    }
    if !caller.store_ids.contains(store_id) {
        return Err(RequestError::Unprocessable(format!(
            "{} is not one of your stores",
            subject("Store", store_id.as_str())
        )));
    }
    let existing: Option<String> = sqlx::query_scalar(
        "SELECT id FROM conversations WHERE customer_id = ? AND store_id = ? AND channel = ?",
    )
    .bind(customer.as_str())
    .bind(store_id.as_str())
    .bind(request.channel.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(existing) = existing {
        let conversation = visible(&mut tx, caller, &ConversationId(existing)).await?;
        tx.rollback().await?;
        return Ok((false, conversation));
    }
    let known: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM customer_stores WHERE customer_id = ? AND store_id = ?",
    )
    .bind(customer.as_str())
    .bind(store_id.as_str())
    .fetch_one(&mut *tx)
    .await?;
    let store = directory::store(&mut tx, store_id).await?;
    let found = directory::customer(&mut tx, customer).await?;
    let (Some(store), Some(found), true) = (store, found, known > 0) else {
        return Err(RequestError::Unprocessable(format!(
            "{} is not a customer of {}",
            subject("Customer", customer.as_str()),
            subject("Store", store_id.as_str())
        )));
    };
    if !store.channels.contains(&request.channel) {
        return Err(RequestError::Unprocessable(format!(
            "{} does not have {}: set it up in the store's channels first",
            store.name,
            request.channel.label()
        )));
    }
    let reachable = reachable_channels(
        &store.channels,
        found.phone.is_some(),
        found.email.is_some(),
    );
    if !reachable.contains(&request.channel) {
        let contact = if request.channel.writes_to_phone() {
            "phone number"
        } else {
            "email address"
        };
        return Err(RequestError::Unprocessable(format!(
            "{} has no {contact} to write to on {}",
            found.full_name(),
            request.channel.label()
        )));
    }
    let id = ConversationId(uuid::Uuid::new_v4().to_string());
    sqlx::query(
        "INSERT INTO conversations (id, store_id, customer_id, channel, window_opened_at,
                                    last_activity_at, last_message_preview, last_message_direction)
         VALUES (?, ?, ?, ?, NULL, ?, '', ?)",
    )
    .bind(id.as_str())
    .bind(store_id.as_str())
    .bind(customer.as_str())
    .bind(request.channel.as_str())
    .bind(state.now().millis())
    .bind(Direction::Outbound.as_str())
    .execute(&mut *tx)
    .await?;
    let seq = changes::record(&mut tx, store_id, None, Entity::Conversation, id.as_str()).await?;
    let conversation = visible(&mut tx, caller, &id).await?;
    tx.commit().await?;
    state.feed().publish(seq);
    Ok((true, conversation))
}

#[derive(sqlx::FromRow)]
struct MessageRow {
    id: String,
    conversation_id: String,
    direction: String,
    kind: String,
    body: String,
    status: String,
    failure_reason: Option<String>,
    author_staff_id: Option<String>,
    created_at: i64,
    updated_at: i64,
}

impl MessageRow {
    fn into_message(self) -> Result<Message, sqlx::Error> {
        Ok(Message {
            direction: parse_column(&self.direction, Direction::parse, "direction")?,
            kind: parse_column(&self.kind, MessageKind::parse, "message kind")?,
            status: parse_column(&self.status, MessageStatus::parse, "message status")?,
            id: MessageId(self.id),
            conversation_id: ConversationId(self.conversation_id),
            body: self.body,
            failure_reason: self.failure_reason,
            author_staff_id: self.author_staff_id.map(StaffId),
            created_at: Timestamp(self.created_at),
            updated_at: Timestamp(self.updated_at),
        })
    }
}

const MESSAGE_COLUMNS: &str = "id, conversation_id, direction, kind, body, status, failure_reason, author_staff_id, created_at, updated_at";

/// A message by id.
pub async fn message(
    conn: &mut SqliteConnection,
    id: &MessageId,
) -> Result<Option<Message>, sqlx::Error> {
    let row: Option<MessageRow> = sqlx::query_as(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages WHERE id = ?"
    ))
    .bind(id.as_str())
    .fetch_optional(conn)
    .await?;
    row.map(MessageRow::into_message).transpose()
}

/// A conversation's messages, oldest first.
pub async fn messages(
    conn: &mut SqliteConnection,
    id: &ConversationId,
) -> Result<Vec<Message>, sqlx::Error> {
    let rows: Vec<MessageRow> = sqlx::query_as(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY created_at, rowid"
    ))
    .bind(id.as_str())
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(MessageRow::into_message).collect()
}

/// A conversation's latest `limit` messages, oldest first.
pub async fn latest_messages(
    conn: &mut SqliteConnection,
    id: &ConversationId,
    limit: u32,
) -> Result<Vec<Message>, sqlx::Error> {
    let rows: Vec<MessageRow> = sqlx::query_as(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ?
         ORDER BY created_at DESC, rowid DESC LIMIT ?"
    ))
    .bind(id.as_str())
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .rev()
        .map(MessageRow::into_message)
        .collect()
}

/// Up to `limit` messages of a conversation older than its message `before`, oldest
/// first; `None` when `before` is not a message of that conversation.
pub async fn messages_before(
    conn: &mut SqliteConnection,
    id: &ConversationId,
    before: &MessageId,
    limit: u32,
) -> Result<Option<Vec<Message>>, sqlx::Error> {
    let anchor: Option<(i64, i64)> = sqlx::query_as(
        "SELECT created_at, rowid FROM messages WHERE id = ? AND conversation_id = ?",
    )
    .bind(before.as_str())
    .bind(id.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let Some((created_at, rowid)) = anchor else {
        return Ok(None);
    };
    let rows: Vec<MessageRow> = sqlx::query_as(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages
         WHERE conversation_id = ?1 AND (created_at, rowid) < (?2, ?3)
         ORDER BY created_at DESC, rowid DESC LIMIT ?4"
    ))
    .bind(id.as_str())
    .bind(created_at)
    .bind(rowid)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .rev()
        .map(MessageRow::into_message)
        .collect::<Result<_, _>>()
        .map(Some)
}

/// What writing into a conversation needs to know: its store, its customer and their
/// consent, the channel and the service window.
#[derive(Debug, Clone)]
pub struct Thread {
    /// The conversation.
    pub id: ConversationId,
    /// Its store.
    pub store_id: StoreId,
    /// The store's display name.
    pub store_name: String,
    /// The customer.
    pub customer_id: CustomerId,
    /// The customer's first name.
    pub first_name: String,
    /// The customer's last name.
    pub last_name: String,
    /// The customer's phone.
    pub phone: Option<String>,
    /// The channel.
    pub channel: Channel,
    /// The customer's consent for the store.
    pub consent: ConsentState,
    /// The WhatsApp service window.
    pub window: ServiceWindow,
}

#[derive(sqlx::FromRow)]
struct ThreadRow {
    id: String,
    store_id: String,
    store_name: String,
    customer_id: String,
    first_name: String,
    last_name: String,
    phone: Option<String>,
    channel: String,
    consent: String,
    window_opened_at: Option<i64>,
}

impl Thread {
    /// The thread of a conversation, if it exists.
    pub async fn load(
        conn: &mut SqliteConnection,
        id: &ConversationId,
    ) -> Result<Option<Thread>, sqlx::Error> {
        let row: Option<ThreadRow> = sqlx::query_as(
            "SELECT c.id, c.store_id, s.name AS store_name,
                    c.customer_id, cu.first_name, cu.last_name, cu.phone, c.channel,
                    COALESCE(cs.state, 'unknown') AS consent, c.window_opened_at
             FROM conversations c
             JOIN stores s ON s.id = c.store_id
             JOIN customers cu ON cu.id = c.customer_id
             LEFT JOIN consents cs ON cs.customer_id = c.customer_id AND cs.store_id = c.store_id
             WHERE c.id = ?",
        )
        .bind(id.as_str())
        .fetch_optional(conn)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        Ok(Some(Thread {
            channel: parse_column(&row.channel, Channel::parse, "channel")?,
            consent: parse_column(&row.consent, ConsentState::parse, "consent state")?,
            id: ConversationId(row.id),
            store_id: StoreId(row.store_id),
            store_name: row.store_name,
            customer_id: CustomerId(row.customer_id),
            first_name: row.first_name,
            last_name: row.last_name,
            phone: row.phone,
            window: ServiceWindow {
                opened_at: row.window_opened_at.map(Timestamp),
            },
        }))
    }

    /// The thread of a conversation in one of `caller`'s stores; anything else is not
    /// found (M1).
    pub async fn visible(
        conn: &mut SqliteConnection,
        caller: &Staff,
        id: &ConversationId,
    ) -> Result<Thread, RequestError> {
        Thread::load(conn, id)
            .await?
            .filter(|thread| caller.store_ids.contains(&thread.store_id))
            .ok_or_else(|| RequestError::NotFound(format!("Conversation {id}")))
    }

    /// Whether staff may send a message of `kind` at `now`: never to a customer who
    /// opted out (M3), and on WhatsApp only templates outside the service window (M5).
    pub fn check_can_send(&self, kind: MessageKind, now: Timestamp) -> Result<(), RequestError> {
        let context = SendContext {
            consent: self.consent,
            channel: self.channel,
            window: self.window,
        };
        context.check(kind, now).map_err(|refusal| match refusal {
            SendRefusal::OptedOut => RequestError::OptedOut {
                first_name: self.first_name.clone(),
                store_name: self.store_name.clone(),
            },
            SendRefusal::WindowClosed => RequestError::WindowClosed,
        })
    }

    /// What templates and opt-in requests are filled from, written by `author_name`.
    pub fn fill_context(&self, author_name: &str) -> FillContext {
        FillContext {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            associate_name: author_name.to_owned(),
            store_name: self.store_name.clone(),
        }
    }

    /// Whether the carrier rejects messages to this customer: the demo's unreachable
    /// numbers end in 0000. Email does not go through a carrier.
    pub fn is_unreachable(&self) -> bool {
        self.channel != Channel::Email
            && self
                .phone
                .as_deref()
                .is_some_and(|phone| phone.ends_with("0000"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clienteling_domain::time::HOUR_MS;

    fn thread(channel: Channel, consent: ConsentState, opened_at: Option<Timestamp>) -> Thread {
        Thread {
            id: "conv-1".into(),
            store_id: "store-nyc".into(),
            store_name: "Fifth Avenue".into(),
            customer_id: "cust-1".into(),
            first_name: "Grace".into(),
            last_name: "Hopper".into(),
            phone: Some("+12125551234".into()),
            channel,
            consent,
            window: ServiceWindow { opened_at },
        }
    }

    #[test]
    fn m3_opted_out_customers_cannot_be_written_to() {
        let refusal = thread(Channel::Sms, ConsentState::OptedOut, None)
            .check_can_send(MessageKind::Text, Timestamp(0));
        assert!(
            matches!(refusal, Err(RequestError::OptedOut { .. })),
            "an opted-out customer refuses every message: {refusal:?}"
        );
    }

    #[test]
    fn m5_whatsapp_outside_the_window_takes_only_templates() {
        let opened = Timestamp(1_000_000);
        let late = opened.plus_ms(25 * HOUR_MS);
        let whatsapp = thread(Channel::Whatsapp, ConsentState::OptedIn, Some(opened));
        assert!(
            whatsapp
                .check_can_send(MessageKind::Text, opened.plus_ms(HOUR_MS))
                .is_ok(),
            "free-form text inside the window"
        );
        assert!(
            matches!(
                whatsapp.check_can_send(MessageKind::Text, late),
                Err(RequestError::WindowClosed)
            ),
            "free-form text after 24 h is refused"
        );
        assert!(
            whatsapp.check_can_send(MessageKind::Template, late).is_ok(),
            "templates are allowed outside the window"
        );
        assert!(
            thread(Channel::Sms, ConsentState::Unknown, None)
                .check_can_send(MessageKind::Text, late)
                .is_ok(),
            "SMS has no service window"
        );
    }

    #[test]
    fn m10_only_phone_channels_to_0000_numbers_are_unreachable() {
        let mut sms = thread(Channel::Sms, ConsentState::OptedIn, None);
        sms.phone = Some("+12125550000".into());
        assert!(
            sms.is_unreachable(),
            "the carrier rejects the demo's 0000 numbers"
        );
        let email = Thread {
            channel: Channel::Email,
            ..sms
        };
        assert!(!email.is_unreachable(), "email does not use the carrier");
    }
}
