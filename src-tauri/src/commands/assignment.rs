//! Star and assignment commands (C1, C3): starring works offline through the outbox;
//! assigning, its audit and the staff list need the backend.

use clienteling_domain::api::{Customer, Staff};
use clienteling_domain::assignment::{AssignmentEntry, AssignmentRequest};
use clienteling_domain::{ApiError, CustomerId};
use tauri::State;

use crate::AppState;

/// Stars the customer for the signed-in staff member.
#[tauri::command]
pub async fn star_customer(
    state: State<'_, AppState>,
    customer_id: CustomerId,
) -> Result<(), ApiError> {
    Ok(state.core().await?.star_customer(&customer_id).await?)
}

/// Takes the signed-in staff member's star off the customer.
#[tauri::command]
pub async fn unstar_customer(
    state: State<'_, AppState>,
    customer_id: CustomerId,
) -> Result<(), ApiError> {
    Ok(state.core().await?.unstar_customer(&customer_id).await?)
}

/// Assigns the customer to exactly these stores and staff.
#[tauri::command]
pub async fn assign_customer(
    state: State<'_, AppState>,
    customer_id: CustomerId,
    request: AssignmentRequest,
) -> Result<Customer, ApiError> {
    Ok(state
        .core()
        .await?
        .assign_customer(&customer_id, &request)
        .await?)
}

/// The customer's assignment audit, newest first.
#[tauri::command]
pub async fn list_assignments(
    state: State<'_, AppState>,
    customer_id: CustomerId,
) -> Result<Vec<AssignmentEntry>, ApiError> {
    Ok(state.core().await?.list_assignments(&customer_id).await?)
}

/// The company's staff with their stores, for the assignment picker.
#[tauri::command]
pub async fn list_staff(state: State<'_, AppState>) -> Result<Vec<Staff>, ApiError> {
    Ok(state.core().await?.list_staff().await?)
}
