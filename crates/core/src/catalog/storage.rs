//! The local `products`, `variants` and `product_search` tables: the catalog as the feed
//! brought it, its barcodes, and the full-text index the search as you type reads (M7, M9).

use clienteling_domain::catalog::{Gtin, Product};
use clienteling_domain::{ProductId, VariantId};
use sqlx::{Row, SqliteConnection};

use crate::columns::{from_json, to_json};
use crate::error::CoreError;

/// How a write treats a product already stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Replace it (the live feed and the snapshot bring the product as it is now).
    Always,
    /// Keep it (a backfill's older page never overwrites what the live feed brought).
    Never,
}

/// A product a search found, and the variant a scanned barcode names.
#[derive(Debug)]
pub struct Found {
    /// The product.
    pub product: Product,
    /// The variant whose barcode was searched, if the search was a barcode.
    pub scanned_variant: Option<VariantId>,
}

/// Stores `products` with their variants and their row of the search index; answers how
/// many were written.
pub async fn write(
    conn: &mut SqliteConnection,
    products: &[&Product],
    overwrite: Overwrite,
) -> Result<usize, CoreError> {
    let on_conflict = match overwrite {
        Overwrite::Always => {
            " ON CONFLICT (id) DO UPDATE SET name = excluded.name, \
             category = excluded.category, product = excluded.product"
        }
        Overwrite::Never => " ON CONFLICT (id) DO NOTHING",
    };
    let mut written = 0;
    for product in products {
        let json = to_json("products.product", product)?;
        let rowid: Option<i64> = sqlx::query_scalar(&format!(
            "INSERT INTO products (id, name, category, product) VALUES (?, ?, ?, ?){on_conflict} \
             RETURNING rowid"
        ))
        .bind(product.id.as_str())
        .bind(&product.name)
        .bind(product.category.label())
        .bind(&json)
        .fetch_optional(&mut *conn)
        .await?;
        let Some(rowid) = rowid else { continue };
        written += 1;
        sqlx::query("DELETE FROM variants WHERE product_id = ?")
            .bind(product.id.as_str())
            .execute(&mut *conn)
            .await?;
        for (position, variant) in product.variants.iter().enumerate() {
            sqlx::query(
                "INSERT INTO variants (id, product_id, position, sku, colour, gtin) \
                 VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(variant.id.as_str())
            .bind(product.id.as_str())
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .bind(&variant.sku)
            .bind(&variant.colour)
            .bind(variant.gtin.as_str())
            .execute(&mut *conn)
            .await?;
        }
        sqlx::query("DELETE FROM product_search WHERE rowid = ?")
            .bind(rowid)
            .execute(&mut *conn)
            .await?;
        let mut colours: Vec<&str> = product.variants.iter().map(|v| v.colour.as_str()).collect();
        colours.sort_unstable();
        colours.dedup();
        let skus: Vec<&str> = product.variants.iter().map(|v| v.sku.as_str()).collect();
        sqlx::query(
            "INSERT INTO product_search (rowid, name, category, colours, skus) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(rowid)
        .bind(&product.name)
        .bind(product.category.label())
        .bind(colours.join(" "))
        .bind(skus.join(" "))
        .execute(&mut *conn)
        .await?;
    }
    Ok(written)
}

/// One product; `None` when the local copy does not hold it.
pub async fn get(
    conn: &mut SqliteConnection,
    id: &ProductId,
) -> Result<Option<Product>, CoreError> {
    let json: Option<String> = sqlx::query_scalar("SELECT product FROM products WHERE id = ?")
        .bind(id.as_str())
        .fetch_optional(conn)
        .await?;
    json.map(|json| from_json("products.product", &json))
        .transpose()
}

/// The products `typed` finds, at most `limit`: a barcode (any GTIN length, normalised to
/// GTIN-14) finds the product of its variant and nothing else; other text finds the
/// products whose name, category, colours or SKUs hold words starting with each typed
/// word, best matches first. Empty text lists the catalog by name.
pub async fn search(
    conn: &mut SqliteConnection,
    typed: &str,
    limit: u32,
) -> Result<Vec<Found>, CoreError> {
    let typed = typed.trim();
    if let Ok(gtin) = Gtin::parse(typed) {
        let rows = sqlx::query(
            "SELECT p.product, v.id AS variant_id FROM variants v \
             JOIN products p ON p.id = v.product_id WHERE v.gtin = ? LIMIT ?",
        )
        .bind(gtin.as_str())
        .bind(i64::from(limit))
        .fetch_all(conn)
        .await?;
        return rows
            .iter()
            .map(|row| {
                Ok(Found {
                    product: from_json("products.product", row.try_get("product")?)?,
                    scanned_variant: Some(VariantId(row.try_get("variant_id")?)),
                })
            })
            .collect();
    }
    let products: Vec<String> = match match_expression(typed) {
        Some(expression) => {
            sqlx::query_scalar(
                "SELECT p.product FROM product_search s JOIN products p ON p.rowid = s.rowid \
                 WHERE product_search MATCH ? ORDER BY s.rank, p.name LIMIT ?",
            )
            .bind(expression)
            .bind(i64::from(limit))
            .fetch_all(conn)
            .await?
        }
        None if typed.is_empty() => {
            sqlx::query_scalar("SELECT product FROM products ORDER BY name, id LIMIT ?")
                .bind(i64::from(limit))
                .fetch_all(conn)
                .await?
        }
        None => Vec::new(),
    };
    products
        .iter()
        .map(|json| {
            Ok(Found {
                product: from_json("products.product", json)?,
                scanned_variant: None,
            })
        })
        .collect()
}

/// The full-text query for what was typed: each word a phrase of its letters and digits
/// (as the index splits them, so "KN-0042" is "kn" then "0042"), its last part a prefix,
/// all words required. `None` when nothing searchable was typed. Only letters and digits
/// reach the expression, so no typed character is read as query syntax.
fn match_expression(typed: &str) -> Option<String> {
    let phrases: Vec<String> = typed
        .split_whitespace()
        .filter_map(|word| {
            let parts: Vec<&str> = word
                .split(|c: char| !c.is_alphanumeric())
                .filter(|part| !part.is_empty())
                .collect();
            (!parts.is_empty()).then(|| format!("\"{}\"*", parts.join(" ")))
        })
        .collect();
    (!phrases.is_empty()).then(|| phrases.join(" "))
}

#[cfg(test)]
mod tests {
    use super::match_expression;

    #[test]
    fn m7_typed_words_become_prefix_phrases_of_letters_and_digits_only() {
        assert_eq!(
            match_expression("KN-0042 nav"),
            Some("\"KN 0042\"* \"nav\"*".to_owned()),
            "a SKU's parts stay one phrase and every word is a prefix"
        );
        assert_eq!(
            match_expression("\"* ( ) :^"),
            None,
            "punctuation typed alone searches for nothing"
        );
        assert_eq!(
            match_expression("merino\" OR x"),
            Some("\"merino\"* \"OR\"* \"x\"*".to_owned()),
            "quotes are dropped and operators are quoted as words"
        );
    }
}
