//! The catalog in the local copy (M7, M9): products with their variants, prices and stock
//! per store, kept from the change feed (`apply`, `storage`) and searched offline as the
//! staff member types, by name, category, colour, SKU or a scanned barcode.

pub(crate) mod apply;
pub(crate) mod storage;

use clienteling_domain::catalog::{Currency, ProductMatch};
use clienteling_domain::ProductId;

use crate::engine::session::StoredSession;
use crate::engine::Core;
use crate::error::CoreError;

/// The most products one search answers.
pub const MAX_SEARCH_RESULTS: u32 = 200;

impl Core {
    /// The products of the local catalog `typed` finds, best first, at most `limit` (up
    /// to [`MAX_SEARCH_RESULTS`]): a barcode (EAN-8, UPC-A, EAN-13 or GTIN-14) finds the
    /// product of its variant, named in `scanned_variant`, and an unknown one finds
    /// nothing; other text finds the products with words starting with each typed word in
    /// their name, category, colours or SKUs. Prices are in the current store's currency.
    /// Works offline.
    pub async fn search_products(
        &self,
        typed: &str,
        limit: u32,
    ) -> Result<Vec<ProductMatch>, CoreError> {
        let stored = self.inner.require_session().await?;
        let currency = store_currency(&stored);
        let mut conn = self.inner.read().await?;
        let found = storage::search(&mut conn, typed, limit.clamp(1, MAX_SEARCH_RESULTS)).await?;
        Ok(found
            .into_iter()
            .map(|found| ProductMatch {
                price: found.product.price_in(currency),
                product: found.product,
                scanned_variant: found.scanned_variant,
            })
            .collect())
    }

    /// One product of the local catalog with its variants, stock per store and its price
    /// in the current store's currency. Works offline.
    pub async fn show_product(&self, id: &ProductId) -> Result<ProductMatch, CoreError> {
        let stored = self.inner.require_session().await?;
        let mut conn = self.inner.read().await?;
        let product = storage::get(&mut conn, id)
            .await?
            .ok_or_else(|| CoreError::UnknownProduct(id.to_string()))?;
        Ok(ProductMatch {
            price: product.price_in(store_currency(&stored)),
            product,
            scanned_variant: None,
        })
    }
}

/// The currency the current store sells in.
fn store_currency(stored: &StoredSession) -> Currency {
    stored
        .store(&stored.current_store_id)
        .map_or(Currency::Usd, |store| Currency::of_country(&store.country))
}
