//! A customer's orders (C6), wishlist (C8) and recommendations (C7), for staff who may view
//! customers and work in a store that knows the customer; and the simulator hook moving an
//! order's status (the order then comes through the feed again).

use axum::extract::State;
use axum::Json;
use clienteling_domain::catalog::Currency;
use clienteling_domain::order::{Order, OrderStatus, Recommendation, WishlistItem};
use clienteling_domain::{ApiError, CustomerId, OrderId, Permission, StoreId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{recommendations, store};
use crate::auth::Caller;
use crate::changes::{self, Entity};
use crate::error::{subject, RequestError};
use crate::routes::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

/// Orders answered when the client names no limit.
pub const DEFAULT_ORDERS: u32 = 100;
/// The most orders answered.
pub const MAX_ORDERS: u32 = 500;

/// `GET /customers/{id}/orders` parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrdersQuery {
    /// At most this many of the latest orders, 1 to 500 (100 unless given).
    pub limit: Option<u32>,
}

/// `POST /simulator/orders/{id}/status` body.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrderStatusChange {
    /// The order's new status.
    pub status: OrderStatus,
}

/// The stores of the caller that know `id`, first the caller's first; 404 when none does
/// (the customer does not exist for them).
async fn caller_stores_of(
    conn: &mut sqlx::SqliteConnection,
    caller: &Caller,
    id: &CustomerId,
) -> Result<Vec<StoreId>, RequestError> {
    let known: Vec<String> =
        sqlx::query_scalar("SELECT store_id FROM customer_stores WHERE customer_id = ?")
            .bind(id.as_str())
            .fetch_all(&mut *conn)
            .await?;
    let stores: Vec<StoreId> = caller
        .staff
        .store_ids
        .iter()
        .filter(|store| known.iter().any(|k| k == store.as_str()))
        .cloned()
        .collect();
    if stores.is_empty() {
        return Err(RequestError::NotFound(subject("Customer", id.as_str())));
    }
    Ok(stores)
}

/// A customer's orders, most recently placed first, with their lines as the receipts
/// showed them, each in its store's currency.
///
/// Needs the `view_customers` permission (A2).
#[utoipa::path(
    get,
    path = "/api/v1/customers/{id}/orders",
    tag = "customers",
    params(("id" = String, Path, description = "Customer id"), OrdersQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The latest orders, most recent first", body = [Order]),
        (status = 400, description = "invalid_input: a limit outside 1–500", body = ApiError),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `view_customers`", body = ApiError),
        (status = 404, description = "No such customer in the caller's stores", body = ApiError),
    )
)]
pub async fn orders(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<CustomerId>,
    ApiQuery(query): ApiQuery<OrdersQuery>,
) -> Result<Json<Vec<Order>>, RequestError> {
    caller.require(Permission::ViewCustomers)?;
    let limit = query.limit.unwrap_or(DEFAULT_ORDERS);
    if !(1..=MAX_ORDERS).contains(&limit) {
        return Err(RequestError::InvalidInput(format!(
            "limit must be 1 to {MAX_ORDERS}, not {limit}"
        )));
    }
    let mut conn = state.pool().acquire().await?;
    caller_stores_of(&mut conn, &caller, &id).await?;
    Ok(Json(store::orders_of(&mut conn, &id, limit).await?))
}

/// A customer's wishlist, most recently added first, priced in the currency of their
/// sign-up store.
///
/// Needs the `view_customers` permission (A2).
#[utoipa::path(
    get,
    path = "/api/v1/customers/{id}/wishlist",
    tag = "customers",
    params(("id" = String, Path, description = "Customer id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The wishlist, most recently added first", body = [WishlistItem]),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `view_customers`", body = ApiError),
        (status = 404, description = "No such customer in the caller's stores", body = ApiError),
    )
)]
pub async fn wishlist(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<CustomerId>,
) -> Result<Json<Vec<WishlistItem>>, RequestError> {
    caller.require(Permission::ViewCustomers)?;
    let mut conn = state.pool().acquire().await?;
    caller_stores_of(&mut conn, &caller, &id).await?;
    Ok(Json(store::wishlist_of(&mut conn, &id).await?))
}

/// What to recommend to a customer, computed now from the purchases in the caller's stores
/// that know them: co-purchases ("customers who bought X also bought Y"), then products of
/// their favourite category in their size, never what they own or wish for; each with its
/// reason, priced in the currency of the caller's first such store. At most 8.
///
/// Needs the `view_customers` permission (A2).
#[utoipa::path(
    get,
    path = "/api/v1/customers/{id}/recommendations",
    tag = "customers",
    params(("id" = String, Path, description = "Customer id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Recommendations, best first, each with its reason", body = [Recommendation]),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `view_customers`", body = ApiError),
        (status = 404, description = "No such customer in the caller's stores", body = ApiError),
    )
)]
pub async fn recommend(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<CustomerId>,
) -> Result<Json<Vec<Recommendation>>, RequestError> {
    caller.require(Permission::ViewCustomers)?;
    let mut conn = state.pool().acquire().await?;
    let stores = caller_stores_of(&mut conn, &caller, &id).await?;
    let country: Option<String> = sqlx::query_scalar("SELECT country FROM stores WHERE id = ?")
        .bind(stores[0].as_str())
        .fetch_optional(&mut *conn)
        .await?;
    let currency = Currency::of_country(country.as_deref().unwrap_or_default());
    Ok(Json(
        recommendations::for_customer(&mut conn, &id, &stores, currency).await?,
    ))
}

/// Moves an order to another status as the shop's systems would (shipped, delivered,
/// returned…); the order reaches the feed of every store that knows its customer. A
/// delivery sets a follow-up task for the customer's associate at the order's store (B8).
#[utoipa::path(
    post,
    path = "/api/v1/simulator/orders/{id}/status",
    tag = "simulator",
    params(("id" = String, Path, description = "Order id")),
    request_body = OrderStatusChange,
    responses(
        (status = 200, description = "The order as it is now", body = Order),
        (status = 400, description = "invalid_input: not a status", body = ApiError),
        (status = 404, description = "No such order", body = ApiError),
    )
)]
pub async fn change_status(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<OrderId>,
    ApiJson(change): ApiJson<OrderStatusChange>,
) -> Result<Json<Order>, RequestError> {
    let mut tx = state.pool().begin().await?;
    if !store::set_status(&mut tx, &id, change.status, state.now()).await? {
        return Err(RequestError::NotFound(subject("Order", id.as_str())));
    }
    let mut seq = 0;
    for store_id in store::stores_of_order(&mut tx, &id).await? {
        seq = changes::record(&mut tx, &store_id, None, Entity::Order, id.as_str()).await?;
    }
    let order = store::order(&mut tx, &id)
        .await?
        .ok_or_else(|| RequestError::NotFound(subject("Order", id.as_str())))?;
    if order.status == OrderStatus::Delivered {
        let delay = state.follow_up_delay();
        if let Some(task_seq) =
            crate::tasks::follow_up_delivery(&mut tx, &order, delay, state.now()).await?
        {
            seq = seq.max(task_seq);
        }
    }
    tx.commit().await?;
    state.feed().publish(seq);
    Ok(Json(order))
}
