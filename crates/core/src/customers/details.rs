//! Creating a customer (C12) and editing their details (C13): online actions.
//!
//! Why online and not through the outbox: a creation is only good once the backend has
//! checked that no other customer of the company has the phone or email, which no device
//! can know, so a customer made offline could be refused hours later with the associate
//! long gone from the form. The form is checked here by the domain's rules first (the
//! phone read in the current store's country), then sent; offline it answers "you are
//! offline: the customer was not created; try again" and nothing is stored, and the form
//! keeps what was typed. The backend's answer is stored in the local copy at once (the
//! feed brings the same customer again later, and to the store's other devices).
//!
//! An edit goes the same way (checked, sent, the answer stored), so the profile never
//! shows details the backend refused; offline it says the edit needs the backend.

use clienteling_domain::api::Customer;
use clienteling_domain::customer_details::{CustomerDraft, UpdateCustomerRequest};
use clienteling_domain::CustomerId;

use super::storage as customers;
use crate::backend::RequestError;
use crate::engine::Core;
use crate::error::CoreError;

impl Core {
    /// Creates the customer of `draft` in the current store (C12), assigned to the
    /// signed-in staff member; answers the customer as the backend has them, already in
    /// the local copy.
    pub async fn create_customer(&self, draft: &CustomerDraft) -> Result<Customer, CoreError> {
        let stored = self.inner.require_session().await?;
        let store = stored
            .stores
            .iter()
            .find(|store| store.id == stored.current_store_id)
            .ok_or_else(|| CoreError::UnknownStore(stored.current_store_id.to_string()))?;
        let request = draft.request(store.id.clone());
        request.validate(&store.country)?;
        let customer: Customer = self
            .inner
            .backend
            .send_json(
                reqwest::Method::POST,
                &stored.token,
                "/customers",
                Some(&request),
            )
            .await
            .map_err(|error| match error {
                RequestError::Transport(_) => CoreError::NotCreatedOffline,
                other => CoreError::from(other),
            })?;
        self.store(&customer).await?;
        Ok(customer)
    }

    /// Changes the customer's name, gender and date of birth (C13), checked first by the
    /// domain's rules; answers the customer as the backend now has them, already stored.
    pub async fn update_customer(
        &self,
        id: &CustomerId,
        request: &UpdateCustomerRequest,
    ) -> Result<Customer, CoreError> {
        let stored = self.inner.require_session().await?;
        request.validate(self.inner.clock.now())?;
        let path = format!("/customers/{}", id.as_str());
        let customer: Customer = self
            .inner
            .backend
            .send_json(reqwest::Method::PATCH, &stored.token, &path, Some(request))
            .await
            .map_err(|error| match error {
                RequestError::Transport(_) => CoreError::NeedsBackend("Editing a customer"),
                other => CoreError::from(other),
            })?;
        self.store(&customer).await?;
        Ok(customer)
    }

    async fn store(&self, customer: &Customer) -> Result<(), CoreError> {
        let mut tx = self.inner.db.write().await?;
        customers::upsert(&mut tx, &[customer]).await?;
        tx.commit().await?;
        Ok(())
    }
}
