//! The customers' routes: the search (C1) by name, phone or email, over the customers of
//! the caller's stores, answered as the caller may see them (A2).

use axum::extract::State;
use axum::Json;
use clienteling_domain::api::Customer;
use clienteling_domain::{ApiError, Permission};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::customers::store;
use crate::error::RequestError;
use crate::routes::ApiQuery;
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
