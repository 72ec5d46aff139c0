//! Applying the feed's `order` and `wishlist_item` changes to the local copy: the live feed
//! and the snapshot replace what is older, a backfill's page only adds what is missing;
//! when following, one event names the customers whose purchases changed.

use clienteling_domain::api::{Change, ChangeData};
use clienteling_domain::view::AppEvent;
use sqlx::SqliteConnection;

use super::storage::{self, Overwrite};
use crate::error::CoreError;
use crate::sync::apply::ApplyMode;

/// Applies the orders and wishlist items among `changes`; answers the event to emit once
/// the transaction commits, if any.
pub async fn apply(
    conn: &mut SqliteConnection,
    changes: &[Change],
    mode: ApplyMode,
) -> Result<Option<AppEvent>, CoreError> {
    let mut orders = Vec::new();
    let mut wishes = Vec::new();
    for change in changes {
        match &change.data {
            ChangeData::Order(order) => orders.push(order),
            ChangeData::WishlistItem(item) => wishes.push(item),
            _ => {}
        }
    }
    if orders.is_empty() && wishes.is_empty() {
        return Ok(None);
    }
    let overwrite = match mode {
        ApplyMode::Backfill => Overwrite::Never,
        ApplyMode::Snapshot | ApplyMode::Follow => Overwrite::UnlessNewer,
    };
    orders.sort_by_key(|order| order.updated_at);
    let mut customer_ids = storage::write_orders(conn, &orders, overwrite).await?;
    for id in storage::write_wishlist(conn, &wishes, overwrite).await? {
        if !customer_ids.contains(&id) {
            customer_ids.push(id);
        }
    }
    Ok((mode == ApplyMode::Follow && !customer_ids.is_empty())
        .then_some(AppEvent::PurchasesChanged { customer_ids }))
}
