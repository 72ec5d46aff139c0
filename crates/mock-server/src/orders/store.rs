//! The orders' and wishlists' SQL: an order with its lines as the receipt showed them, a
//! customer's orders most recent first, and wishlist items priced in the currency of the
//! customer's store.

use clienteling_domain::catalog::{image_path, variant_label, Currency, Money};
use clienteling_domain::order::{Order, OrderChannel, OrderLine, OrderStatus, WishlistItem};
use clienteling_domain::{
    CustomerId, OrderId, ProductId, StoreId, Timestamp, VariantId, WishlistItemId,
};
use sqlx::SqliteConnection;

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: String,
    customer_id: String,
    store_id: String,
    channel: String,
    status: String,
    currency: String,
    total_minor: i64,
    placed_at: i64,
    updated_at: i64,
}

#[derive(sqlx::FromRow)]
struct LineRow {
    product_id: String,
    variant_id: String,
    product_name: String,
    size: String,
    colour: String,
    quantity: i64,
    unit_price_minor: i64,
    image_url: String,
}

const ORDER_COLUMNS: &str =
    "id, customer_id, store_id, channel, status, currency, total_minor, placed_at, updated_at";

/// Rebuilds an order from its row and lines; `None` when a stored name is unknown (a row
/// this server never wrote).
fn decode(row: OrderRow, lines: Vec<LineRow>) -> Option<Order> {
    let currency = Currency::parse(&row.currency)?;
    Some(Order {
        id: OrderId(row.id),
        customer_id: CustomerId(row.customer_id),
        store_id: StoreId(row.store_id),
        channel: OrderChannel::parse(&row.channel)?,
        status: OrderStatus::parse(&row.status)?,
        placed_at: Timestamp(row.placed_at),
        updated_at: Timestamp(row.updated_at),
        lines: lines
            .into_iter()
            .map(|l| OrderLine {
                product_id: ProductId(l.product_id),
                variant_id: VariantId(l.variant_id),
                product_name: l.product_name,
                size: l.size,
                colour: l.colour,
                quantity: u32::try_from(l.quantity).unwrap_or(0),
                unit_price: Money::new(l.unit_price_minor, currency),
                image_url: l.image_url,
            })
            .collect(),
        total: Money::new(row.total_minor, currency),
    })
}

async fn lines_of(conn: &mut SqliteConnection, id: &str) -> Result<Vec<LineRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT product_id, variant_id, product_name, size, colour, quantity, unit_price_minor, image_url
         FROM order_lines WHERE order_id = ? ORDER BY position",
    )
    .bind(id)
    .fetch_all(conn)
    .await
}

/// One order with its lines.
pub async fn order(
    conn: &mut SqliteConnection,
    id: &OrderId,
) -> Result<Option<Order>, sqlx::Error> {
    let row: Option<OrderRow> =
        sqlx::query_as(&format!("SELECT {ORDER_COLUMNS} FROM orders WHERE id = ?"))
            .bind(id.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let lines = lines_of(conn, &row.id).await?;
    Ok(decode(row, lines))
}

/// A customer's orders, most recently placed first, at most `limit`.
pub async fn orders_of(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
    limit: u32,
) -> Result<Vec<Order>, sqlx::Error> {
    let rows: Vec<OrderRow> = sqlx::query_as(&format!(
        "SELECT {ORDER_COLUMNS} FROM orders WHERE customer_id = ? ORDER BY placed_at DESC, id DESC LIMIT ?"
    ))
    .bind(customer_id.as_str())
    .bind(i64::from(limit))
    .fetch_all(&mut *conn)
    .await?;
    let mut orders = Vec::with_capacity(rows.len());
    for row in rows {
        let lines = lines_of(conn, &row.id).await?;
        orders.extend(decode(row, lines));
    }
    Ok(orders)
}

/// Stores a new order with its lines (an order paid from a remote cart, M9).
pub async fn insert(conn: &mut SqliteConnection, order: &Order) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO orders ({ORDER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    ))
    .bind(order.id.as_str())
    .bind(order.customer_id.as_str())
    .bind(order.store_id.as_str())
    .bind(order.channel.as_str())
    .bind(order.status.as_str())
    .bind(order.total.currency.code())
    .bind(order.total.minor)
    .bind(order.placed_at.millis())
    .bind(order.updated_at.millis())
    .execute(&mut *conn)
    .await?;
    for (position, line) in order.lines.iter().enumerate() {
        sqlx::query(
            "INSERT INTO order_lines (order_id, position, product_id, variant_id, product_name, size, colour, quantity, unit_price_minor, image_url)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(order.id.as_str())
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(line.product_id.as_str())
        .bind(line.variant_id.as_str())
        .bind(&line.product_name)
        .bind(&line.size)
        .bind(&line.colour)
        .bind(i64::from(line.quantity))
        .bind(line.unit_price.minor)
        .bind(&line.image_url)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Moves an order to `status` at `now`; answers whether the order exists.
pub async fn set_status(
    conn: &mut SqliteConnection,
    id: &OrderId,
    status: OrderStatus,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE orders SET status = ?, updated_at = ? WHERE id = ?")
        .bind(status.as_str())
        .bind(now.millis())
        .bind(id.as_str())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The stores that know an order's customer (their staff see the order).
pub async fn stores_of_order(
    conn: &mut SqliteConnection,
    id: &OrderId,
) -> Result<Vec<StoreId>, sqlx::Error> {
    let stores: Vec<String> = sqlx::query_scalar(
        "SELECT cs.store_id FROM customer_stores cs JOIN orders o ON o.customer_id = cs.customer_id
         WHERE o.id = ? ORDER BY cs.store_id",
    )
    .bind(id.as_str())
    .fetch_all(conn)
    .await?;
    Ok(stores.into_iter().map(StoreId).collect())
}

#[derive(sqlx::FromRow)]
struct WishRow {
    id: String,
    customer_id: String,
    product_id: String,
    variant_id: Option<String>,
    added_at: i64,
    product_name: String,
    size: Option<String>,
    colour: Option<String>,
    currency: String,
    minor: i64,
}

/// A wishlist item's row joined with its product, its variant and the product's price in
/// the currency of the customer's sign-up store (pounds in the UK, dollars elsewhere).
const WISH_SELECT: &str = "SELECT w.id, w.customer_id, w.product_id, w.variant_id, w.added_at,
        p.name AS product_name, v.size, v.colour, pp.currency, pp.minor
     FROM wishlist_items w
     JOIN products p ON p.id = w.product_id
     LEFT JOIN variants v ON v.id = w.variant_id
     JOIN customers c ON c.id = w.customer_id
     JOIN stores s ON s.id = c.signup_store_id
     JOIN product_prices pp ON pp.product_id = w.product_id
          AND pp.currency = CASE s.country WHEN 'GB' THEN 'GBP' ELSE 'USD' END";

fn decode_wish(row: WishRow) -> Option<WishlistItem> {
    let product_id = ProductId(row.product_id);
    Some(WishlistItem {
        id: WishlistItemId(row.id),
        customer_id: CustomerId(row.customer_id),
        image_url: image_path(&product_id),
        product_id,
        variant_id: row.variant_id.map(VariantId),
        product_name: row.product_name,
        variant_label: row
            .size
            .zip(row.colour)
            .map(|(size, colour)| variant_label(&size, &colour)),
        price: Money::new(row.minor, Currency::parse(&row.currency)?),
        added_at: Timestamp(row.added_at),
    })
}

/// One wishlist item.
pub async fn wishlist_item(
    conn: &mut SqliteConnection,
    id: &WishlistItemId,
) -> Result<Option<WishlistItem>, sqlx::Error> {
    let row: Option<WishRow> = sqlx::query_as(&format!("{WISH_SELECT} WHERE w.id = ?"))
        .bind(id.as_str())
        .fetch_optional(conn)
        .await?;
    Ok(row.and_then(decode_wish))
}

/// A customer's wishlist, most recently added first.
pub async fn wishlist_of(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
) -> Result<Vec<WishlistItem>, sqlx::Error> {
    let rows: Vec<WishRow> = sqlx::query_as(&format!(
        "{WISH_SELECT} WHERE w.customer_id = ? ORDER BY w.added_at DESC, w.id"
    ))
    .bind(customer_id.as_str())
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().filter_map(decode_wish).collect())
}
