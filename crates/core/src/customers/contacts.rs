//! Last contact (B7): the `last_contacts` table the feed fills with the backend's value
//! per customer and store, and the latest contact a profile or chat shows, the newer of
//! that value and the local copy's own messages (which may be newer: this device's sends,
//! or a message the feed brought first).

use clienteling_domain::api::Staff;
use clienteling_domain::contact::{self, CustomerContacts, LastContact};
use clienteling_domain::{CustomerId, Direction, MessageStatus, StaffId, StoreId, Timestamp};
use sqlx::SqliteConnection;

use crate::error::CoreError;

/// The name shown for a colleague whose name the local copy does not know.
const UNKNOWN_STAFF_NAME: &str = "a colleague";

/// Stores the customers' contacts as the backend sent them: the live feed and the snapshot
/// replace what is stored for the customer, a backfill's older page only adds what is
/// newer. Answers the customers concerned.
pub async fn apply(
    conn: &mut SqliteConnection,
    page: &[&CustomerContacts],
    backfill: bool,
) -> Result<Vec<CustomerId>, CoreError> {
    let mut changed = Vec::with_capacity(page.len());
    for customer in page {
        if !backfill {
            sqlx::query("DELETE FROM last_contacts WHERE customer_id = ?")
                .bind(customer.customer_id.as_str())
                .execute(&mut *conn)
                .await?;
        }
        for contact in &customer.contacts {
            sqlx::query(
                "INSERT INTO last_contacts (customer_id, store_id, at, staff_id, staff_name)
                 VALUES (?, ?, ?, ?, ?)
                 ON CONFLICT (customer_id, store_id) DO UPDATE SET at = excluded.at,
                   staff_id = excluded.staff_id, staff_name = excluded.staff_name
                 WHERE excluded.at > last_contacts.at",
            )
            .bind(customer.customer_id.as_str())
            .bind(contact.store_id.as_str())
            .bind(contact.at.millis())
            .bind(contact.staff_id.as_str())
            .bind(&contact.staff_name)
            .execute(&mut *conn)
            .await?;
        }
        changed.push(customer.customer_id.clone());
    }
    Ok(changed)
}

/// The latest contact of `customer_id` by staff of `store_id`, as `me` reads it: the newer
/// of the backend's value and the local messages.
pub async fn latest(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
    store_id: &StoreId,
    me: &Staff,
) -> Result<Option<LastContact>, CoreError> {
    let stored: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT at, staff_id, staff_name FROM last_contacts
         WHERE customer_id = ? AND store_id = ?",
    )
    .bind(customer_id.as_str())
    .bind(store_id.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let stored = stored.map(|(at, staff_id, staff_name)| LastContact {
        store_id: store_id.clone(),
        at: Timestamp(at),
        staff_id: StaffId(staff_id),
        staff_name,
    });
    let local = local(conn, customer_id, store_id, me).await?;
    Ok(contact::latest(stored, local))
}

/// The latest contact the local messages show (outbound, by staff, not failed: the
/// domain's `counts_as_contact`), its author named from what the local copy knows.
async fn local(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
    store_id: &StoreId,
    me: &Staff,
) -> Result<Option<LastContact>, CoreError> {
    // SQLite takes the bare column of a MAX() aggregate from the row holding the maximum.
    let (at, author): (Option<i64>, Option<String>) = sqlx::query_as(
        "SELECT MAX(m.created_at), m.author_staff_id FROM messages m
         JOIN conversations c ON c.id = m.conversation_id
         WHERE c.customer_id = ? AND c.store_id = ?
           AND m.direction = ? AND m.author_staff_id IS NOT NULL AND m.status != ?",
    )
    .bind(customer_id.as_str())
    .bind(store_id.as_str())
    .bind(Direction::Outbound.as_str())
    .bind(MessageStatus::Failed.as_str())
    .fetch_one(&mut *conn)
    .await?;
    let (Some(at), Some(author)) = (at, author) else {
        return Ok(None);
    };
    let staff_id = StaffId(author);
    let staff_name = if staff_id == me.id {
        me.name.clone()
    } else {
        sqlx::query_scalar("SELECT staff_name FROM last_contacts WHERE staff_id = ? LIMIT 1")
            .bind(staff_id.as_str())
            .fetch_optional(&mut *conn)
            .await?
            .unwrap_or_else(|| UNKNOWN_STAFF_NAME.to_owned())
    };
    Ok(Some(LastContact {
        store_id: store_id.clone(),
        at: Timestamp(at),
        staff_id,
        staff_name,
    }))
}
