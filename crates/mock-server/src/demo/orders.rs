//! Demo purchases: 0–20 orders per customer over the last two years, in the currency of
//! the store they were placed in, with lines referencing real catalog variants (in the
//! customer's sizes, mostly from their favourite categories, often with a product's usual
//! companion, so co-purchases mean something), statuses as time left them (most
//! delivered, some returned, exchanged or cancelled, the latest online ones placed or
//! shipped), and 0–5 wishlist items each; written in batches with their feed markers.

use std::collections::BTreeSet;

use clienteling_domain::api::Customer;
use clienteling_domain::catalog::{Category, Currency, Product};
use clienteling_domain::order::{
    lines_total, Order, OrderChannel, OrderLine, OrderStatus, WishlistItem,
};
use clienteling_domain::time::{DAY_MS, HOUR_MS, MINUTE_MS};
use clienteling_domain::{ProductId, StoreId, Timestamp, WishlistItemId};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::catalog::store_currencies;
use crate::changes::{self, Entity};
use crate::random::SplitMix64;

/// Rows per insert statement: at most 10 bound values a row, well under SQLite's 32 766.
const ROWS_PER_INSERT: usize = 2_000;

/// How far back the demo orders go.
const HISTORY_DAYS: i64 = 730;

/// The sizes a customer wears: one per kind of size.
struct Fit {
    tops: &'static str,
    waist: &'static str,
    shoes: &'static str,
}

impl Fit {
    fn size_for(&self, category: Category) -> &'static str {
        match category {
            Category::Trousers => self.waist,
            Category::Shoes => self.shoes,
            Category::Accessories => "One size",
            _ => self.tops,
        }
    }
}

/// The currency of a demo store.
pub fn currency_of(store_id: &StoreId) -> Currency {
    store_currencies()
        .into_iter()
        .find(|(id, _)| id == store_id)
        .map_or(Currency::Usd, |(_, currency)| currency)
}

/// What a generated purchase history holds.
pub struct DemoPurchases {
    /// Every order, oldest first per customer.
    pub orders: Vec<Order>,
    /// Every wishlist item.
    pub wishlist: Vec<WishlistItem>,
}

/// The line for `quantity` of `product` in `size` (its first colour in that size, or its
/// first variant), priced in `currency`.
fn line_of(
    product: &Product,
    size: &str,
    colour_pick: usize,
    quantity: u32,
    currency: Currency,
) -> Option<OrderLine> {
    let fitting: Vec<_> = product.variants.iter().filter(|v| v.size == size).collect();
    let variant = if fitting.is_empty() {
        product.variants.first()?
    } else {
        fitting[colour_pick % fitting.len()]
    };
    Some(OrderLine {
        product_id: product.id.clone(),
        variant_id: variant.id.clone(),
        product_name: product.name.clone(),
        size: variant.size.clone(),
        colour: variant.colour.clone(),
        quantity,
        unit_price: product.price_in(currency)?,
        image_url: product.image_url.clone(),
    })
}

/// The status time has given an order placed `age_ms` ago.
fn status_of(rng: &mut SplitMix64, channel: OrderChannel, age_ms: i64) -> OrderStatus {
    if channel == OrderChannel::Online && age_ms < 3 * DAY_MS {
        return OrderStatus::Placed;
    }
    if channel == OrderChannel::Online && age_ms < 8 * DAY_MS {
        return OrderStatus::Shipped;
    }
    let roll = rng.next_f64();
    if roll < 0.08 {
        OrderStatus::Returned
    } else if roll < 0.14 {
        OrderStatus::Exchanged
    } else if roll < 0.19 && channel == OrderChannel::Online {
        OrderStatus::Cancelled
    } else {
        OrderStatus::Delivered
    }
}

/// The purchases of `customers`, generated from `seed` with times relative to `now`.
pub fn generate(
    seed: u64,
    customers: &[&Customer],
    catalog: &[Product],
    now: Timestamp,
) -> DemoPurchases {
    const TOPS: &[&str] = &["XS", "S", "M", "L", "XL"];
    const WAISTS: &[&str] = &["28", "30", "32", "34", "36"];
    const SHOES: &[&str] = &["6", "7", "8", "9", "10", "11"];
    let mut rng = SplitMix64::new(seed ^ 0x0_0de7_5000);
    let by_category: Vec<(Category, Vec<&Product>)> = Category::ALL
        .into_iter()
        .map(|c| (c, catalog.iter().filter(|p| p.category == c).collect()))
        .collect();
    let products_of = |category: Category| -> &[&Product] {
        by_category
            .iter()
            .find(|(c, _)| *c == category)
            .map_or(&[], |(_, products)| products.as_slice())
    };
    // Each product's usual companion, from another category: bought with it often.
    let positions: std::collections::HashMap<&ProductId, usize> = catalog
        .iter()
        .enumerate()
        .map(|(position, p)| (&p.id, position))
        .collect();
    let companion = |product: &Product| -> Option<&Product> {
        let position = positions.get(&product.id)?;
        catalog.get((position * 7 + 80) % catalog.len())
    };
    let mut orders = Vec::new();
    let mut wishlist = Vec::new();
    for customer in customers {
        let fit = Fit {
            tops: rng.pick::<&str>(TOPS),
            waist: rng.pick::<&str>(WAISTS),
            shoes: rng.pick::<&str>(SHOES),
        };
        let favourites = [*rng.pick(&Category::ALL), *rng.pick(&Category::ALL)];
        let count = if rng.chance(0.12) {
            0
        } else {
            rng.between(1, 20)
        };
        let mut placed: Vec<i64> = (0..count)
            .map(|_| rng.between(2 * HOUR_MS, HISTORY_DAYS * DAY_MS))
            .collect();
        placed.sort_unstable_by(|a, b| b.cmp(a));
        // Some customers bought online in the last week: that order is on its way.
        let recent_online = rng.chance(0.2);
        if let Some(latest) = placed.last_mut().filter(|_| recent_online) {
            *latest = rng.between(2 * HOUR_MS, 7 * DAY_MS);
        }
        let orders_count = placed.len();
        for (n, age_ms) in placed.into_iter().enumerate() {
            let store_id = customer
                .store_ids
                .get(
                    usize::try_from(rng.below(customer.store_ids.len().max(1) as u64)).unwrap_or(0),
                )
                .cloned()
                .unwrap_or_else(|| StoreId::from(super::STORE_NYC));
            let currency = currency_of(&store_id);
            let channel = if (recent_online && n + 1 == orders_count) || rng.chance(0.3) {
                OrderChannel::Online
            } else {
                OrderChannel::Store
            };
            let mut lines: Vec<OrderLine> = Vec::new();
            let mut taken = BTreeSet::new();
            let wanted = rng.between(1, 3);
            while i64::try_from(lines.len()).unwrap_or(i64::MAX) < wanted {
                let category = if rng.chance(0.7) {
                    *rng.pick(&favourites)
                } else {
                    *rng.pick(&Category::ALL)
                };
                let pool = products_of(category);
                if pool.is_empty() {
                    break;
                }
                let first = *rng.pick(pool);
                let mut picks = vec![first];
                if rng.chance(0.45) {
                    picks.extend(companion(first));
                }
                for product in picks {
                    if !taken.insert(product.id.clone()) {
                        continue;
                    }
                    let quantity = if rng.chance(0.1) { 2 } else { 1 };
                    let colour = usize::try_from(rng.below(3)).unwrap_or(0);
                    lines.extend(line_of(
                        product,
                        fit.size_for(product.category),
                        colour,
                        quantity,
                        currency,
                    ));
                }
            }
            let placed_at = now.plus_ms(-age_ms);
            let status = status_of(&mut rng, channel, age_ms);
            let settled_after = match status {
                OrderStatus::Placed => 0,
                OrderStatus::Cancelled => rng.between(10, 600) * MINUTE_MS,
                _ => rng.between(1, age_ms.min(20 * DAY_MS) / DAY_MS) * DAY_MS,
            };
            let total = lines_total(currency, &lines)
                .unwrap_or_else(|| unreachable!("every line is priced in the order's currency"));
            orders.push(Order {
                id: format!(
                    "ord-{}-{:02}",
                    customer.id.as_str().trim_start_matches("cust-"),
                    n + 1
                )
                .into(),
                customer_id: customer.id.clone(),
                store_id,
                channel,
                status,
                placed_at,
                updated_at: placed_at.plus_ms(settled_after.min(age_ms)),
                lines,
                total,
            });
        }
        let owned: BTreeSet<&ProductId> = orders
            .iter()
            .filter(|o| o.customer_id == customer.id)
            .flat_map(|o| o.lines.iter().map(|l| &l.product_id))
            .collect();
        let wishes = if rng.chance(0.4) {
            0
        } else {
            rng.between(1, 5)
        };
        let currency = customer
            .store_ids
            .first()
            .map_or(Currency::Usd, currency_of);
        let mut wished = BTreeSet::new();
        for n in 0..wishes {
            let product = rng.pick(catalog);
            if owned.contains(&product.id) || !wished.insert(product.id.clone()) {
                continue;
            }
            let variant = rng
                .chance(0.6)
                .then(|| line_of(product, fit.size_for(product.category), 0, 1, currency))
                .flatten();
            let added_at = now.plus_ms(-rng.between(HOUR_MS, 180 * DAY_MS));
            wishlist.push(WishlistItem {
                id: WishlistItemId(format!(
                    "wish-{}-{:02}",
                    customer.id.as_str().trim_start_matches("cust-"),
                    n + 1
                )),
                customer_id: customer.id.clone(),
                product_id: product.id.clone(),
                variant_label: variant.as_ref().map(OrderLine::variant_label),
                variant_id: variant.map(|line| line.variant_id),
                product_name: product.name.clone(),
                price: product
                    .price_in(currency)
                    .unwrap_or_else(|| unreachable!("every product has a price in every currency")),
                image_url: product.image_url.clone(),
                added_at,
            });
        }
    }
    DemoPurchases { orders, wishlist }
}

/// Seeds the catalog and the customers' purchases of `demo`, generated from `seed` with
/// times relative to `now`, into an empty database (inside the seeding's transaction).
pub async fn seed(
    conn: &mut SqliteConnection,
    demo: &super::DemoData,
    seed: u64,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    let started = std::time::Instant::now();
    let catalog = super::catalog::generate(seed);
    let customers: Vec<&Customer> = demo.customers.iter().map(|(c, _)| c).collect();
    let purchases = generate(seed, &customers, &catalog, now);
    let generated = started.elapsed();
    super::catalog::insert(conn, &catalog).await?;
    insert(conn, &purchases, &customers).await?;
    super::catalog::record(conn, &catalog, &demo.stores).await?;
    tracing::info!(
        generated_ms = generated.as_millis(),
        products = catalog.len(),
        orders = purchases.orders.len(),
        wishlist_items = purchases.wishlist.len(),
        elapsed_ms = started.elapsed().as_millis(),
        "demo catalog and purchases seeded"
    );
    Ok(())
}

/// Writes the purchases of `customers` and their feed markers (one per store that knows the
/// customer), orders by placing time, so a first sync from cursor 0 gets them.
pub async fn insert(
    conn: &mut SqliteConnection,
    purchases: &DemoPurchases,
    customers: &[&Customer],
) -> Result<(), sqlx::Error> {
    for chunk in purchases.orders.chunks(ROWS_PER_INSERT) {
        let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO orders (id, customer_id, store_id, channel, status, currency, total_minor, placed_at, updated_at) ",
        );
        insert.push_values(chunk, |mut row, o| {
            row.push_bind(o.id.as_str())
                .push_bind(o.customer_id.as_str())
                .push_bind(o.store_id.as_str())
                .push_bind(o.channel.as_str())
                .push_bind(o.status.as_str())
                .push_bind(o.total.currency.code())
                .push_bind(o.total.minor)
                .push_bind(o.placed_at.millis())
                .push_bind(o.updated_at.millis());
        });
        insert.build().execute(&mut *conn).await?;
    }
    let lines: Vec<(&Order, usize, &OrderLine)> = purchases
        .orders
        .iter()
        .flat_map(|o| o.lines.iter().enumerate().map(move |(i, l)| (o, i, l)))
        .collect();
    for chunk in lines.chunks(ROWS_PER_INSERT) {
        let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO order_lines (order_id, position, product_id, variant_id, product_name, size, colour, quantity, unit_price_minor, image_url) ",
        );
        insert.push_values(chunk, |mut row, (order, position, l)| {
            row.push_bind(order.id.as_str())
                .push_bind(i64::try_from(*position).unwrap_or(i64::MAX))
                .push_bind(l.product_id.as_str())
                .push_bind(l.variant_id.as_str())
                .push_bind(&l.product_name)
                .push_bind(&l.size)
                .push_bind(&l.colour)
                .push_bind(i64::from(l.quantity))
                .push_bind(l.unit_price.minor)
                .push_bind(&l.image_url);
        });
        insert.build().execute(&mut *conn).await?;
    }
    for chunk in purchases.wishlist.chunks(ROWS_PER_INSERT) {
        let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO wishlist_items (id, customer_id, product_id, variant_id, added_at) ",
        );
        insert.push_values(chunk, |mut row, w| {
            row.push_bind(w.id.as_str())
                .push_bind(w.customer_id.as_str())
                .push_bind(w.product_id.as_str())
                .push_bind(w.variant_id.as_ref().map(|v| v.as_str()))
                .push_bind(w.added_at.millis());
        });
        insert.build().execute(&mut *conn).await?;
    }
    let stores_of = |customer_id: &clienteling_domain::CustomerId| -> &[StoreId] {
        customers
            .iter()
            .find(|c| &c.id == customer_id)
            .map_or(&[], |c| c.store_ids.as_slice())
    };
    let mut markers: Vec<(StoreId, Entity, String)> = Vec::new();
    let mut by_time: Vec<&Order> = purchases.orders.iter().collect();
    by_time.sort_by_key(|o| (o.updated_at, o.id.clone()));
    for order in by_time {
        for store_id in stores_of(&order.customer_id) {
            markers.push((store_id.clone(), Entity::Order, order.id.to_string()));
        }
    }
    for item in &purchases.wishlist {
        for store_id in stores_of(&item.customer_id) {
            markers.push((store_id.clone(), Entity::WishlistItem, item.id.to_string()));
        }
    }
    changes::record_many(conn, &markers).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::catalog;

    const NOW: Timestamp = Timestamp(1_760_000_000_000);

    #[test]
    fn c6_demo_orders_are_realistic_and_add_up() {
        let demo = crate::demo::generate(42, NOW);
        let customers: Vec<&Customer> = demo.customers.iter().map(|(c, _)| c).collect();
        let catalog = catalog::generate(42);
        let purchases = generate(42, &customers, &catalog, NOW);
        assert!(
            purchases.orders.iter().all(Order::adds_up),
            "every order's total is the sum of its lines"
        );
        for customer in &customers {
            let theirs = purchases
                .orders
                .iter()
                .filter(|o| o.customer_id == customer.id)
                .count();
            assert!(
                theirs <= 20,
                "{} has 0–20 orders, got {theirs}",
                customer.id
            );
        }
        let count = |status: OrderStatus| {
            purchases
                .orders
                .iter()
                .filter(|o| o.status == status)
                .count()
        };
        assert!(
            count(OrderStatus::Delivered) > purchases.orders.len() / 2,
            "most orders are delivered"
        );
        for status in OrderStatus::ALL {
            assert!(count(status) > 0, "some orders are {}", status.as_str());
        }
        assert!(
            purchases
                .orders
                .iter()
                .all(|o| NOW.since(o.placed_at) <= HISTORY_DAYS * DAY_MS
                    && o.updated_at >= o.placed_at
                    && o.updated_at <= NOW),
            "orders span two years and change after they are placed"
        );
        assert!(
            purchases
                .orders
                .iter()
                .all(|o| o.total.currency == currency_of(&o.store_id)),
            "each order is in its store's currency"
        );
        let variants: BTreeSet<&str> = catalog
            .iter()
            .flat_map(|p| p.variants.iter().map(|v| v.id.as_str()))
            .collect();
        assert!(
            purchases
                .orders
                .iter()
                .flat_map(|o| &o.lines)
                .all(|l| variants.contains(l.variant_id.as_str())),
            "every line is a real catalog variant"
        );
        assert!(
            !purchases.wishlist.is_empty(),
            "customers have wishlist items"
        );
    }
}
