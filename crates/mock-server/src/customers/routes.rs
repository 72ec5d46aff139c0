//! The customers' routes: the search (C1) by name, phone or email, over the customers of
//! the caller's stores, and everything the feed holds about one customer (C11), answered
//! as the caller may see them (A2).

use axum::extract::State;
use axum::Json;
use clienteling_domain::api::{Change, Customer};
use clienteling_domain::{ApiError, CustomerId, Permission};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::changes;
use crate::customers::store;
use crate::error::{subject, RequestError};
use crate::routes::{ApiPath, ApiQuery};
use crate::state::AppState;

/// `GET /customers` parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomersQuery {
    /// What was typed: the start of a name or of a word of it, a phone number in any
    /// format, or an email address. Empty or absent lists every customer.
    pub search: Option<String>,
}

/// The customers of the caller's stores that `search` finds, most recently updated first,
/// at most 50. Names match by their start; with `view_sensitive_data` any three or more
/// digits of a phone and any part of an email match, without it only the full phone
/// number (in any format) or the full email address, so that masked data cannot be
/// recovered a fragment at a time.
///
/// Needs the `view_customers` permission; phones and emails are masked
/// ("+1 ••• ••• 0142", "a•••@example.com") without `view_sensitive_data` (A2).
#[utoipa::path(
    get,
    path = "/api/v1/customers",
    tag = "customers",
    params(CustomersQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The customers found, most recently updated first, at most 50, masked as the caller must see them", body = [Customer]),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `view_customers`", body = ApiError),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<CustomersQuery>,
) -> Result<Json<Vec<Customer>>, RequestError> {
    caller.require(Permission::ViewCustomers)?;
    let mut conn = state.pool().acquire().await?;
    let typed = query.search.unwrap_or_default();
    Ok(Json(store::search(&mut conn, &caller.staff, &typed).await?))
}

/// Everything the change feed holds about one customer that the caller may see, each
/// entity once in its current state, oldest first: the customer, their conversations
/// (without messages), notes, attribute values, orders, wishlist items and the caller's
/// star. A client whose backfill has not reached this customer yet applies these as it
/// applies the feed, and shows the whole profile at once (C11).
///
/// Needs the `view_customers` permission; masked as the feed is (A2).
#[utoipa::path(
    get,
    path = "/api/v1/customers/{id}/changes",
    tag = "customers",
    params(("id" = String, Path, description = "Customer id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The customer's entities as the feed renders them, oldest first", body = [Change]),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `view_customers`", body = ApiError),
        (status = 404, description = "No such customer in the caller's stores", body = ApiError),
    )
)]
pub async fn changes(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<CustomerId>,
) -> Result<Json<Vec<Change>>, RequestError> {
    caller.require(Permission::ViewCustomers)?;
    let mut conn = state.pool().acquire().await?;
    let found = changes::of_customer(&mut conn, &caller.staff, &id, state.now()).await?;
    if found.is_empty() {
        return Err(RequestError::NotFound(subject("Customer", id.as_str())));
    }
    Ok(Json(found))
}
