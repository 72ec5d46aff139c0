//! The search by a full phone number or email for staff who see them masked (A2): their
//! local copy holds the masked values, which a full number cannot match, so the backend's
//! search (which matches the real data, only in full for them) is asked, and the customers
//! it finds in the current store are stored when missing and listed. Offline the page says
//! that such a search needs the backend.

use clienteling_domain::api::Customer;
use clienteling_domain::customer_search::CustomerSearch;
use clienteling_domain::view::{CustomerRow, CustomerScope};
use clienteling_domain::{Channel, ConsentState, CustomerId, Permission, Timestamp};
use sqlx::{Row, SqliteConnection};

use super::storage::{self as customers, COLUMNS};
use crate::backend::{RequestError, REQUEST_TIMEOUT};
use crate::columns::{from_json, parse_name};
use crate::engine::session::StoredSession;
use crate::engine::Core;
use crate::error::CoreError;

/// What the page says offline.
pub const NEEDS_BACKEND: &str =
    "Search by full phone number or email needs the backend: phones and emails are masked on this device";

/// Whether `typed` must be asked of the backend for `stored`'s staff member: they see
/// phones and emails masked and typed a whole one.
pub fn applies(stored: &StoredSession, typed: &str) -> bool {
    !stored.staff.role.allows(Permission::ViewSensitiveData)
        && CustomerSearch::new(typed).is_full_phone_or_email()
}

impl Core {
    /// The customers of the current store the backend finds for `typed` in `scope` (the
    /// listing's rows of them), stored locally when missing; or the note to show when the
    /// backend cannot be reached.
    pub(crate) async fn search_masked(
        &self,
        stored: &StoredSession,
        typed: &str,
        scope: CustomerScope,
    ) -> Result<Result<Vec<CustomerRow>, &'static str>, CoreError> {
        let found: Vec<Customer> = match self
            .inner
            .backend
            .get_json(
                &stored.token,
                "/customers",
                &[("search", typed.to_owned())],
                REQUEST_TIMEOUT,
            )
            .await
        {
            Ok(found) => found,
            Err(RequestError::Transport(_)) => return Ok(Err(NEEDS_BACKEND)),
            Err(other) => return Err(other.into()),
        };
        let here: Vec<&Customer> = found
            .iter()
            .filter(|customer| customer.store_ids.contains(&stored.current_store_id))
            .filter(|customer| {
                scope != CustomerScope::Mine
                    || customer.assigned_staff_ids.contains(&stored.staff.id)
            })
            .collect();
        let mut tx = self.inner.db.write().await?;
        customers::insert_missing(&mut tx, &here).await?;
        let mut rows = Vec::with_capacity(here.len());
        for customer in here {
            if let Some(row) = row_of(&mut tx, stored, &customer.id).await? {
                if scope != CustomerScope::Starred || row.starred {
                    rows.push(row);
                }
            }
        }
        tx.commit().await?;
        Ok(Ok(rows))
    }
}

/// The clientbook row of customer `id` in the current store, as the listing shows it.
async fn row_of(
    conn: &mut SqliteConnection,
    stored: &StoredSession,
    id: &CustomerId,
) -> Result<Option<CustomerRow>, CoreError> {
    let sql = format!(
        "SELECT {COLUMNS}, \
           (SELECT MAX(c.last_activity_at) FROM conversations c \
             WHERE c.customer_id = cu.id AND c.store_id = ?1) AS last_contact_at, \
           (SELECT c.consent FROM conversations c WHERE c.customer_id = cu.id AND c.store_id = ?1 \
             ORDER BY c.last_activity_at DESC LIMIT 1) AS consent, \
           (SELECT json_group_array(DISTINCT c.channel) FROM conversations c \
             WHERE c.customer_id = cu.id AND c.store_id = ?1) AS channels, \
           COALESCE((SELECT s.starred FROM customer_stars s WHERE s.customer_id = cu.id), 0) \
             AS starred \
         FROM customers cu WHERE cu.id = ?2"
    );
    let Some(row) = sqlx::query(&sql)
        .bind(stored.current_store_id.as_str())
        .bind(id.as_str())
        .fetch_optional(conn)
        .await?
    else {
        return Ok(None);
    };
    let channels: Vec<String> =
        from_json("customers.channels", &row.try_get::<String, _>("channels")?)?;
    let consent: Option<String> = row.try_get("consent")?;
    Ok(Some(CustomerRow {
        customer: customers::decode(&row)?,
        last_contact_at: row
            .try_get::<Option<i64>, _>("last_contact_at")?
            .map(Timestamp),
        consent: consent
            .map(|name| parse_name("conversations.consent", &name, ConsentState::parse))
            .transpose()?
            .unwrap_or(ConsentState::Unknown),
        channels: channels
            .iter()
            .map(|name| parse_name("conversations.channel", name, Channel::parse))
            .collect::<Result<_, _>>()?,
        starred: row.try_get("starred")?,
    }))
}
