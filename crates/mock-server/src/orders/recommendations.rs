//! Recommendations (C7), computed on request from the store's real purchases: products
//! that other customers who bought something this customer owns also bought (co-purchase
//! counts), then products of the customer's favourite category in the size they buy there
//! (category and size affinity); never what they own (bought and kept) nor what is on their
//! wishlist. Each comes with its reason.

use std::collections::{BTreeMap, BTreeSet};

use clienteling_domain::catalog::{image_path, variant_label, Category, Currency, Money};
use clienteling_domain::order::{Recommendation, RecommendationReason};
use clienteling_domain::{CustomerId, ProductId, StoreId, VariantId};
use sqlx::SqliteConnection;

/// The most recommendations answered.
pub const MAX_RECOMMENDATIONS: usize = 8;
/// The most of them that come from co-purchases (the rest from affinity).
const MAX_CO_PURCHASES: usize = 5;

/// Statuses whose products the customer owns, as SQL.
const KEPT: &str = "('placed', 'shipped', 'delivered', 'exchanged')";

/// `stores` as an SQL list of bound placeholders starting at `?{first}`.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("?{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What is recommended to `customer_id` from the purchases in `stores`, priced in
/// `currency`, best first, at most [`MAX_RECOMMENDATIONS`].
pub async fn for_customer(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
    stores: &[StoreId],
    currency: Currency,
) -> Result<Vec<Recommendation>, sqlx::Error> {
    let owned: BTreeSet<String> = sqlx::query_scalar(&format!(
        "SELECT DISTINCT l.product_id FROM order_lines l JOIN orders o ON o.id = l.order_id
         WHERE o.customer_id = ? AND o.status IN {KEPT}"
    ))
    .bind(customer_id.as_str())
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    let wished: BTreeSet<String> =
        sqlx::query_scalar("SELECT product_id FROM wishlist_items WHERE customer_id = ?")
            .bind(customer_id.as_str())
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .collect();
    let excluded = |product: &str| owned.contains(product) || wished.contains(product);

    // (owned product, other product, customers who bought both), most shared first.
    let sql = format!(
        "WITH owners AS (
             SELECT DISTINCT o.customer_id, l.product_id FROM order_lines l
             JOIN orders o ON o.id = l.order_id
             WHERE o.status IN {KEPT} AND o.store_id IN ({stores}))
         SELECT a.product_id, b.product_id, COUNT(*) AS shared
         FROM owners a JOIN owners b ON a.customer_id = b.customer_id AND a.product_id <> b.product_id
         WHERE a.customer_id <> ?1
           AND a.product_id IN (SELECT DISTINCT l.product_id FROM order_lines l
                                JOIN orders o ON o.id = l.order_id
                                WHERE o.customer_id = ?1 AND o.status IN {KEPT})
         GROUP BY a.product_id, b.product_id
         ORDER BY shared DESC, b.product_id, a.product_id",
        stores = placeholders(2, stores.len()),
    );
    let mut query = sqlx::query_as::<_, (String, String, i64)>(&sql).bind(customer_id.as_str());
    for store in stores {
        query = query.bind(store.as_str());
    }
    let pairs = query.fetch_all(&mut *conn).await?;
    let mut picked: Vec<(String, RecommendationReason)> = Vec::new();
    let mut chosen = BTreeSet::new();
    for (owned_product, other, shared) in pairs {
        if picked.len() >= MAX_CO_PURCHASES {
            break;
        }
        if excluded(&other) || !chosen.insert(other.clone()) {
            continue;
        }
        let owned_product_name: String =
            sqlx::query_scalar("SELECT name FROM products WHERE id = ?")
                .bind(&owned_product)
                .fetch_one(&mut *conn)
                .await?;
        picked.push((
            other,
            RecommendationReason::BoughtTogether {
                owned_product_name,
                customers: u32::try_from(shared).unwrap_or(u32::MAX),
            },
        ));
    }

    // Their favourite category among what they kept, and the size they buy in it.
    let favourite: Option<(String, String)> = sqlx::query_as(&format!(
        "SELECT p.category, l.size FROM order_lines l
         JOIN orders o ON o.id = l.order_id JOIN products p ON p.id = l.product_id
         WHERE o.customer_id = ? AND o.status IN {KEPT}
         GROUP BY p.category, l.size ORDER BY SUM(l.quantity) DESC, p.category, l.size LIMIT 1"
    ))
    .bind(customer_id.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let mut sized: BTreeMap<String, String> = BTreeMap::new();
    if let Some((category, size)) = favourite {
        let label = Category::parse(&category).map_or(category.clone(), |c| c.label().to_owned());
        // The category's products in that size with stock in these stores, the most
        // bought in these stores first.
        let sql = format!(
            "SELECT p.id, MIN(v.id) FROM products p
             JOIN variants v ON v.product_id = p.id AND v.size = ?1
             JOIN stock s ON s.variant_id = v.id AND s.quantity > 0 AND s.store_id IN ({stores})
             WHERE p.category = ?2
             GROUP BY p.id
             ORDER BY (SELECT COUNT(*) FROM order_lines l WHERE l.product_id = p.id) DESC, p.id",
            stores = placeholders(3, stores.len()),
        );
        let mut query = sqlx::query_as::<_, (String, String)>(&sql)
            .bind(&size)
            .bind(&category);
        for store in stores {
            query = query.bind(store.as_str());
        }
        for (product, variant) in query.fetch_all(&mut *conn).await? {
            if picked.len() >= MAX_RECOMMENDATIONS {
                break;
            }
            if excluded(&product) || !chosen.insert(product.clone()) {
                continue;
            }
            sized.insert(product.clone(), variant);
            picked.push((
                product,
                RecommendationReason::SizeInCategory {
                    size: size.clone(),
                    category: label.clone(),
                },
            ));
        }
    }

    let mut recommendations = Vec::with_capacity(picked.len());
    for (product, reason) in picked {
        let row: Option<(String, i64)> = sqlx::query_as(
            "SELECT p.name, pp.minor FROM products p
             JOIN product_prices pp ON pp.product_id = p.id AND pp.currency = ?
             WHERE p.id = ?",
        )
        .bind(currency.code())
        .bind(&product)
        .fetch_optional(&mut *conn)
        .await?;
        let Some((product_name, minor)) = row else {
            continue;
        };
        let variant = match sized.get(&product) {
            Some(variant_id) => {
                sqlx::query_as::<_, (String, String, String)>(
                    "SELECT id, size, colour FROM variants WHERE id = ?",
                )
                .bind(variant_id)
                .fetch_optional(&mut *conn)
                .await?
            }
            None => None,
        };
        let product_id = ProductId(product);
        recommendations.push(Recommendation {
            image_url: image_path(&product_id),
            product_id,
            variant_label: variant
                .as_ref()
                .map(|(_, size, colour)| variant_label(size, colour)),
            variant_id: variant.map(|(id, _, _)| VariantId(id)),
            product_name,
            price: Money::new(minor, currency),
            reason,
        });
    }
    Ok(recommendations)
}
