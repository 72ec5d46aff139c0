//! Customer commands: the clientbook listing, a customer's profile and the backend's
//! recommendations for them.

use clienteling_domain::order::Recommendation;
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

/// What the backend recommends for a customer now (C7), kept for an offline profile.
#[tauri::command]
pub async fn refresh_recommendations(
    state: State<'_, AppState>,
    customer_id: CustomerId,
) -> Result<Vec<Recommendation>, ApiError> {
    Ok(state
        .core()
        .await?
        .refresh_recommendations(&customer_id)
        .await?)
}
