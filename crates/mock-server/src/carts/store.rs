//! The carts' SQL: a cart kept as the domain's JSON next to its customer, store and author,
//! the pay links shared for it, and the one card payment it can take.

use clienteling_domain::cart::Cart;
use clienteling_domain::{CartId, StaffId, Timestamp};
use sqlx::SqliteConnection;

fn decode(json: &str) -> Result<Cart, sqlx::Error> {
    serde_json::from_str(json)
        .map_err(|error| sqlx::Error::Decode(format!("a cart that is not one: {error}").into()))
}

fn encode(cart: &Cart) -> Result<String, sqlx::Error> {
    serde_json::to_string(cart).map_err(|error| sqlx::Error::Encode(Box::new(error)))
}

/// One cart, if it exists.
pub async fn get(conn: &mut SqliteConnection, id: &CartId) -> Result<Option<Cart>, sqlx::Error> {
    let json: Option<String> = sqlx::query_scalar("SELECT cart FROM carts WHERE id = ?")
        .bind(id.as_str())
        .fetch_optional(conn)
        .await?;
    json.as_deref().map(decode).transpose()
}

/// Stores a new cart created by `created_by`.
pub async fn insert(
    conn: &mut SqliteConnection,
    cart: &Cart,
    created_by: &StaffId,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO carts (id, customer_id, store_id, created_by, cart, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(cart.id.as_str())
    .bind(cart.customer_id.as_str())
    .bind(cart.store_id.as_str())
    .bind(created_by.as_str())
    .bind(encode(cart)?)
    .bind(cart.updated_at.millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// Saves a cart's new state.
pub async fn save(conn: &mut SqliteConnection, cart: &Cart) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE carts SET cart = ?, updated_at = ? WHERE id = ?")
        .bind(encode(cart)?)
        .bind(cart.updated_at.millis())
        .bind(cart.id.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

/// Remembers a pay link shared for a cart.
pub async fn insert_link(
    conn: &mut SqliteConnection,
    token: &str,
    cart_id: &CartId,
    shared_at: Timestamp,
    expires_at: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO pay_links (token, cart_id, shared_at, expires_at) VALUES (?, ?, ?, ?)",
    )
    .bind(token)
    .bind(cart_id.as_str())
    .bind(shared_at.millis())
    .bind(expires_at.millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// The cart a pay link was shared for, if the token is one this server gave out.
pub async fn cart_of_link(
    conn: &mut SqliteConnection,
    token: &str,
) -> Result<Option<CartId>, sqlx::Error> {
    let id: Option<String> = sqlx::query_scalar("SELECT cart_id FROM pay_links WHERE token = ?")
        .bind(token)
        .fetch_optional(conn)
        .await?;
    Ok(id.map(CartId))
}

/// A card payment taken for a cart.
#[derive(Debug, Clone, Copy)]
pub struct Payment<'a> {
    /// The cart paid.
    pub cart: &'a Cart,
    /// The order it became.
    pub order_id: &'a str,
    /// The amount charged, in minor units of the cart's currency.
    pub amount_minor: i64,
    /// The card's last four digits.
    pub card_last4: &'a str,
    /// When.
    pub paid_at: Timestamp,
}

/// Records the payment of a cart; a second payment of the same cart fails on the table's
/// key, so a cart is never charged twice whatever got past the checks.
pub async fn insert_payment(
    conn: &mut SqliteConnection,
    payment: &Payment<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO card_payments (cart_id, order_id, currency, amount_minor, card_last4, paid_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(payment.cart.id.as_str())
    .bind(payment.order_id)
    .bind(payment.cart.currency.code())
    .bind(payment.amount_minor)
    .bind(payment.card_last4)
    .bind(payment.paid_at.millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// How many payments a cart took (0 or 1).
pub async fn payments_of(conn: &mut SqliteConnection, id: &CartId) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM card_payments WHERE cart_id = ?")
        .bind(id.as_str())
        .fetch_one(conn)
        .await
}
