//! Editing a customer's details through the outbox (C13): the edit is shown at once (the
//! `customers` row carries it, so the profile and the clientbook show it), queued as a
//! `PATCH /customers/{id}` whose body carries the edit's id as idempotency key, and sent in
//! order with the customer's other actions, after a restart too. While an edit waits, the
//! details as the backend last had them are kept in `customer_details_confirmed` (the feed
//! keeps them current without overwriting the edit on screen); an accepted edit stores the
//! backend's customer, a refused one puts the backend's details back.

use std::collections::HashMap;

use clienteling_domain::api::Customer;
use clienteling_domain::attribute::Date;
use clienteling_domain::customer_details::{Gender, UpdateCustomerRequest};
use clienteling_domain::{CustomerId, Timestamp};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use super::storage as customers;
use crate::backend::{Backend, RequestError};
use crate::columns::{from_json, to_json};
use crate::error::CoreError;
use crate::outbox::storage::{Subject, EDIT_CUSTOMER};

/// A customer's own details as a profile edits them, and when the backend stamped them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Details {
    first_name: String,
    last_name: String,
    gender: Option<Gender>,
    birth_date: Option<Date>,
    updated_at: Timestamp,
}

impl Details {
    fn of(customer: &Customer) -> Details {
        Details {
            first_name: customer.first_name.clone(),
            last_name: customer.last_name.clone(),
            gender: customer.gender,
            birth_date: customer.birth_date,
            updated_at: customer.updated_at,
        }
    }

    /// `customer` with these details (the rest of the record as it is).
    fn put_on(&self, customer: &Customer) -> Customer {
        Customer {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            gender: self.gender,
            birth_date: self.birth_date,
            ..customer.clone()
        }
    }
}

/// `customer` as a queued edit (checked and trimmed by the domain's rule) shows them.
fn edited(customer: &Customer, edit: &UpdateCustomerRequest) -> Result<Customer, CoreError> {
    let birth_date = edit
        .birth_date
        .as_deref()
        .map(Date::parse)
        .transpose()
        .map_err(|e| CoreError::Corrupt(format!("a queued edit's date of birth: {e}")))?;
    Ok(Customer {
        first_name: edit.first_name.clone(),
        last_name: edit.last_name.clone(),
        gender: edit.gender,
        birth_date,
        ..customer.clone()
    })
}

/// Whether an edit of `customer_id`'s details waits in the outbox.
pub async fn is_waiting(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
) -> Result<bool, CoreError> {
    let waiting: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE subject = ? AND kind = ?")
            .bind(Subject::Customer(customer_id.clone()).encode())
            .bind(EDIT_CUSTOMER)
            .fetch_one(conn)
            .await?;
    Ok(waiting > 0)
}

/// Shows `edit` on `stored` (the customer as the local copy has them), keeping the
/// backend's details first if no other edit waits; answers the customer as now shown.
/// The caller queues the edit in the same transaction.
pub async fn show_local(
    conn: &mut SqliteConnection,
    stored: &Customer,
    edit: &UpdateCustomerRequest,
) -> Result<Customer, CoreError> {
    sqlx::query(
        "INSERT INTO customer_details_confirmed (customer_id, details) VALUES (?, ?) \
         ON CONFLICT (customer_id) DO NOTHING",
    )
    .bind(stored.id.as_str())
    .bind(to_json(
        "customer_details_confirmed.details",
        &Details::of(stored),
    )?)
    .execute(&mut *conn)
    .await?;
    let shown = edited(stored, edit)?;
    customers::show(conn, &shown).await?;
    Ok(shown)
}

/// After customers from the backend were stored: for those with an edit waiting, keeps
/// the backend's details as the confirmed ones and shows the latest waiting edit again.
pub async fn keep_waiting(
    conn: &mut SqliteConnection,
    arrived: &[&Customer],
) -> Result<(), CoreError> {
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT subject, payload FROM outbox WHERE kind = ? ORDER BY seq")
            .bind(EDIT_CUSTOMER)
            .fetch_all(&mut *conn)
            .await?;
    if rows.is_empty() {
        return Ok(());
    }
    let mut latest: HashMap<String, Option<String>> = HashMap::new();
    for (subject, payload) in rows {
        latest.insert(subject, payload);
    }
    for customer in arrived {
        let subject = Subject::Customer(customer.id.clone()).encode();
        let Some(payload) = latest.get(&subject) else {
            continue;
        };
        confirm(conn, customer).await?;
        // A row that cannot be read back is failed by the outbox worker, which puts the
        // backend's details back; until then the backend's copy shows.
        let shown = match payload.as_deref().map(|p| from_json("outbox.payload", p)) {
            Some(Ok(edit)) => edited(customer, &edit)?,
            Some(Err(_)) | None => (*customer).clone(),
        };
        customers::show(conn, &shown).await?;
    }
    Ok(())
}

/// Keeps `customer`'s details as the backend's, unless newer ones are kept.
async fn confirm(conn: &mut SqliteConnection, customer: &Customer) -> Result<(), CoreError> {
    sqlx::query(
        "INSERT INTO customer_details_confirmed (customer_id, details) VALUES (?, ?) \
         ON CONFLICT (customer_id) DO UPDATE SET details = excluded.details \
         WHERE json_extract(customer_details_confirmed.details, '$.updated_at') \
               <= json_extract(excluded.details, '$.updated_at')",
    )
    .bind(customer.id.as_str())
    .bind(to_json(
        "customer_details_confirmed.details",
        &Details::of(customer),
    )?)
    .execute(conn)
    .await?;
    Ok(())
}

/// Sends a queued edit (`PATCH /customers/{id}`); answers the customer as the backend
/// now has them.
pub async fn send(
    backend: &Backend,
    token: &str,
    customer_id: &CustomerId,
    edit: &UpdateCustomerRequest,
) -> Result<Customer, RequestError> {
    let path = format!("/customers/{}", customer_id.as_str());
    backend
        .send_json(Method::PATCH, token, &path, Some(edit))
        .await
}

/// Records the backend's customer after an accepted edit (its outbox row already
/// removed): stored unless the feed brought a newer copy, and shown once no other edit
/// of theirs waits.
pub async fn accepted(conn: &mut SqliteConnection, answer: &Customer) -> Result<(), CoreError> {
    confirm(conn, answer).await?;
    let newer = customers::get(conn, &answer.id)
        .await?
        .is_none_or(|stored| stored.updated_at <= answer.updated_at);
    if newer {
        customers::upsert(conn, &[answer]).await?;
    }
    settle(conn, &answer.id).await
}

/// After a refused edit of `customer_id` (its outbox row already removed), shows the
/// backend's details again unless another edit of theirs waits.
pub async fn refused(
    conn: &mut SqliteConnection,
    customer_id: &CustomerId,
) -> Result<(), CoreError> {
    settle(conn, customer_id).await
}

/// Once no edit of `customer_id` waits, shows the backend's details and lets them go.
async fn settle(conn: &mut SqliteConnection, customer_id: &CustomerId) -> Result<(), CoreError> {
    if is_waiting(conn, customer_id).await? {
        return Ok(());
    }
    let kept: Option<String> =
        sqlx::query_scalar("SELECT details FROM customer_details_confirmed WHERE customer_id = ?")
            .bind(customer_id.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    let Some(kept) = kept else {
        return Ok(());
    };
    let confirmed: Details = from_json("customer_details_confirmed.details", &kept)?;
    if let Some(stored) = customers::get(conn, customer_id).await? {
        customers::show(conn, &confirmed.put_on(&stored)).await?;
    }
    sqlx::query("DELETE FROM customer_details_confirmed WHERE customer_id = ?")
        .bind(customer_id.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::database::Database;
    use crate::outbox::storage::{self as outbox, OutboxAction};

    fn customer(first_name: &str, updated_at: i64) -> Customer {
        Customer {
            id: "cust-0001".into(),
            store_ids: vec!["store-nyc".into()],
            first_name: first_name.into(),
            last_name: "Hughes".into(),
            phone: None,
            email: None,
            assigned_staff_ids: Vec::new(),
            updated_at: Timestamp(updated_at),
            gender: None,
            birth_date: None,
            signed_up_at: None,
            active: true,
        }
    }

    async fn shown(conn: &mut SqliteConnection) -> Customer {
        customers::get(conn, &"cust-0001".into())
            .await
            .expect("the customer reads")
            .expect("the customer is stored")
    }

    #[tokio::test]
    async fn c13_the_feed_does_not_overwrite_a_waiting_edit_and_a_refusal_shows_its_latest_details()
    {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let db = Database::open(dir.path())
            .await
            .expect("the database opens and migrates");
        let mut conn = db.pool().acquire().await.expect("a connection");
        customers::upsert(&mut conn, &[&customer("Grace", 1)])
            .await
            .expect("stored");
        let edit = UpdateCustomerRequest {
            id: Some("0f8fad5b-d9cb-469f-a165-70867728950e".into()),
            first_name: "Mine".into(),
            last_name: "Hughes".into(),
            gender: None,
            birth_date: None,
        };
        let stored = shown(&mut conn).await;
        show_local(&mut conn, &stored, &edit).await.expect("shown");
        let subject = Subject::Customer("cust-0001".into());
        outbox::enqueue(
            &mut conn,
            &subject,
            &OutboxAction::EditCustomer(edit),
            Timestamp(2),
        )
        .await
        .expect("queued");

        let mut from_feed = customer("Colleague", 3);
        from_feed.assigned_staff_ids = vec!["staff-liam".into()];
        customers::upsert(&mut conn, &[&from_feed])
            .await
            .expect("stored");
        let during = shown(&mut conn).await;
        assert_eq!(
            during.first_name, "Mine",
            "the waiting edit stays on screen"
        );
        assert_eq!(
            during.assigned_staff_ids, from_feed.assigned_staff_ids,
            "while the rest of the record follows the feed"
        );

        sqlx::query("DELETE FROM outbox")
            .execute(&mut *conn)
            .await
            .expect("the row goes");
        refused(&mut conn, &"cust-0001".into())
            .await
            .expect("rolled back");
        assert_eq!(
            shown(&mut conn).await,
            from_feed,
            "a refusal shows the backend's latest details, the feed's, not those the edit replaced"
        );
        let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customer_details_confirmed")
            .fetch_one(&mut *conn)
            .await
            .expect("counts");
        assert_eq!(kept, 0, "nothing is kept once no edit waits");
    }
}
