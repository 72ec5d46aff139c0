//! Customer attribute commands (C5, C15): the definitions, the profile's layout with a
//! customer's attribute rows, and setting or clearing a value (sent through the outbox).

use clienteling_domain::attribute::{AttributeDefinition, AttributeValue};
use clienteling_domain::view::ProfileAttributes;
use clienteling_domain::{ApiError, CustomerId};
use tauri::State;

use crate::AppState;

/// The configured attribute definitions (the clientbook's filters).
#[tauri::command]
pub async fn list_attribute_definitions(
    state: State<'_, AppState>,
) -> Result<Vec<AttributeDefinition>, ApiError> {
    Ok(state.core().await?.list_attribute_definitions().await?)
}

/// The profile's layout and the customer's attribute rows.
#[tauri::command]
pub async fn show_customer_attributes(
    state: State<'_, AppState>,
    customer_id: CustomerId,
) -> Result<ProfileAttributes, ApiError> {
    Ok(state
        .core()
        .await?
        .show_customer_attributes(&customer_id)
        .await?)
}

/// Sets one of the customer's attribute values; answers the rows as now.
#[tauri::command]
pub async fn set_attribute(
    state: State<'_, AppState>,
    customer_id: CustomerId,
    key: String,
    value: AttributeValue,
) -> Result<ProfileAttributes, ApiError> {
    Ok(state
        .core()
        .await?
        .set_attribute(&customer_id, &key, value)
        .await?)
}

/// Clears one of the customer's attribute values; answers the rows as now.
#[tauri::command]
pub async fn clear_attribute(
    state: State<'_, AppState>,
    customer_id: CustomerId,
    key: String,
) -> Result<ProfileAttributes, ApiError> {
    Ok(state
        .core()
        .await?
        .clear_attribute(&customer_id, &key)
        .await?)
}
