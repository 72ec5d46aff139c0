//! The attributes' routes: the configuration (definitions and profile layout) and setting
//! or clearing a customer's value, each checked against the caller's permissions (A2) and, for a value,
//! the attribute's definition (C15).

use axum::extract::State;
use axum::Json;
use clienteling_domain::attribute::{
    check_value, AttributeDefinition, AttributeError, CustomerAttributes, SetAttributeRequest,
};
use clienteling_domain::layout::CustomerLayout;
use clienteling_domain::{ApiError, CustomerId, Permission, StoreId};

use super::store;
use crate::auth::Caller;
use crate::changes::{self, Entity};
use crate::error::RequestError;
use crate::routes::{ApiJson, ApiPath};
use crate::state::AppState;

/// The longest attribute key a request may name.
const KEY_MAX_CHARS: usize = 100;

/// The customer attributes the company configured, in order: their types, options and
/// whether they are filters of the clientbook and editable on the profile (A4, C5, C15).
///
/// Needs the `view_customers` permission (A2).
#[utoipa::path(
    get,
    path = "/api/v1/config/attributes",
    tag = "customers",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The attribute definitions, in the order shown", body = [AttributeDefinition]),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `view_customers`", body = ApiError),
    )
)]
pub async fn definitions(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<AttributeDefinition>>, RequestError> {
    caller.require(Permission::ViewCustomers)?;
    let mut conn = state.pool().acquire().await?;
    Ok(Json(store::definitions(&mut conn).await?))
}

/// The customer profile's layout: its sections in order, standard ones named by key
/// (`notes`, `orders`, `wishlist`, `recommendations`, `conversations`) and custom ones,
/// with the attributes each shows (C2, C15).
///
/// Needs the `view_customers` permission (A2).
#[utoipa::path(
    get,
    path = "/api/v1/config/customer-layout",
    tag = "customers",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The profile's sections, top to bottom", body = CustomerLayout),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `view_customers`", body = ApiError),
    )
)]
pub async fn layout(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<CustomerLayout>, RequestError> {
    caller.require(Permission::ViewCustomers)?;
    let mut conn = state.pool().acquire().await?;
    Ok(Json(store::layout(&mut conn).await?))
}

/// Sets or clears one of a customer's attribute values (C15), a value stamped with the
/// caller and the server's clock, and logs the change in the feed of each of the
/// customer's stores (whose devices drop a cleared value: the feed carries all of the
/// customer's values). A value must be of the attribute's type (choices among its options,
/// text at most 500 characters); `null` clears it. Sending the value the customer already
/// has, or clearing one they do not have, changes nothing and answers the same.
///
/// Needs the `edit_customers` permission (A2).
#[utoipa::path(
    put,
    path = "/api/v1/customers/{id}/attributes",
    tag = "customers",
    params(("id" = String, Path, description = "Customer id")),
    request_body = SetAttributeRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "All of the customer's values, as now", body = CustomerAttributes),
        (status = 400, description = "invalid_input: a malformed body", body = ApiError),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `edit_customers`", body = ApiError),
        (status = 404, description = "No such customer in the caller's stores", body = ApiError),
        (status = 422, description = "invalid_value: no such attribute, not editable (neither set nor cleared), or the value breaks its rule (the message says which)", body = ApiError),
    )
)]
pub async fn set(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    ApiJson(request): ApiJson<SetAttributeRequest>,
) -> Result<Json<CustomerAttributes>, RequestError> {
    caller.require(Permission::EditCustomers)?;
    if request.key.chars().count() > KEY_MAX_CHARS {
        return Err(RequestError::InvalidInput(format!(
            "An attribute key is at most {KEY_MAX_CHARS} characters long"
        )));
    }
    let customer_id = CustomerId(id);
    let mut tx = state.pool().begin().await?;
    let stores: Vec<String> =
        sqlx::query_scalar("SELECT store_id FROM customer_stores WHERE customer_id = ?")
            .bind(customer_id.as_str())
            .fetch_all(&mut *tx)
            .await?;
    let known_to_caller = stores.iter().any(|store| {
        caller
            .staff
            .store_ids
            .iter()
            .any(|mine| mine.as_str() == store)
    });
    if !known_to_caller {
        return Err(RequestError::NotFound(format!("Customer {customer_id}")));
    }
    let definition = store::definition(&mut tx, &request.key)
        .await?
        .ok_or_else(|| AttributeError::Unknown {
            key: request.key.clone(),
        })?;
    if !definition.editable {
        return Err(AttributeError::NotEditable {
            label: definition.label,
        }
        .into());
    }
    let changed = match &request.value {
        Some(value) => {
            let value = check_value(&definition, value)?;
            store::set(
                &mut tx,
                &customer_id,
                &definition.key,
                &value,
                Some(&caller.staff.id),
                state.now(),
            )
            .await?
        }
        None => store::clear(&mut tx, &customer_id, &definition.key).await?,
    };
    let mut latest = None;
    if changed {
        for store_id in stores {
            let store_id = StoreId::from(store_id);
            latest = Some(
                changes::record(
                    &mut tx,
                    &store_id,
                    None,
                    Entity::CustomerAttributes,
                    customer_id.as_str(),
                )
                .await?,
            );
        }
    }
    let values = store::values(&mut tx, &customer_id).await?;
    tx.commit().await?;
    if let Some(seq) = latest {
        state.feed().publish(seq);
    }
    Ok(Json(values))
}
