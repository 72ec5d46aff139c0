//! The consent audit trail (B4): writing an entry for every keyword that changes consent and
//! every opt-in request, and reading a customer's entries for a store, newest first.

use clienteling_domain::consent_audit::{ConsentAction, ConsentEvent};
use clienteling_domain::{Channel, ConsentState, CustomerId, MessageId, StoreId, Timestamp};
use sqlx::SqliteConnection;

use crate::db::parse_column;

/// One audit entry to write.
#[derive(Debug, Clone)]
pub struct AuditEntry<'a> {
    /// Whose consent.
    pub customer_id: &'a CustomerId,
    /// For which store.
    pub store_id: &'a StoreId,
    /// The consent state after it.
    pub state: ConsentState,
    /// Where it happened.
    pub channel: Channel,
    /// What caused it.
    pub action: ConsentAction,
    /// The keyword texted, for keyword entries.
    pub keyword: Option<&'a str>,
    /// The evidence.
    pub message_id: &'a MessageId,
    /// When.
    pub at: Timestamp,
}

/// Appends an entry to the audit trail.
pub async fn record(
    conn: &mut SqliteConnection,
    entry: &AuditEntry<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO consent_audit (customer_id, store_id, state, channel, action, keyword, message_id, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(entry.customer_id.as_str())
    .bind(entry.store_id.as_str())
    .bind(entry.state.as_str())
    .bind(entry.channel.as_str())
    .bind(entry.action.as_str())
    .bind(entry.keyword)
    .bind(entry.message_id.as_str())
    .bind(entry.at.millis())
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct EventRow {
    state: String,
    channel: String,
    action: String,
    keyword: Option<String>,
    message_id: String,
    recorded_at: i64,
}

/// A customer's audit trail for a store, newest first.
pub async fn events(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
    store_id: &StoreId,
) -> Result<Vec<ConsentEvent>, sqlx::Error> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT state, channel, action, keyword, message_id, recorded_at FROM consent_audit
         WHERE customer_id = ? AND store_id = ? ORDER BY recorded_at DESC, id DESC",
    )
    .bind(customer_id.as_str())
    .bind(store_id.as_str())
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(ConsentEvent {
                at: Timestamp(row.recorded_at),
                state: parse_column(&row.state, ConsentState::parse, "consent state")?,
                channel: parse_column(&row.channel, Channel::parse, "channel")?,
                action: parse_column(&row.action, ConsentAction::parse, "consent action")?,
                keyword: row.keyword,
                message_id: MessageId(row.message_id),
            })
        })
        .collect()
}
