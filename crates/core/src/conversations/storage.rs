//! The `conversations` table and the inbox queries over it (M11, M12).

use clienteling_domain::api::{Conversation, Customer};
use clienteling_domain::preview::message_preview;
use clienteling_domain::view::InboxItem;
use clienteling_domain::{
    Channel, ConsentState, ConversationId, CustomerId, Direction, StaffId, StoreId, Timestamp,
};
use serde::Deserialize;
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use crate::columns::{from_json, parse_name, to_json};
use crate::customers::storage as customers;
use crate::error::CoreError;

/// The name an inbox row shows while its customer has not been synced yet.
pub const UNKNOWN_CUSTOMER_NAME: &str = "Customer";

const COLUMNS: &str = "c.id, c.store_id, c.customer_id, c.channel, c.consent, c.window_opened_at, \
     c.last_activity_at, c.last_message_preview, c.last_message_direction, c.unread_count, c.participant_ids";

/// Conversations per upsert statement: 11 bound values each, well under SQLite's 32 766.
const UPSERT_ROWS: usize = 1_000;

/// Inserts or updates conversations as the backend sent them, [`UPSERT_ROWS`] to a
/// statement. The latest activity wins, so a message written here and not yet sent keeps
/// the row on top; `open` is the conversation open on this device, whose unread count
/// stays 0. A conversation listed twice ends as its later version.
pub async fn upsert_from_backend(
    conn: &mut SqliteConnection,
    conversations: &[&Conversation],
    open: Option<&ConversationId>,
) -> Result<(), CoreError> {
    write(conn, conversations, open, MERGE).await
}

/// Inserts the conversations not stored yet and leaves the others as they are: a
/// backfill's older page never overwrites what the live feed brought meanwhile.
pub async fn insert_missing(
    conn: &mut SqliteConnection,
    conversations: &[&Conversation],
) -> Result<(), CoreError> {
    write(conn, conversations, None, KEEP).await
}

/// What to do with a conversation already stored: take the backend's row, keeping the
/// latest activity.
const MERGE: &str = " ON CONFLICT (id) DO UPDATE SET store_id = excluded.store_id, \
     customer_id = excluded.customer_id, channel = excluded.channel, \
     consent = excluded.consent, window_opened_at = excluded.window_opened_at, \
     last_message_preview = CASE WHEN excluded.last_activity_at >= conversations.last_activity_at \
         THEN excluded.last_message_preview ELSE conversations.last_message_preview END, \
     last_message_direction = CASE WHEN excluded.last_activity_at >= conversations.last_activity_at \
         THEN excluded.last_message_direction ELSE conversations.last_message_direction END, \
     last_activity_at = MAX(conversations.last_activity_at, excluded.last_activity_at), \
     unread_count = excluded.unread_count, participant_ids = excluded.participant_ids";
const KEEP: &str = " ON CONFLICT (id) DO NOTHING";

async fn write(
    conn: &mut SqliteConnection,
    conversations: &[&Conversation],
    open: Option<&ConversationId>,
    on_conflict: &str,
) -> Result<(), CoreError> {
    for chunk in conversations.chunks(UPSERT_ROWS) {
        let participants: Vec<String> = chunk
            .iter()
            .map(|c| to_json("conversations.participant_ids", &c.participant_ids))
            .collect::<Result<_, _>>()?;
        let mut upsert: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO conversations (id, store_id, customer_id, channel, consent, \
             window_opened_at, last_activity_at, last_message_preview, last_message_direction, \
             unread_count, participant_ids) ",
        );
        upsert.push_values(
            chunk.iter().zip(&participants),
            |mut row, (c, participants)| {
                let unread = if open == Some(&c.id) {
                    0
                } else {
                    c.unread_count
                };
                row.push_bind(c.id.as_str())
                    .push_bind(c.store_id.as_str())
                    .push_bind(c.customer_id.as_str())
                    .push_bind(c.channel.as_str())
                    .push_bind(c.consent.as_str())
                    .push_bind(c.window_opened_at.map(Timestamp::millis))
                    .push_bind(c.last_activity_at.millis())
                    .push_bind(&c.last_message_preview)
                    .push_bind(c.last_message_direction.as_str())
                    .push_bind(unread)
                    .push_bind(participants);
            },
        );
        upsert.push(on_conflict);
        upsert.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// One conversation.
pub async fn get(
    conn: &mut SqliteConnection,
    id: &ConversationId,
) -> Result<Option<Conversation>, CoreError> {
    let sql = format!("SELECT {COLUMNS} FROM conversations c WHERE c.id = ?");
    let row = sqlx::query(&sql)
        .bind(id.as_str())
        .fetch_optional(conn)
        .await?;
    row.map(|row| decode(&row)).transpose()
}

/// Every conversation with a customer in the local copy (the staff member's stores), newest
/// activity first (C10, M14).
pub async fn of_customer(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
) -> Result<Vec<Conversation>, CoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM conversations c WHERE c.customer_id = ? \
         ORDER BY c.last_activity_at DESC, c.id"
    );
    let rows = sqlx::query(&sql)
        .bind(customer_id.as_str())
        .fetch_all(conn)
        .await?;
    rows.iter().map(decode).collect()
}

/// Records a message written on this device: latest activity, preview, direction, and the
/// author among the participants.
pub async fn record_outbound(
    conn: &mut SqliteConnection,
    conversation: &Conversation,
    at: Timestamp,
    body: &str,
    author: &StaffId,
) -> Result<Conversation, CoreError> {
    let mut updated = conversation.clone();
    updated.last_activity_at = updated.last_activity_at.max(at);
    updated.last_message_preview = message_preview(body);
    updated.last_message_direction = Direction::Outbound;
    if !updated.participant_ids.contains(author) {
        updated.participant_ids.push(author.clone());
    }
    sqlx::query(
        "UPDATE conversations SET last_activity_at = ?, last_message_preview = ?, \
         last_message_direction = ?, participant_ids = ? WHERE id = ?",
    )
    .bind(updated.last_activity_at.millis())
    .bind(&updated.last_message_preview)
    .bind(updated.last_message_direction.as_str())
    .bind(to_json(
        "conversations.participant_ids",
        &updated.participant_ids,
    )?)
    .bind(updated.id.as_str())
    .execute(conn)
    .await?;
    Ok(updated)
}

/// Sets the local unread count to 0.
pub async fn mark_read(conn: &mut SqliteConnection, id: &ConversationId) -> Result<(), CoreError> {
    sqlx::query("UPDATE conversations SET unread_count = 0 WHERE id = ?")
        .bind(id.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

/// What an inbox query selects.
#[derive(Debug, Clone)]
pub struct InboxQuery<'a> {
    /// The store whose conversations are listed.
    pub store_id: &'a StoreId,
    /// Only conversations this staff member takes part in or whose customer is assigned
    /// to them (My Inbox); `None` for the whole store.
    pub mine: Option<&'a StaffId>,
    /// The oldest last activity still listed.
    pub active_since: Timestamp,
    /// At most this many rows.
    pub limit: u32,
}

/// Inbox rows, newest activity first, with their customer's name (M11). SQLite hands the
/// page over as one JSON array of `[conversation, customer]` column lists, so it crosses
/// from the database thread in one piece instead of row by row.
pub async fn inbox(
    conn: &mut SqliteConnection,
    query: &InboxQuery<'_>,
) -> Result<Vec<InboxItem>, CoreError> {
    let sql = format!(
        "SELECT json_group_array(json_array(json_array({LISTED}), json_array({customer_columns})) \
         ORDER BY last_activity_at DESC) FROM ({inner})",
        customer_columns = JOINED_CUSTOMER,
        inner = inbox_sql(query.mine.is_some()),
    );
    let json: String = sqlx::query_scalar(&sql)
        .bind(query.mine.map(StaffId::as_str))
        .bind(query.store_id.as_str())
        .bind(query.active_since.millis())
        .bind(query.limit)
        .fetch_one(conn)
        .await?;
    let rows: Vec<(Columns, JoinedCustomer)> = from_json("inbox", &json)?;
    rows.into_iter()
        .map(|(conversation, customer)| {
            let customer_name = customer
                .decode()?
                .map(|customer| customer.full_name())
                .unwrap_or_else(|| UNKNOWN_CUSTOMER_NAME.to_owned());
            Ok(InboxItem {
                conversation: conversation.decode()?,
                customer_name,
            })
        })
        .collect()
}

/// The inbox query; its parameters are the staff member (`NULL` for the store inbox), the
/// store, the oldest activity listed and the row limit. My Inbox reads the staff member's
/// range of `inbox_members` (kept by the triggers of migration 0004), newest first.
pub(crate) fn inbox_sql(mine: bool) -> String {
    let from = if mine {
        "inbox_members m JOIN conversations c ON c.id = m.conversation_id \
         LEFT JOIN customers cu ON cu.id = c.customer_id \
         WHERE m.staff_id = ?1 AND m.store_id = ?2 AND m.last_activity_at >= ?3 \
         ORDER BY m.last_activity_at DESC LIMIT ?4"
    } else {
        "conversations c LEFT JOIN customers cu ON cu.id = c.customer_id \
         WHERE ?1 IS NULL AND c.store_id = ?2 AND c.last_activity_at >= ?3 \
         ORDER BY c.last_activity_at DESC LIMIT ?4"
    };
    format!(
        "SELECT {COLUMNS}, {customer_columns} FROM {from}",
        customer_columns = customers::COLUMNS,
    )
}

/// Unread inbound messages across a store's inbox (the Chat badge, M12).
pub async fn total_unread(
    conn: &mut SqliteConnection,
    store_id: &StoreId,
    active_since: Timestamp,
) -> Result<u32, CoreError> {
    let total: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(unread_count), 0) FROM conversations WHERE store_id = ? AND last_activity_at >= ?",
    )
    .bind(store_id.as_str())
    .bind(active_since.millis())
    .fetch_one(conn)
    .await?;
    u32::try_from(total).map_err(|_| CoreError::Corrupt(format!("unread total {total}")))
}

/// The output columns of [`COLUMNS`], as the inbox query lists them.
const LISTED: &str = "id, store_id, customer_id, channel, consent, window_opened_at, \
     last_activity_at, last_message_preview, last_message_direction, unread_count, participant_ids";

/// A conversation's columns in [`COLUMNS`] order, as read from a row or a JSON array.
#[derive(Debug, Deserialize)]
struct Columns {
    id: String,
    store_id: String,
    customer_id: String,
    channel: String,
    consent: String,
    window_opened_at: Option<i64>,
    last_activity_at: i64,
    last_message_preview: String,
    last_message_direction: String,
    unread_count: u32,
    participant_ids: String,
}

impl Columns {
    fn decode(self) -> Result<Conversation, CoreError> {
        Ok(Conversation {
            id: ConversationId(self.id),
            store_id: StoreId(self.store_id),
            customer_id: CustomerId(self.customer_id),
            channel: parse_name("conversations.channel", &self.channel, Channel::parse)?,
            consent: parse_name("conversations.consent", &self.consent, ConsentState::parse)?,
            window_opened_at: self.window_opened_at.map(Timestamp),
            last_activity_at: Timestamp(self.last_activity_at),
            last_message_preview: self.last_message_preview,
            last_message_direction: parse_name(
                "conversations.last_message_direction",
                &self.last_message_direction,
                Direction::parse,
            )?,
            unread_count: self.unread_count,
            participant_ids: from_json("conversations.participant_ids", &self.participant_ids)?,
        })
    }
}

/// The output columns of [`customers::COLUMNS`], as the inbox query lists them.
const JOINED_CUSTOMER: &str = "cu_id, cu_store_ids, cu_first_name, cu_last_name, cu_phone, \
     cu_email, cu_assigned_staff_ids, cu_updated_at, cu_gender, cu_birth_date, cu_signed_up_at, \
     cu_active";

/// An inbox row's customer columns in [`customers::COLUMNS`] order; all `None` when the
/// left join found no customer.
#[derive(Debug, Deserialize)]
struct JoinedCustomer {
    id: Option<String>,
    store_ids: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    assigned_staff_ids: Option<String>,
    updated_at: Option<i64>,
    gender: Option<String>,
    birth_date: Option<String>,
    signed_up_at: Option<i64>,
    active: Option<i64>,
}

impl JoinedCustomer {
    fn decode(self) -> Result<Option<Customer>, CoreError> {
        let Some(id) = self.id else { return Ok(None) };
        let missing = |column: &str| CoreError::Corrupt(format!("customers.{column}: NULL"));
        Ok(Some(Customer {
            id: CustomerId(id),
            store_ids: from_json(
                "customers.store_ids",
                &self.store_ids.ok_or_else(|| missing("store_ids"))?,
            )?,
            first_name: self.first_name.ok_or_else(|| missing("first_name"))?,
            last_name: self.last_name.ok_or_else(|| missing("last_name"))?,
            phone: self.phone,
            email: self.email,
            assigned_staff_ids: from_json(
                "customers.assigned_staff_ids",
                &self
                    .assigned_staff_ids
                    .ok_or_else(|| missing("assigned_staff_ids"))?,
            )?,
            updated_at: Timestamp(self.updated_at.ok_or_else(|| missing("updated_at"))?),
            gender: customers::details::gender(self.gender)?,
            birth_date: customers::details::birth_date(self.birth_date)?,
            signed_up_at: self.signed_up_at.map(Timestamp),
            active: self.active.is_none_or(|active| active != 0),
        }))
    }
}

fn decode(row: &SqliteRow) -> Result<Conversation, CoreError> {
    Columns {
        id: row.try_get("id")?,
        store_id: row.try_get("store_id")?,
        customer_id: row.try_get("customer_id")?,
        channel: row.try_get("channel")?,
        consent: row.try_get("consent")?,
        window_opened_at: row.try_get("window_opened_at")?,
        last_activity_at: row.try_get("last_activity_at")?,
        last_message_preview: row.try_get("last_message_preview")?,
        last_message_direction: row.try_get("last_message_direction")?,
        unread_count: row.try_get("unread_count")?,
        participant_ids: row.try_get("participant_ids")?,
    }
    .decode()
}
