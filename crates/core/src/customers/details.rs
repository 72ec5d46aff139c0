//! Creating a customer (C12), online, and editing their details (C13), offline too.
//!
//! Why creation is online and not through the outbox: a creation is only good once the
//! backend has checked that no other customer of the company has the phone or email, which
//! no device can know, so a customer made offline could be refused hours later with the
//! associate long gone from the form. The form is checked here by the domain's rules first
//! (the phone read in the current store's country), then sent; offline it answers "you are
//! offline: the customer was not created; try again" and nothing is stored, and the form
//! keeps what was typed. The backend's answer is stored in the local copy at once (the
//! feed brings the same customer again later, and to the store's other devices).
//!
//! An edit of the name, gender and date of birth needs no such check: it is checked by the
//! domain's rule, shown at once and sent through the outbox (`edits`), offline as online;
//! a refusal puts the backend's details back and says why.

use clienteling_domain::api::Customer;
use clienteling_domain::customer_details::{CustomerDraft, UpdateCustomerRequest};
use clienteling_domain::view::AppEvent;
use clienteling_domain::{CustomerId, EditId, Permission};

use super::edits;
use super::storage as customers;
use crate::backend::RequestError;
use crate::engine::Core;
use crate::error::CoreError;
use crate::outbox::storage::{self as outbox, OutboxAction, Subject};

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
    /// domain's rules: shown at once (answered as the local copy now shows them) and sent
    /// through the outbox under the request's id (a new one when it has none), offline too.
    pub async fn update_customer(
        &self,
        id: &CustomerId,
        request: &UpdateCustomerRequest,
    ) -> Result<Customer, CoreError> {
        let stored = self.inner.require_session().await?;
        stored.require(Permission::EditCustomers)?;
        let now = self.inner.clock.now();
        let edit = request.validate(now)?;
        let queued = UpdateCustomerRequest {
            id: Some(
                request
                    .id
                    .clone()
                    .unwrap_or_else(|| EditId(uuid::Uuid::new_v4().to_string())),
            ),
            first_name: edit.first_name,
            last_name: edit.last_name,
            gender: edit.gender,
            birth_date: edit.birth_date.map(|date| date.to_string()),
        };
        let mut tx = self.inner.db.write().await?;
        let customer = customers::get(&mut tx, id)
            .await?
            .ok_or_else(|| CoreError::UnknownCustomer(id.to_string()))?;
        let shown = edits::show_local(&mut tx, &customer, &queued).await?;
        let subject = Subject::Customer(id.clone());
        outbox::enqueue(&mut tx, &subject, &OutboxAction::EditCustomer(queued), now).await?;
        tx.commit().await?;
        self.inner.outbox_wake.notify_one();
        self.inner.emit(AppEvent::CustomersChanged {
            customer_ids: vec![id.clone()],
        });
        Ok(shown)
    }

    async fn store(&self, customer: &Customer) -> Result<(), CoreError> {
        let mut tx = self.inner.db.write().await?;
        customers::upsert(&mut tx, &[customer]).await?;
        tx.commit().await?;
        Ok(())
    }
}
