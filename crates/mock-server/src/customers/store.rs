//! The customers' SQL: the search over the customers of a staff member's stores.

use clienteling_domain::api::{Customer, Staff};
use clienteling_domain::customer_search::CustomerSearch;
use clienteling_domain::CustomerId;
use sqlx::SqliteConnection;

use crate::directory::CustomerRow;

/// The most customers a search answers.
pub const SEARCH_LIMIT: usize = 50;

/// The customers of `reader`'s stores that `typed` finds (C1) for them, matched on the
/// real data, as [`CustomerSearch::finds_for`] allows their permissions (only a full phone
/// or email without `view_sensitive_data`), most recently updated first, at most
/// [`SEARCH_LIMIT`], rendered as they see them.
pub async fn search(
    conn: &mut SqliteConnection,
    reader: &Staff,
    typed: &str,
) -> Result<Vec<Customer>, sqlx::Error> {
    let viewer = reader.role.permissions();
    let query = CustomerSearch::new(typed);
    let rows: Vec<CustomerRow> = sqlx::query_as(
        "SELECT id, first_name, last_name, phone, email, updated_at, gender, birth_date,
                signed_up_at, active
         FROM customers
         WHERE id IN (SELECT customer_id FROM customer_stores WHERE store_id IN
                        (SELECT store_id FROM staff_stores WHERE staff_id = ?))
         ORDER BY updated_at DESC, id",
    )
    .bind(reader.id.as_str())
    .fetch_all(&mut *conn)
    .await?;
    let found: Vec<CustomerId> = rows
        .into_iter()
        .map(CustomerRow::into_bare_customer)
        .filter(|customer| query.finds_for(customer, viewer))
        .take(SEARCH_LIMIT)
        .map(|customer| customer.id)
        .collect();
    let mut customers = Vec::with_capacity(found.len());
    for id in found {
        if let Some(customer) = super::customer_seen_by(conn, &id, viewer).await? {
            customers.push(customer);
        }
    }
    Ok(customers)
}
