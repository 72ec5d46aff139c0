//! The carts' API: create a cart for a customer of one of the caller's stores (idempotent
//! by its client-generated id), read it, put and remove lines by variant at the catalog's
//! price, set the cart discount, share it with a new pay link, cancel it. Every change goes
//! into the feed as a `cart` change of the cart's store.
//!
//! Carts are put together from a chat (M9) or a profile (C4) and shared into a
//! conversation, so every operation needs `access_conversations` (A2).

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use clienteling_domain::cart::{
    Cart, CartDiscountRequest, CartLine, CartLineRequest, CartView, CreateCartRequest, TaxRule,
};
use clienteling_domain::catalog::{image_path, Currency, Money};
use clienteling_domain::{ApiError, CartId, Permission, ProductId, StoreId, Timestamp, VariantId};
use sqlx::SqliteConnection;

use super::store;
use crate::auth::Caller;
use crate::changes::{self, Entity};
use crate::conversation::Thread;
use crate::error::{subject, RequestError};
use crate::routes::{ApiJson, ApiPath};
use crate::state::AppState;

/// The cart `id` if it belongs to one of `caller`'s stores; anything else is not found.
async fn visible_cart(
    conn: &mut SqliteConnection,
    caller: &Caller,
    id: &CartId,
) -> Result<Cart, RequestError> {
    store::get(conn, id)
        .await?
        .filter(|cart| caller.staff.store_ids.contains(&cart.store_id))
        .ok_or_else(|| RequestError::NotFound(subject("Cart", id.as_str())))
}

/// Saves `cart`, logs its change for its store, commits and tells the live streams.
async fn commit(
    state: &AppState,
    mut tx: sqlx::Transaction<'_, sqlx::Sqlite>,
    cart: &Cart,
) -> Result<(), RequestError> {
    store::save(&mut tx, cart).await?;
    let seq = changes::record(
        &mut tx,
        &cart.store_id,
        None,
        Entity::Cart,
        cart.id.as_str(),
    )
    .await?;
    tx.commit().await?;
    state.feed().publish(seq);
    Ok(())
}

/// Loads a visible cart, lets `change` edit it at the server's time, saves it and answers
/// it as it is now.
async fn edit(
    state: &AppState,
    caller: &Caller,
    id: &CartId,
    change: impl FnOnce(&mut Cart, Timestamp) -> Result<(), RequestError>,
) -> Result<Json<CartView>, RequestError> {
    caller.require(Permission::AccessConversations)?;
    let mut tx = state.pool().begin().await?;
    let mut cart = visible_cart(&mut tx, caller, id).await?;
    let now = state.now();
    change(&mut cart, now)?;
    commit(state, tx, &cart).await?;
    Ok(Json(CartView::at(cart, now)))
}

/// Creates an empty draft cart for a customer of one of the caller's stores, in the
/// store's currency and under its tax rule (US sales tax added, UK VAT included),
/// optionally tied to a conversation of theirs in that store (the receipt goes there).
/// The id is the idempotency key: the same request again answers the cart made (200);
/// another customer or store under the same id is a conflict.
///
/// Needs the `access_conversations` permission (A2).
#[utoipa::path(
    post,
    path = "/api/v1/carts",
    tag = "carts",
    request_body = CreateCartRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new cart", body = CartView),
        (status = 200, description = "The cart made by an earlier request with this id", body = CartView),
        (status = 400, description = "invalid_input: the id is not a UUID, or the conversation is not the customer's in that store", body = ApiError),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `access_conversations`", body = ApiError),
        (status = 404, description = "No such store of the caller's, or no such customer in it", body = ApiError),
        (status = 409, description = "conflict: the id names another customer's or store's cart", body = ApiError),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<CreateCartRequest>,
) -> Result<(StatusCode, Json<CartView>), RequestError> {
    caller.require(Permission::AccessConversations)?;
    request
        .id
        .check_client_generated()
        .map_err(|error| RequestError::InvalidInput(format!("Invalid cart id: {error}")))?;
    let mut tx = state.pool().begin().await?;
    let now = state.now();
    if let Some(cart) = store::get(&mut tx, &request.id).await? {
        let same = cart.customer_id == request.customer_id
            && cart.store_id == request.store_id
            && cart.conversation_id == request.conversation_id
            && caller.staff.store_ids.contains(&cart.store_id);
        if !same {
            return Err(RequestError::Conflict(format!(
                "Cart id {} was already used for another cart",
                request.id
            )));
        }
        return Ok((StatusCode::OK, Json(CartView::at(cart, now))));
    }
    if !caller.staff.store_ids.contains(&request.store_id) {
        return Err(RequestError::NotFound(subject(
            "Store",
            request.store_id.as_str(),
        )));
    }
    let known: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM customer_stores WHERE customer_id = ? AND store_id = ?")
            .bind(request.customer_id.as_str())
            .bind(request.store_id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
    if known.is_none() {
        return Err(RequestError::NotFound(subject(
            "Customer",
            request.customer_id.as_str(),
        )));
    }
    if let Some(conversation_id) = &request.conversation_id {
        let thread = Thread::load(&mut tx, conversation_id).await?;
        if !thread
            .is_some_and(|t| t.customer_id == request.customer_id && t.store_id == request.store_id)
        {
            return Err(RequestError::InvalidInput(format!(
                "Conversation {conversation_id} is not this customer's in this store"
            )));
        }
    }
    let country = store_country(&mut tx, &request.store_id).await?;
    let mut cart = Cart::new(
        request.id,
        request.customer_id,
        request.store_id,
        Currency::of_country(&country),
        TaxRule::of_country(&country),
        now,
    );
    cart.conversation_id = request.conversation_id;
    store::insert(&mut tx, &cart, &caller.staff.id).await?;
    commit(&state, tx, &cart).await?;
    Ok((StatusCode::CREATED, Json(CartView::at(cart, now))))
}

async fn store_country(
    conn: &mut SqliteConnection,
    store_id: &StoreId,
) -> Result<String, sqlx::Error> {
    let country: Option<String> = sqlx::query_scalar("SELECT country FROM stores WHERE id = ?")
        .bind(store_id.as_str())
        .fetch_optional(conn)
        .await?;
    Ok(country.unwrap_or_default())
}

/// A cart as it stands now: its status (a pay link that ran out reads as `expired`), its
/// lines and their totals, discounts, tax, total, and how long its link still pays.
///
/// Needs the `access_conversations` permission (A2).
#[utoipa::path(
    get,
    path = "/api/v1/carts/{id}",
    tag = "carts",
    params(("id" = String, Path, description = "Cart id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The cart", body = CartView),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `access_conversations`", body = ApiError),
        (status = 404, description = "No such cart in the caller's stores", body = ApiError),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<CartId>,
) -> Result<Json<CartView>, RequestError> {
    caller.require(Permission::AccessConversations)?;
    let mut conn = state.pool().acquire().await?;
    let cart = visible_cart(&mut conn, &caller, &id).await?;
    Ok(Json(CartView::at(cart, state.now())))
}

/// A line of `variant_id` at the catalog's price in `currency`, if the variant exists and
/// is sold in it.
async fn priced_line(
    conn: &mut SqliteConnection,
    variant_id: &VariantId,
    currency: Currency,
    request: &CartLineRequest,
) -> Result<Option<CartLine>, sqlx::Error> {
    let row: Option<(String, String, String, String, i64)> = sqlx::query_as(
        "SELECT v.product_id, p.name, v.size, v.colour, pp.minor FROM variants v
         JOIN products p ON p.id = v.product_id
         JOIN product_prices pp ON pp.product_id = v.product_id AND pp.currency = ?
         WHERE v.id = ?",
    )
    .bind(currency.code())
    .bind(variant_id.as_str())
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(product_id, product_name, size, colour, minor)| {
        let product_id = ProductId(product_id);
        CartLine {
            image_url: image_path(&product_id),
            product_id,
            variant_id: variant_id.clone(),
            product_name,
            size,
            colour,
            unit_price: Money::new(minor, currency),
            quantity: request.quantity,
            discount: request.discount,
        }
    }))
}

/// Puts a variant in the cart at the catalog's price in the store's currency: adds its
/// line, or replaces the quantity and line discount of the line it has. Editing a shared
/// or expired cart takes it back to draft: its pay link no longer pays, share it again.
///
/// Needs the `access_conversations` permission (A2).
#[utoipa::path(
    put,
    path = "/api/v1/carts/{id}/lines/{variant_id}",
    tag = "carts",
    params(
        ("id" = String, Path, description = "Cart id"),
        ("variant_id" = String, Path, description = "Variant id"),
    ),
    request_body = CartLineRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The cart with the line", body = CartView),
        (status = 400, description = "invalid_input: a quantity outside 1–99, a discount of 0 or over 100 %, or more than 50 lines", body = ApiError),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `access_conversations`", body = ApiError),
        (status = 404, description = "No such cart in the caller's stores, or no such variant", body = ApiError),
        (status = 422, description = "unprocessable: the cart is paid or cancelled", body = ApiError),
    )
)]
pub async fn put_line(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, variant_id)): ApiPath<(CartId, VariantId)>,
    ApiJson(request): ApiJson<CartLineRequest>,
) -> Result<Json<CartView>, RequestError> {
    caller.require(Permission::AccessConversations)?;
    let mut tx = state.pool().begin().await?;
    let mut cart = visible_cart(&mut tx, &caller, &id).await?;
    let line = priced_line(&mut tx, &variant_id, cart.currency, &request)
        .await?
        .ok_or_else(|| RequestError::NotFound(subject("Variant", variant_id.as_str())))?;
    let now = state.now();
    cart.put_line(line, now)?;
    commit(&state, tx, &cart).await?;
    Ok(Json(CartView::at(cart, now)))
}

/// Takes a variant's line out of the cart (a shared cart goes back to draft).
///
/// Needs the `access_conversations` permission (A2).
#[utoipa::path(
    delete,
    path = "/api/v1/carts/{id}/lines/{variant_id}",
    tag = "carts",
    params(
        ("id" = String, Path, description = "Cart id"),
        ("variant_id" = String, Path, description = "Variant id"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The cart without the line", body = CartView),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `access_conversations`", body = ApiError),
        (status = 404, description = "No such cart in the caller's stores, or no line of that variant", body = ApiError),
        (status = 422, description = "unprocessable: the cart is paid or cancelled", body = ApiError),
    )
)]
pub async fn remove_line(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, variant_id)): ApiPath<(CartId, VariantId)>,
) -> Result<Json<CartView>, RequestError> {
    edit(&state, &caller, &id, |cart, now| {
        Ok(cart.remove_line(&variant_id, now)?)
    })
    .await
}

/// Sets the discount on the whole cart (a percent or an amount), or removes it with
/// `null`; it is shared across the lines by largest remainder (a shared cart goes back to
/// draft).
///
/// Needs the `access_conversations` permission (A2).
#[utoipa::path(
    put,
    path = "/api/v1/carts/{id}/discount",
    tag = "carts",
    params(("id" = String, Path, description = "Cart id")),
    request_body = CartDiscountRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The cart with its discount", body = CartView),
        (status = 400, description = "invalid_input: a discount of 0 or over 100 %", body = ApiError),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `access_conversations`", body = ApiError),
        (status = 404, description = "No such cart in the caller's stores", body = ApiError),
        (status = 422, description = "unprocessable: the cart is paid or cancelled", body = ApiError),
    )
)]
pub async fn set_discount(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<CartId>,
    ApiJson(request): ApiJson<CartDiscountRequest>,
) -> Result<Json<CartView>, RequestError> {
    edit(&state, &caller, &id, |cart, now| {
        Ok(cart.set_discount(request.discount, now)?)
    })
    .await
}

/// A new pay-link token: 256 random bits as 64 hex digits, so a link cannot be guessed and
/// a changed one names no cart.
fn new_token() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// The pay page's address on this server for `token`, as the request reached it.
fn pay_url(headers: &HeaderMap, token: &str) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}/pay/{token}")
}

/// Shares the cart: a new pay link (`/pay/{token}` on this server) that pays for 24 hours
/// on the server clock; a link shared before no longer pays. Sharing an expired cart again
/// makes a new link. The app sends the link into the conversation as a `cart` message.
///
/// Needs the `access_conversations` permission (A2).
#[utoipa::path(
    post,
    path = "/api/v1/carts/{id}/share",
    tag = "carts",
    params(("id" = String, Path, description = "Cart id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The shared cart with its pay link", body = CartView),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `access_conversations`", body = ApiError),
        (status = 404, description = "No such cart in the caller's stores", body = ApiError),
        (status = 422, description = "unprocessable: the cart is empty, paid or cancelled", body = ApiError),
    )
)]
pub async fn share(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiPath(id): ApiPath<CartId>,
) -> Result<Json<CartView>, RequestError> {
    caller.require(Permission::AccessConversations)?;
    let mut tx = state.pool().begin().await?;
    let mut cart = visible_cart(&mut tx, &caller, &id).await?;
    let now = state.now();
    let token = new_token();
    let link = cart.share(pay_url(&headers, &token), now)?.clone();
    store::insert_link(&mut tx, &token, &cart.id, link.shared_at, link.expires_at).await?;
    commit(&state, tx, &cart).await?;
    Ok(Json(CartView::at(cart, now)))
}

/// Cancels the cart: its pay link no longer pays.
///
/// Needs the `access_conversations` permission (A2).
#[utoipa::path(
    post,
    path = "/api/v1/carts/{id}/cancel",
    tag = "carts",
    params(("id" = String, Path, description = "Cart id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The cancelled cart", body = CartView),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `access_conversations`", body = ApiError),
        (status = 404, description = "No such cart in the caller's stores", body = ApiError),
        (status = 422, description = "unprocessable: the cart is paid or cancelled already", body = ApiError),
    )
)]
pub async fn cancel(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<CartId>,
) -> Result<Json<CartView>, RequestError> {
    edit(&state, &caller, &id, |cart, now| Ok(cart.cancel(now)?)).await
}
