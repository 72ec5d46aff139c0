//! The clientbook's search asked of the backend too (C1, A2), in two cases where the local
//! copy alone would miss customers: staff who see phones and emails masked typed a full
//! phone number or email (their local copy holds the masked values, which a full number
//! cannot match, while the backend matches the real data, only in full for them); and
//! any search typed while the background backfill has not brought every customer yet. The
//! customers the backend finds in the current store are stored when missing (the feed and
//! the backfill bring the rest of them later, as for a profile completed on demand) and
//! listed. Offline the page says what the search may miss.

use std::time::Duration;

use clienteling_domain::api::Customer;
use clienteling_domain::customer_search::CustomerSearch;
use clienteling_domain::view::{CustomerRow, CustomerScope};
use clienteling_domain::{CustomerId, Permission};
use sqlx::SqliteConnection;

use super::storage::{self as customers, COLUMNS};
use crate::engine::session::StoredSession;
use crate::engine::Core;
use crate::error::CoreError;

/// How long a search typed in the clientbook waits for the backend before listing what
/// is local.
const SEARCH_LIMIT: Duration = Duration::from_secs(3);

/// What the page says when a masked search cannot reach the backend.
pub const NEEDS_BACKEND: &str =
    "Search by full phone number or email needs the backend: phones and emails are masked on this device";

/// Whether `typed` must be asked of the backend for `stored`'s staff member because they
/// see phones and emails masked and typed a whole one.
pub fn masked(stored: &StoredSession, typed: &str) -> bool {
    !stored.staff.role.allows(Permission::ViewSensitiveData)
        && CustomerSearch::new(typed).is_full_phone_or_email()
}

/// Whether `typed` is asked of the backend as well as of the local copy: a masked full
/// phone or email, or any search while the backfill has not completed.
pub fn applies(stored: &StoredSession, typed: &str) -> bool {
    masked(stored, typed) || (!stored.history.complete && !typed.trim().is_empty())
}

impl Core {
    /// The customers of the current store the backend finds for `typed` in `scope` (the
    /// listing's rows of them), stored locally when missing; `None` when the backend
    /// cannot answer in time (the page shows what is local). A refused token is the
    /// caller's error, as for any command.
    pub(crate) async fn search_backend(
        &self,
        stored: &StoredSession,
        typed: &str,
        scope: CustomerScope,
    ) -> Result<Option<Vec<CustomerRow>>, CoreError> {
        let found: Vec<Customer> = match self
            .inner
            .backend
            .get_json(
                &stored.token,
                "/customers",
                &[("search", typed.to_owned())],
                SEARCH_LIMIT,
            )
            .await
        {
            Ok(found) => found,
            Err(error) if error.is_unauthorized() => return Err(error.into()),
            Err(error) => {
                tracing::info!(%error, "the clientbook's search shows what is local");
                return Ok(None);
            }
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
        Ok(Some(rows))
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
    super::listing::row_of(&row).map(Some)
}
