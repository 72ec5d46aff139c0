//! Stars (C1): each staff member stars the customers they want first in their clientbook
//! and in the Starred tab. A star is theirs alone: its change marker names them, so only
//! their devices receive it. Starring and unstarring are idempotent.

use axum::extract::State;
use axum::http::StatusCode;
use clienteling_domain::api::Staff;
use clienteling_domain::assignment::CustomerStar;
use clienteling_domain::{ApiError, CustomerId, Permission};
use sqlx::SqliteConnection;

use crate::auth::Caller;
use crate::changes::{self, Entity};
use crate::error::RequestError;
use crate::routes::ApiPath;
use crate::state::AppState;

/// Stars the customer for the caller (C1); starring a starred customer changes nothing.
///
/// Needs the `view_customers` permission (A2).
#[utoipa::path(
    put,
    path = "/api/v1/customers/{id}/star",
    tag = "customers",
    params(("id" = String, Path, description = "Customer id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Starred (also when it already was)"),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `view_customers`", body = ApiError),
        (status = 404, description = "No such customer in the caller's stores", body = ApiError),
    )
)]
pub async fn star(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<CustomerId>,
) -> Result<StatusCode, RequestError> {
    caller.require(Permission::ViewCustomers)?;
    set(&state, &caller.staff, &id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Takes the caller's star off the customer (C1); unstarring an unstarred customer
/// changes nothing.
///
/// Needs the `view_customers` permission (A2).
#[utoipa::path(
    delete,
    path = "/api/v1/customers/{id}/star",
    tag = "customers",
    params(("id" = String, Path, description = "Customer id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Not starred (also when it was not)"),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `view_customers`", body = ApiError),
        (status = 404, description = "No such customer in the caller's stores", body = ApiError),
    )
)]
pub async fn unstar(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<CustomerId>,
) -> Result<StatusCode, RequestError> {
    caller.require(Permission::ViewCustomers)?;
    set(&state, &caller.staff, &id, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Whether `customer_id` is known to one of `staff`'s stores.
pub async fn visible_to(
    conn: &mut SqliteConnection,
    staff: &Staff,
    customer_id: &CustomerId,
) -> Result<bool, sqlx::Error> {
    let known: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM customer_stores WHERE customer_id = ?
           AND store_id IN (SELECT store_id FROM staff_stores WHERE staff_id = ?)",
    )
    .bind(customer_id.as_str())
    .bind(staff.id.as_str())
    .fetch_one(conn)
    .await?;
    Ok(known > 0)
}

/// Stars or unstars; a change marker for `staff` alone is written only when the state
/// changes.
async fn set(
    state: &AppState,
    staff: &Staff,
    customer_id: &CustomerId,
    starred: bool,
) -> Result<(), RequestError> {
    let mut tx = state.pool().begin().await?;
    let home = match staff.store_ids.first() {
        Some(home) if visible_to(&mut tx, staff, customer_id).await? => home.clone(),
        _ => return Err(RequestError::NotFound(format!("Customer {customer_id}"))),
    };
    let changed = if starred {
        sqlx::query(
            "INSERT INTO customer_stars (staff_id, customer_id, starred_at) VALUES (?, ?, ?)
             ON CONFLICT (staff_id, customer_id) DO NOTHING",
        )
        .bind(staff.id.as_str())
        .bind(customer_id.as_str())
        .bind(state.now().millis())
        .execute(&mut *tx)
        .await?
    } else {
        sqlx::query("DELETE FROM customer_stars WHERE staff_id = ? AND customer_id = ?")
            .bind(staff.id.as_str())
            .bind(customer_id.as_str())
            .execute(&mut *tx)
            .await?
    }
    .rows_affected()
        > 0;
    if !changed {
        return Ok(());
    }
    let seq = changes::record(
        &mut tx,
        &home,
        Some(&staff.id),
        Entity::Star,
        customer_id.as_str(),
    )
    .await?;
    tx.commit().await?;
    state.feed().publish(seq);
    Ok(())
}

/// The star of `customer_id` as `reader` has it now, for the feed.
pub async fn render(
    conn: &mut SqliteConnection,
    reader: &Staff,
    customer_id: CustomerId,
) -> Result<CustomerStar, sqlx::Error> {
    let starred: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM customer_stars WHERE staff_id = ? AND customer_id = ?",
    )
    .bind(reader.id.as_str())
    .bind(customer_id.as_str())
    .fetch_one(conn)
    .await?;
    Ok(CustomerStar {
        customer_id,
        starred: starred > 0,
    })
}
