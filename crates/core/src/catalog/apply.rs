//! Applying the feed's `product` changes to the local copy: the live feed and the
//! snapshot replace the product, a backfill's page only adds what is missing.

use clienteling_domain::api::{Change, ChangeData};
use sqlx::SqliteConnection;

use super::storage::{self, Overwrite};
use crate::error::CoreError;
use crate::sync::apply::ApplyMode;

/// Applies the products among `changes`, in feed order; answers how many were written.
pub async fn apply(
    conn: &mut SqliteConnection,
    changes: &[Change],
    mode: ApplyMode,
) -> Result<usize, CoreError> {
    let mut products: Vec<_> = changes
        .iter()
        .filter_map(|change| match &change.data {
            ChangeData::Product(product) => Some((change.seq, product)),
            _ => None,
        })
        .collect();
    if products.is_empty() {
        return Ok(0);
    }
    products.sort_by_key(|(seq, _)| *seq);
    let products: Vec<_> = products.into_iter().map(|(_, product)| product).collect();
    let overwrite = match mode {
        ApplyMode::Backfill => Overwrite::Never,
        ApplyMode::Snapshot | ApplyMode::Follow => Overwrite::Always,
    };
    storage::write(conn, &products, overwrite).await
}
