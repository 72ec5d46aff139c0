//! Last contact (B7): a customer's latest contact per store, derived from the messages
//! when read (the latest outbound message by staff that did not fail, as
//! `contact::counts_as_contact` says). A staff member's send logs a `last_contact` marker
//! in the conversation's store, so every device of that store hears of it in the feed.

use clienteling_domain::api::Staff;
use clienteling_domain::contact::{CustomerContacts, LastContact};
use clienteling_domain::{CustomerId, Direction, MessageStatus, StaffId, StoreId, Timestamp};
use sqlx::SqliteConnection;

/// The latest contact of `customer_id` by each of `reader`'s stores that has contacted
/// them, by store id.
pub async fn render(
    conn: &mut SqliteConnection,
    reader: &Staff,
    customer_id: CustomerId,
) -> Result<CustomerContacts, sqlx::Error> {
    // SQLite takes the bare columns of a MAX() aggregate from the row holding the maximum.
    let rows: Vec<(String, i64, String, String)> = sqlx::query_as(
        "SELECT c.store_id, MAX(m.created_at), m.author_staff_id, s.name
         FROM conversations c
         JOIN messages m ON m.conversation_id = c.id
         JOIN staff s ON s.id = m.author_staff_id
         WHERE c.customer_id = ?1
           AND c.store_id IN (SELECT store_id FROM staff_stores WHERE staff_id = ?2)
           AND m.direction = ?3 AND m.status != ?4
         GROUP BY c.store_id
         ORDER BY c.store_id",
    )
    .bind(customer_id.as_str())
    .bind(reader.id.as_str())
    .bind(Direction::Outbound.as_str())
    .bind(MessageStatus::Failed.as_str())
    .fetch_all(conn)
    .await?;
    Ok(CustomerContacts {
        customer_id,
        contacts: rows
            .into_iter()
            .map(|(store_id, at, staff_id, staff_name)| LastContact {
                store_id: StoreId(store_id),
                at: Timestamp(at),
                staff_id: StaffId(staff_id),
                staff_name,
            })
            .collect(),
    })
}
