//! The local `orders`, `order_lines`, `wishlist_items` and `recommendations` tables: what
//! the feed brought of the customers' purchases and wishes, and what the backend last
//! recommended for them.

use std::collections::HashMap;

use clienteling_domain::catalog::{Currency, Money};
use clienteling_domain::order::{
    Order, OrderChannel, OrderLine, OrderStatus, Recommendation, WishlistItem,
};
use clienteling_domain::{
    CustomerId, OrderId, ProductId, StoreId, Timestamp, VariantId, WishlistItemId,
};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use crate::columns::{from_json, parse_name, to_json};
use crate::error::CoreError;

/// How a write treats a row already stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Replace it unless it is newer (the live feed and the snapshot).
    UnlessNewer,
    /// Keep it (a backfill's older page never overwrites what the live feed brought).
    Never,
}

/// Stores `orders`; answers the customers whose orders changed.
pub async fn write_orders(
    conn: &mut SqliteConnection,
    orders: &[&Order],
    overwrite: Overwrite,
) -> Result<Vec<CustomerId>, CoreError> {
    let on_conflict = match overwrite {
        Overwrite::UnlessNewer => {
            " ON CONFLICT (id) DO UPDATE SET status = excluded.status, \
             channel = excluded.channel, store_id = excluded.store_id, \
             currency = excluded.currency, total_minor = excluded.total_minor, \
             placed_at = excluded.placed_at, updated_at = excluded.updated_at \
             WHERE excluded.updated_at >= orders.updated_at"
        }
        Overwrite::Never => " ON CONFLICT (id) DO NOTHING",
    };
    let mut changed = Vec::new();
    for order in orders {
        let written = sqlx::query(&format!(
            "INSERT INTO orders (id, customer_id, store_id, channel, status, currency, total_minor, \
             placed_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?){on_conflict}"
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
        if written.rows_affected() == 0 {
            continue;
        }
        sqlx::query("DELETE FROM order_lines WHERE order_id = ?")
            .bind(order.id.as_str())
            .execute(&mut *conn)
            .await?;
        for (position, line) in order.lines.iter().enumerate() {
            sqlx::query(
                "INSERT INTO order_lines (order_id, position, product_id, variant_id, product_name, \
                 size, colour, quantity, unit_price_minor, image_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
        if !changed.contains(&order.customer_id) {
            changed.push(order.customer_id.clone());
        }
    }
    Ok(changed)
}

/// Stores wishlist items; answers the customers whose wishlist changed.
pub async fn write_wishlist(
    conn: &mut SqliteConnection,
    items: &[&WishlistItem],
    overwrite: Overwrite,
) -> Result<Vec<CustomerId>, CoreError> {
    let on_conflict = match overwrite {
        Overwrite::UnlessNewer => {
            " ON CONFLICT (id) DO UPDATE SET product_name = excluded.product_name, \
             variant_id = excluded.variant_id, variant_label = excluded.variant_label, \
             currency = excluded.currency, price_minor = excluded.price_minor, \
             image_url = excluded.image_url, added_at = excluded.added_at"
        }
        Overwrite::Never => " ON CONFLICT (id) DO NOTHING",
    };
    let mut changed = Vec::new();
    for item in items {
        let written = sqlx::query(&format!(
            "INSERT INTO wishlist_items (id, customer_id, product_id, variant_id, product_name, \
             variant_label, currency, price_minor, image_url, added_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?){on_conflict}"
        ))
        .bind(item.id.as_str())
        .bind(item.customer_id.as_str())
        .bind(item.product_id.as_str())
        .bind(item.variant_id.as_ref().map(VariantId::as_str))
        .bind(&item.product_name)
        .bind(&item.variant_label)
        .bind(item.price.currency.code())
        .bind(item.price.minor)
        .bind(&item.image_url)
        .bind(item.added_at.millis())
        .execute(&mut *conn)
        .await?;
        if written.rows_affected() > 0 && !changed.contains(&item.customer_id) {
            changed.push(item.customer_id.clone());
        }
    }
    Ok(changed)
}

fn currency(column: &str, text: &str) -> Result<Currency, CoreError> {
    parse_name(column, text, Currency::parse)
}

fn decode_order(row: &SqliteRow, lines: &[SqliteRow]) -> Result<Order, CoreError> {
    let currency = currency("orders.currency", &row.try_get::<String, _>("currency")?)?;
    Ok(Order {
        id: OrderId(row.try_get("id")?),
        customer_id: CustomerId(row.try_get("customer_id")?),
        store_id: StoreId(row.try_get("store_id")?),
        channel: parse_name(
            "orders.channel",
            &row.try_get::<String, _>("channel")?,
            OrderChannel::parse,
        )?,
        status: parse_name(
            "orders.status",
            &row.try_get::<String, _>("status")?,
            OrderStatus::parse,
        )?,
        placed_at: Timestamp(row.try_get("placed_at")?),
        updated_at: Timestamp(row.try_get("updated_at")?),
        lines: lines
            .iter()
            .map(|line| {
                Ok(OrderLine {
                    product_id: ProductId(line.try_get("product_id")?),
                    variant_id: VariantId(line.try_get("variant_id")?),
                    product_name: line.try_get("product_name")?,
                    size: line.try_get("size")?,
                    colour: line.try_get("colour")?,
                    quantity: u32::try_from(line.try_get::<i64, _>("quantity")?)
                        .map_err(|e| CoreError::Corrupt(format!("order_lines.quantity: {e}")))?,
                    unit_price: Money::new(line.try_get("unit_price_minor")?, currency),
                    image_url: line.try_get("image_url")?,
                })
            })
            .collect::<Result<_, CoreError>>()?,
        total: Money::new(row.try_get("total_minor")?, currency),
    })
}

/// A customer's latest orders, most recently placed first, at most `limit`: the orders in
/// one query and all their lines in a second, not one query per order.
pub async fn orders_of(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
    limit: u32,
) -> Result<Vec<Order>, CoreError> {
    let rows = sqlx::query(
        "SELECT id, customer_id, store_id, channel, status, currency, total_minor, placed_at, \
         updated_at FROM orders WHERE customer_id = ? ORDER BY placed_at DESC, id DESC LIMIT ?",
    )
    .bind(customer_id.as_str())
    .bind(i64::from(limit))
    .fetch_all(&mut *conn)
    .await?;
    let lines = sqlx::query(
        "SELECT l.order_id, l.product_id, l.variant_id, l.product_name, l.size, l.colour, \
         l.quantity, l.unit_price_minor, l.image_url FROM order_lines l \
         WHERE l.order_id IN (SELECT id FROM orders WHERE customer_id = ? \
           ORDER BY placed_at DESC, id DESC LIMIT ?) \
         ORDER BY l.order_id, l.position",
    )
    .bind(customer_id.as_str())
    .bind(i64::from(limit))
    .fetch_all(&mut *conn)
    .await?;
    let mut by_order: HashMap<String, Vec<SqliteRow>> = HashMap::new();
    for line in lines {
        by_order
            .entry(line.try_get("order_id")?)
            .or_default()
            .push(line);
    }
    rows.iter()
        .map(|row| {
            let id: String = row.try_get("id")?;
            decode_order(row, by_order.get(&id).map_or(&[], Vec::as_slice))
        })
        .collect()
}

/// How many orders a customer has.
pub async fn order_count(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
) -> Result<u32, CoreError> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE customer_id = ?")
        .bind(customer_id.as_str())
        .fetch_one(conn)
        .await?;
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

/// A customer's wishlist, most recently added first.
pub async fn wishlist_of(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
) -> Result<Vec<WishlistItem>, CoreError> {
    let rows = sqlx::query(
        "SELECT id, customer_id, product_id, variant_id, product_name, variant_label, currency, \
         price_minor, image_url, added_at FROM wishlist_items WHERE customer_id = ? \
         ORDER BY added_at DESC, id",
    )
    .bind(customer_id.as_str())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(WishlistItem {
                id: WishlistItemId(row.try_get("id")?),
                customer_id: CustomerId(row.try_get("customer_id")?),
                product_id: ProductId(row.try_get("product_id")?),
                variant_id: row
                    .try_get::<Option<String>, _>("variant_id")?
                    .map(VariantId),
                product_name: row.try_get("product_name")?,
                variant_label: row.try_get("variant_label")?,
                price: Money::new(
                    row.try_get("price_minor")?,
                    currency(
                        "wishlist_items.currency",
                        &row.try_get::<String, _>("currency")?,
                    )?,
                ),
                image_url: row.try_get("image_url")?,
                added_at: Timestamp(row.try_get("added_at")?),
            })
        })
        .collect()
}

/// Replaces what is kept of a customer's recommendations with `recommendations`.
pub async fn replace_recommendations(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
    recommendations: &[Recommendation],
    now: Timestamp,
) -> Result<(), CoreError> {
    sqlx::query("DELETE FROM recommendations WHERE customer_id = ?")
        .bind(customer_id.as_str())
        .execute(&mut *conn)
        .await?;
    for (position, recommendation) in recommendations.iter().enumerate() {
        sqlx::query(
            "INSERT INTO recommendations (customer_id, position, recommendation, fetched_at) \
             VALUES (?, ?, ?, ?)",
        )
        .bind(customer_id.as_str())
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(to_json("recommendations.recommendation", recommendation)?)
        .bind(now.millis())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The recommendations last kept for a customer, in the backend's order.
pub async fn recommendations_of(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
) -> Result<Vec<Recommendation>, CoreError> {
    let stored: Vec<String> = sqlx::query_scalar(
        "SELECT recommendation FROM recommendations WHERE customer_id = ? ORDER BY position",
    )
    .bind(customer_id.as_str())
    .fetch_all(conn)
    .await?;
    stored
        .iter()
        .map(|text| from_json("recommendations.recommendation", text))
        .collect()
}

/// Deletes every order, wishlist item and recommendation (signing out).
pub async fn clear(conn: &mut SqliteConnection) -> Result<(), CoreError> {
    for statement in [
        "DELETE FROM order_lines",
        "DELETE FROM orders",
        "DELETE FROM wishlist_items",
        "DELETE FROM recommendations",
    ] {
        sqlx::query(statement).execute(&mut *conn).await?;
    }
    Ok(())
}
