//! Customer commands: the clientbook listing and a customer's profile.

use clienteling_domain::view::{CustomerPage, CustomerProfile, CustomerQuery};
use clienteling_domain::{ApiError, CustomerId};
use tauri::State;

use crate::AppState;

/// The current store's clientbook, filtered by scope and search.
#[tauri::command]
pub async fn list_customers(
    state: State<'_, AppState>,
    query: CustomerQuery,
) -> Result<CustomerPage, ApiError> {
    Ok(state.core().await?.list_customers(query).await?)
}

/// A customer's profile with their conversations.
#[tauri::command]
pub async fn show_customer(
    state: State<'_, AppState>,
    customer_id: CustomerId,
) -> Result<CustomerProfile, ApiError> {
    Ok(state.core().await?.show_customer(&customer_id).await?)
}
