//! Assigning a customer to stores and staff (C3), an online action: the company's staff
//! for the picker, the assignment checked by the domain's rule and then saved by the
//! backend (whose answer is stored at once; every device also hears of it through the
//! feed), and the assignment's audit. Without the backend each says it needs it.

use clienteling_domain::api::{Customer, Staff};
use clienteling_domain::assignment::{self, AssignmentEntry, AssignmentRequest};
use clienteling_domain::{CustomerId, StoreId};

use super::storage as customers;
use crate::backend::{RequestError, REQUEST_TIMEOUT};
use crate::engine::Core;
use crate::error::CoreError;

impl Core {
    /// The company's staff with their stores, by name (C3): whom a customer can be
    /// assigned to. Needs the backend and the `assign_customers` permission.
    pub async fn list_staff(&self) -> Result<Vec<Staff>, CoreError> {
        let stored = self.inner.require_session().await?;
        self.inner
            .backend
            .get_json(&stored.token, "/staff", &[], REQUEST_TIMEOUT)
            .await
            .map_err(|error| online("Listing the staff", error))
    }

    /// Assigns the customer to exactly these stores and staff (C3), checked first by the
    /// domain's rule against the company's staff, then saved by the backend; answers the
    /// customer as now assigned, already stored locally.
    pub async fn assign_customer(
        &self,
        id: &CustomerId,
        request: &AssignmentRequest,
    ) -> Result<Customer, CoreError> {
        let stored = self.inner.require_session().await?;
        let staff = self.list_staff().await?;
        let mut stores: Vec<StoreId> = staff
            .iter()
            .flat_map(|member| member.store_ids.iter().cloned())
            .chain(stored.stores.iter().map(|store| store.id.clone()))
            .collect();
        stores.sort();
        stores.dedup();
        assignment::validate(request, &stores, &staff)?;
        let path = format!("/customers/{}/assignment", id.as_str());
        let customer: Customer = self
            .inner
            .backend
            .send_json(reqwest::Method::PUT, &stored.token, &path, Some(request))
            .await
            .map_err(|error| online("Assigning", error))?;
        let mut tx = self.inner.db.write().await?;
        customers::upsert(&mut tx, &[&customer]).await?;
        tx.commit().await?;
        Ok(customer)
    }

    /// The customer's assignment audit, newest first (C3). Needs the backend.
    pub async fn list_assignments(
        &self,
        id: &CustomerId,
    ) -> Result<Vec<AssignmentEntry>, CoreError> {
        let stored = self.inner.require_session().await?;
        let path = format!("/customers/{}/assignments", id.as_str());
        self.inner
            .backend
            .get_json(&stored.token, &path, &[], REQUEST_TIMEOUT)
            .await
            .map_err(|error| online("The assignment history", error))
    }
}

/// `error` of an online action: unreachable becomes "`what` needs the backend".
fn online(what: &'static str, error: RequestError) -> CoreError {
    match error {
        RequestError::Transport(_) => CoreError::NeedsBackend(what),
        other => CoreError::from(other),
    }
}
