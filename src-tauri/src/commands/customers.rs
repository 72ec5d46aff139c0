//! Customer commands: the clientbook listing, a customer's profile, the backend's
//! recommendations for them, and creating (C12) and editing (C13) a customer.

use clienteling_domain::api::Customer;
use clienteling_domain::customer_details::{CustomerDraft, UpdateCustomerRequest};
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

/// Creates the customer of the "New customer" form in the current store (C12), online.
#[tauri::command]
pub async fn create_customer(
    state: State<'_, AppState>,
    draft: CustomerDraft,
) -> Result<Customer, ApiError> {
    Ok(state.core().await?.create_customer(&draft).await?)
}

/// Changes a customer's name, gender and date of birth (C13): shown at once, sent through
/// the outbox (offline too).
#[tauri::command]
pub async fn update_customer(
    state: State<'_, AppState>,
    customer_id: CustomerId,
    request: UpdateCustomerRequest,
) -> Result<Customer, ApiError> {
    Ok(state
        .core()
        .await?
        .update_customer(&customer_id, &request)
        .await?)
}
