//! The catalog's SQL: a product with its prices, variants and stock, and the search by
//! name, category, colour, SKU or barcode.

use clienteling_domain::catalog::{
    image_path, Category, Currency, Gtin, Money, Product, StockLevel, Variant,
};
use clienteling_domain::{ProductId, StoreId, VariantId};
use sqlx::SqliteConnection;

#[derive(sqlx::FromRow)]
struct ProductRow {
    id: String,
    name: String,
    description: String,
    category: String,
    collections: String,
}

#[derive(sqlx::FromRow)]
struct VariantRow {
    id: String,
    sku: String,
    size: String,
    colour: String,
    gtin: String,
}

/// One product with everything about it; `None` when unknown.
pub async fn product(
    conn: &mut SqliteConnection,
    id: &ProductId,
) -> Result<Option<Product>, sqlx::Error> {
    let row: Option<ProductRow> = sqlx::query_as(
        "SELECT id, name, description, category, collections FROM products WHERE id = ?",
    )
    .bind(id.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let prices: Vec<(String, i64)> = sqlx::query_as(
        "SELECT currency, minor FROM product_prices WHERE product_id = ? ORDER BY currency DESC",
    )
    .bind(&row.id)
    .fetch_all(&mut *conn)
    .await?;
    let variant_rows: Vec<VariantRow> = sqlx::query_as(
        "SELECT id, sku, size, colour, gtin FROM variants WHERE product_id = ? ORDER BY position",
    )
    .bind(&row.id)
    .fetch_all(&mut *conn)
    .await?;
    let stock: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT s.variant_id, s.store_id, s.quantity FROM stock s
         JOIN variants v ON v.id = s.variant_id WHERE v.product_id = ? ORDER BY s.store_id",
    )
    .bind(&row.id)
    .fetch_all(&mut *conn)
    .await?;
    let variants = variant_rows
        .into_iter()
        .filter_map(|v| {
            Some(Variant {
                stock: stock
                    .iter()
                    .filter(|(variant, _, _)| *variant == v.id)
                    .map(|(_, store, quantity)| StockLevel {
                        store_id: StoreId(store.clone()),
                        quantity: u32::try_from(*quantity).unwrap_or(0),
                    })
                    .collect(),
                id: VariantId(v.id),
                sku: v.sku,
                size: v.size,
                colour: v.colour,
                gtin: Gtin::parse(&v.gtin).ok()?,
            })
        })
        .collect();
    let id = ProductId(row.id);
    Ok(Some(Product {
        image_url: image_path(&id),
        id,
        name: row.name,
        description: row.description,
        category: Category::parse(&row.category).unwrap_or(Category::Accessories),
        collections: serde_json::from_str(&row.collections).unwrap_or_default(),
        prices: prices
            .into_iter()
            .filter_map(|(currency, minor)| Some(Money::new(minor, Currency::parse(&currency)?)))
            .collect(),
        variants,
    }))
}

/// The products `typed` finds, in catalog order, at most `limit`: a barcode (any GTIN
/// length) finds its product; other text matches a part of the name, the category, a
/// colour or a SKU, in any case. Empty text lists the catalog.
pub async fn search(
    conn: &mut SqliteConnection,
    typed: &str,
    limit: u32,
) -> Result<Vec<Product>, sqlx::Error> {
    let typed = typed.trim();
    let ids: Vec<String> = if let Ok(gtin) = Gtin::parse(typed) {
        sqlx::query_scalar("SELECT product_id FROM variants WHERE gtin = ?")
            .bind(gtin.as_str())
            .fetch_all(&mut *conn)
            .await?
    } else {
        sqlx::query_scalar(
            "SELECT p.id FROM products p
             WHERE ?1 = ''
                OR instr(lower(p.name), lower(?1)) > 0
                OR lower(p.category) = lower(?1)
                OR EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id
                           AND (lower(v.colour) = lower(?1) OR instr(lower(v.sku), lower(?1)) > 0))
             ORDER BY p.position LIMIT ?2",
        )
        .bind(typed)
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await?
    };
    let mut products = Vec::with_capacity(ids.len());
    for id in ids {
        products.extend(product(conn, &ProductId(id)).await?);
    }
    Ok(products)
}
