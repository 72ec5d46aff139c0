//! What customers bought and wish for (C6, C8), kept from the change feed (`apply`,
//! `storage`), and what the backend recommends for them (C7): fetched when a profile opens
//! and kept, so an offline profile shows the last ones.

pub(crate) mod apply;
pub(crate) mod storage;

use std::time::Duration;

use clienteling_domain::order::{Order, Recommendation, WishlistItem};
use clienteling_domain::view::PROFILE_ORDERS;
use clienteling_domain::CustomerId;
use sqlx::SqliteConnection;

use crate::engine::Core;
use crate::error::CoreError;

/// How long a profile waits for the backend's recommendations before showing the kept ones.
const RECOMMENDATIONS_LIMIT: Duration = Duration::from_secs(5);

/// The purchases part of a customer's profile, from the local copy.
pub(crate) struct Purchases {
    /// The latest orders, most recent first.
    pub orders: Vec<Order>,
    /// How many orders in all.
    pub order_count: u32,
    /// The wishlist, most recently added first.
    pub wishlist: Vec<WishlistItem>,
    /// The recommendations last kept.
    pub recommendations: Vec<Recommendation>,
}

/// Reads a customer's purchases from the local copy.
pub(crate) async fn purchases(
    conn: &mut SqliteConnection,
    id: &CustomerId,
) -> Result<Purchases, CoreError> {
    Ok(Purchases {
        orders: storage::orders_of(&mut *conn, id, PROFILE_ORDERS).await?,
        order_count: storage::order_count(&mut *conn, id).await?,
        wishlist: storage::wishlist_of(&mut *conn, id).await?,
        recommendations: storage::recommendations_of(&mut *conn, id).await?,
    })
}

impl Core {
    /// Asks the backend what to recommend to a customer now (C7), keeps the answer and
    /// returns it. Offline or when the backend fails, the error says so and the kept ones
    /// stay (the profile shows them).
    pub async fn refresh_recommendations(
        &self,
        id: &CustomerId,
    ) -> Result<Vec<Recommendation>, CoreError> {
        let stored = self.inner.require_session().await?;
        let path = format!("/customers/{}/recommendations", id.as_str());
        let fetched = self
            .inner
            .backend
            .get_json::<Vec<Recommendation>>(&stored.token, &path, &[], RECOMMENDATIONS_LIMIT)
            .await;
        let recommendations = match fetched {
            Ok(recommendations) => recommendations,
            Err(error) if error.is_unauthorized() => {
                self.inner.end_refused_session_or_log().await;
                return Err(error.into());
            }
            Err(error) => return Err(error.into()),
        };
        let mut tx = self.inner.db.write().await?;
        storage::replace_recommendations(&mut tx, id, &recommendations, self.inner.clock.now())
            .await?;
        tx.commit().await?;
        Ok(recommendations)
    }
}
