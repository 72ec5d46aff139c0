//! Stars (C1): the signed-in staff member stars a customer on this device at once, offline
//! as online, and the outbox takes it to the backend (`Subject::Customer`); their other
//! devices hear of it through the feed, whose star changes only they receive. A star still
//! waiting in the outbox wins over what the feed says meanwhile; one the backend refuses
//! is put back as it was, and the UI hears why.

use clienteling_domain::assignment::CustomerStar;
use clienteling_domain::CustomerId;
use reqwest::Method;
use sqlx::SqliteConnection;

use super::storage as customers;
use crate::backend::{Backend, RequestError};
use crate::engine::Core;
use crate::error::CoreError;
use crate::outbox::storage::{
    self as outbox, OutboxAction, Subject, STAR_CUSTOMER, UNSTAR_CUSTOMER,
};

impl Core {
    /// Stars the customer for the signed-in staff member (C1), at once on this device; the
    /// backend hears of it when it can be reached.
    pub async fn star_customer(&self, id: &CustomerId) -> Result<(), CoreError> {
        self.set_star(id, true).await
    }

    /// Takes the signed-in staff member's star off the customer (C1).
    pub async fn unstar_customer(&self, id: &CustomerId) -> Result<(), CoreError> {
        self.set_star(id, false).await
    }

    async fn set_star(&self, id: &CustomerId, starred: bool) -> Result<(), CoreError> {
        self.inner.require_session().await?;
        let mut tx = self.inner.db.write().await?;
        if customers::get(&mut tx, id).await?.is_none() {
            return Err(CoreError::UnknownCustomer(id.to_string()));
        }
        save(&mut tx, id, starred).await?;
        let action = if starred {
            OutboxAction::StarCustomer
        } else {
            OutboxAction::UnstarCustomer
        };
        outbox::enqueue(
            &mut tx,
            &Subject::Customer(id.clone()),
            &action,
            self.inner.clock.now(),
        )
        .await?;
        tx.commit().await?;
        self.inner.outbox_wake.notify_one();
        Ok(())
    }
}

/// `PUT` or `DELETE /customers/{id}/star`, for the outbox worker.
pub(crate) async fn send(
    backend: &Backend,
    token: &str,
    id: &CustomerId,
    starred: bool,
) -> Result<(), RequestError> {
    let method = if starred { Method::PUT } else { Method::DELETE };
    let path = format!("/customers/{}/star", id.as_str());
    backend.send_empty(token, method, &path).await
}

async fn save(
    conn: &mut SqliteConnection,
    id: &CustomerId,
    starred: bool,
) -> Result<(), CoreError> {
    sqlx::query(
        "INSERT INTO customer_stars (customer_id, starred) VALUES (?, ?)
         ON CONFLICT (customer_id) DO UPDATE SET starred = excluded.starred",
    )
    .bind(id.as_str())
    .bind(starred)
    .execute(conn)
    .await?;
    Ok(())
}

/// Stores the stars of a page of the feed, except those of customers whose star change
/// still waits in the outbox; `keep_known` (a backfill's older page) leaves the stars
/// already known as they are.
pub(crate) async fn apply(
    conn: &mut SqliteConnection,
    stars: &[&CustomerStar],
    keep_known: bool,
) -> Result<(), CoreError> {
    for star in stars {
        let waiting: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE subject = ? AND kind IN (?, ?)")
                .bind(Subject::Customer(star.customer_id.clone()).encode())
                .bind(STAR_CUSTOMER)
                .bind(UNSTAR_CUSTOMER)
                .fetch_one(&mut *conn)
                .await?;
        if waiting > 0 {
            continue;
        }
        if keep_known {
            sqlx::query(
                "INSERT INTO customer_stars (customer_id, starred) VALUES (?, ?)
                 ON CONFLICT (customer_id) DO NOTHING",
            )
            .bind(star.customer_id.as_str())
            .bind(star.starred)
            .execute(&mut *conn)
            .await?;
        } else {
            save(conn, &star.customer_id, star.starred).await?;
        }
    }
    Ok(())
}

/// After the outbox gave up a star `action` (the backend refused it): unless another star
/// change of the customer still waits (the latest wish wins), the star is put back as it
/// was before; answers whether it was.
pub(crate) async fn given_up(
    conn: &mut SqliteConnection,
    id: &CustomerId,
    action: &OutboxAction,
) -> Result<bool, CoreError> {
    let before = match action {
        OutboxAction::StarCustomer => false,
        OutboxAction::UnstarCustomer => true,
        _ => return Ok(false),
    };
    if waiting(conn, id).await? {
        return Ok(false);
    }
    save(conn, id, before).await?;
    Ok(true)
}

/// Whether a star change of the customer waits in the outbox.
async fn waiting(conn: &mut SqliteConnection, id: &CustomerId) -> Result<bool, CoreError> {
    let waiting: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE subject = ? AND kind IN (?, ?)")
            .bind(Subject::Customer(id.clone()).encode())
            .bind(STAR_CUSTOMER)
            .bind(UNSTAR_CUSTOMER)
            .fetch_one(conn)
            .await?;
    Ok(waiting > 0)
}

/// Whether the signed-in staff member starred the customer.
pub(crate) async fn is_starred(
    conn: &mut SqliteConnection,
    id: &CustomerId,
) -> Result<bool, CoreError> {
    let starred: Option<bool> =
        sqlx::query_scalar("SELECT starred FROM customer_stars WHERE customer_id = ?")
            .bind(id.as_str())
            .fetch_optional(conn)
            .await?;
    Ok(starred.unwrap_or(false))
}
