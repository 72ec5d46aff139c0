//! Customer attributes (C15) and the profile layout (C2): the configuration fetched from
//! the backend at sign-in (`GET /config/attributes`, `GET /config/customer-layout`) and
//! kept for offline use; a profile's attribute rows; setting a value, checked by the
//! domain's rule, or clearing one, stored at once and sent through the outbox
//! (`Subject::Customer`, B1);
//! the values the feed brings (`customer_attributes` entries, applied by `sync::apply`);
//! and the filter SQL of the clientbook (`storage::filter_sql`, C5).

pub(crate) mod storage;

use clienteling_domain::attribute::{
    check_value, AttributeDefinition, AttributeError, AttributeValue, CustomerAttribute,
    CustomerAttributes, SetAttributeRequest,
};
use clienteling_domain::layout::CustomerLayout;
use clienteling_domain::view::{AppEvent, AttributeRow, ProfileAttributes};
use clienteling_domain::{CustomerId, Permission};
use serde::{Deserialize, Serialize};

use crate::backend::{RequestError, REQUEST_TIMEOUT};
use crate::customers::storage as customers;
use crate::engine::{Core, Inner};
use crate::error::CoreError;
use crate::outbox::storage as outbox;

/// A value change waiting in the outbox: the request, and the value it replaced locally
/// (put back if the backend refuses the change).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuedSet {
    /// What is sent.
    #[serde(flatten)]
    pub request: SetAttributeRequest,
    /// The value stored before, if any.
    pub previous: Option<CustomerAttribute>,
}

impl Core {
    /// The configured attribute definitions, from the local copy (the clientbook builds
    /// its filters from those marked filterable, C5).
    pub async fn list_attribute_definitions(&self) -> Result<Vec<AttributeDefinition>, CoreError> {
        self.inner.require_session().await?;
        storage::definitions(&mut *self.inner.read().await?).await
    }

    /// The profile's layout and a customer's attribute rows (C2, C15), from the local copy:
    /// every configured attribute with the customer's value, who set it and when, whether
    /// a change waits to be sent, and whether the signed-in staff member may edit.
    pub async fn show_customer_attributes(
        &self,
        customer_id: &CustomerId,
    ) -> Result<ProfileAttributes, CoreError> {
        let stored = self.inner.require_session().await?;
        let mut conn = self.inner.read().await?;
        customers::get(&mut conn, customer_id)
            .await?
            .ok_or_else(|| CoreError::UnknownCustomer(customer_id.to_string()))?;
        let definitions = storage::definitions(&mut conn).await?;
        let layout = storage::layout(&mut conn).await?;
        let mut values = storage::values(&mut conn, customer_id).await?;
        let pending = storage::pending_keys(&mut conn, customer_id).await?;
        let rows = definitions
            .into_iter()
            .map(|definition| {
                let value = values
                    .iter()
                    .position(|v| v.key == definition.key)
                    .map(|at| values.swap_remove(at));
                AttributeRow {
                    pending: pending.contains(&definition.key),
                    definition,
                    value,
                }
            })
            .collect();
        Ok(ProfileAttributes {
            layout,
            rows,
            can_edit: stored.staff.role.allows(Permission::EditCustomers),
        })
    }

    /// Sets one of a customer's attribute values (C15): checked against its definition by
    /// the domain's rule (as the backend checks it), stored at once as set by the signed-in
    /// staff member, and queued for the backend, which stamps it with its own clock. Works
    /// offline; the change goes out once the backend is reachable, also after a restart.
    pub async fn set_attribute(
        &self,
        customer_id: &CustomerId,
        key: &str,
        value: AttributeValue,
    ) -> Result<ProfileAttributes, CoreError> {
        self.change_attribute(customer_id, key, Some(value)).await
    }

    /// Clears one of a customer's attribute values (C15), as an edit of it: an editable
    /// attribute only, gone from the profile at once and queued for the backend (offline
    /// too); a refusal puts the value back. Clearing a value the customer does not have
    /// changes nothing.
    pub async fn clear_attribute(
        &self,
        customer_id: &CustomerId,
        key: &str,
    ) -> Result<ProfileAttributes, CoreError> {
        self.change_attribute(customer_id, key, None).await
    }

    /// Sets (`Some`) or clears (`None`) a value, stored at once and queued.
    async fn change_attribute(
        &self,
        customer_id: &CustomerId,
        key: &str,
        value: Option<AttributeValue>,
    ) -> Result<ProfileAttributes, CoreError> {
        let stored = self.inner.require_session().await?;
        stored.require(Permission::EditCustomers)?;
        let now = self.inner.clock.now();
        let mut tx = self.inner.db.write().await?;
        customers::get(&mut tx, customer_id)
            .await?
            .ok_or_else(|| CoreError::UnknownCustomer(customer_id.to_string()))?;
        let definitions = storage::definitions(&mut tx).await?;
        let definition = editable(&definitions, key)?;
        let value = value
            .map(|value| check_value(definition, &value))
            .transpose()?;
        let previous = storage::values(&mut tx, customer_id)
            .await?
            .into_iter()
            .find(|v| v.key == key);
        match &value {
            Some(value) => {
                let local = CustomerAttribute {
                    key: key.to_owned(),
                    value: value.clone(),
                    modified_by: Some(stored.staff.id.clone()),
                    modified_by_name: Some(stored.staff.name.clone()),
                    modified_at: now,
                };
                storage::set_local(&mut tx, customer_id, &local).await?;
            }
            None if previous.is_none() => {
                drop(tx);
                return self.show_customer_attributes(customer_id).await;
            }
            None => storage::remove(&mut tx, customer_id, key).await?,
        }
        let queued = QueuedSet {
            request: SetAttributeRequest {
                key: key.to_owned(),
                value,
            },
            previous,
        };
        outbox::enqueue_set_attribute(&mut tx, customer_id, &queued, now).await?;
        tx.commit().await?;
        self.inner.outbox_wake.notify_one();
        self.inner.emit(AppEvent::CustomerAttributesChanged {
            customer_id: customer_id.clone(),
        });
        self.show_customer_attributes(customer_id).await
    }
}

/// The definition of `key`, if it exists and is editable.
fn editable<'a>(
    definitions: &'a [AttributeDefinition],
    key: &str,
) -> Result<&'a AttributeDefinition, AttributeError> {
    let definition =
        definitions
            .iter()
            .find(|d| d.key == key)
            .ok_or_else(|| AttributeError::Unknown {
                key: key.to_owned(),
            })?;
    if !definition.editable {
        return Err(AttributeError::NotEditable {
            label: definition.label.clone(),
        });
    }
    Ok(definition)
}

impl Inner {
    /// Fetches the attribute definitions and the profile layout and stores them; on
    /// failure the stored ones stay (offline keeps working with the last configuration).
    pub(crate) async fn refresh_customer_config_or_keep(&self, token: &str) {
        if let Err(error) = self.refresh_customer_config(token).await {
            tracing::warn!(%error, "customer configuration not refreshed; the stored one stays");
        }
    }

    async fn refresh_customer_config(&self, token: &str) -> Result<(), CoreError> {
        let definitions: Vec<AttributeDefinition> = self
            .backend
            .get_json(token, "/config/attributes", &[], REQUEST_TIMEOUT)
            .await?;
        let layout: CustomerLayout = self
            .backend
            .get_json(token, "/config/customer-layout", &[], REQUEST_TIMEOUT)
            .await?;
        let mut tx = self.db.write().await?;
        storage::save_config(&mut tx, &definitions, &layout).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sends a queued value change (`PUT /customers/{id}/attributes`).
    pub(crate) async fn send_attribute(
        &self,
        token: &str,
        customer_id: &CustomerId,
        queued: &QueuedSet,
    ) -> Result<CustomerAttributes, RequestError> {
        let path = format!("/customers/{}/attributes", customer_id.as_str());
        self.backend.put_json(token, &path, &queued.request).await
    }
}
