//! Session commands: demo users, sign in and out, the current store, the connection.

use clienteling_domain::api::DemoUser;
use clienteling_domain::unsent::UnsentWork;
use clienteling_domain::view::{Connection, SessionView};
use clienteling_domain::{ApiError, StoreId};
use tauri::State;

use crate::AppState;

/// The demo accounts the sign-in screen lists.
#[tauri::command]
pub async fn list_demo_users(state: State<'_, AppState>) -> Result<Vec<DemoUser>, ApiError> {
    Ok(state.core_with_backend().await?.list_demo_users().await?)
}

/// The signed-in session, if any.
#[tauri::command]
pub async fn get_session(state: State<'_, AppState>) -> Result<Option<SessionView>, ApiError> {
    Ok(state.core().await?.session().await?)
}

/// Signs in and runs the first sync.
#[tauri::command]
pub async fn sign_in(
    state: State<'_, AppState>,
    login: String,
    password: String,
) -> Result<SessionView, ApiError> {
    Ok(state
        .core_with_backend()
        .await?
        .sign_in(&login, &password)
        .await?)
}

/// Signs out and clears the local copy; refused with `unsent_messages` while any work
/// waits unless `discard_unsent`.
#[tauri::command]
pub async fn sign_out(state: State<'_, AppState>, discard_unsent: bool) -> Result<(), ApiError> {
    Ok(state.core().await?.sign_out(discard_unsent).await?)
}

/// Messages written on this device that the backend has not accepted yet.
#[tauri::command]
pub async fn count_unsent_messages(state: State<'_, AppState>) -> Result<u32, ApiError> {
    Ok(state.core().await?.count_unsent_messages().await?)
}

/// Everything done on this device that the backend has not accepted yet, by kind.
#[tauri::command]
pub async fn count_unsent_work(state: State<'_, AppState>) -> Result<UnsentWork, ApiError> {
    Ok(state.core().await?.count_unsent_work().await?)
}

/// Switches the store the inbox shows.
#[tauri::command]
pub async fn switch_store(
    state: State<'_, AppState>,
    store_id: StoreId,
) -> Result<SessionView, ApiError> {
    Ok(state.core().await?.switch_store(&store_id).await?)
}

/// Whether the app is in touch with the backend.
#[tauri::command]
pub async fn get_connection(state: State<'_, AppState>) -> Result<Connection, ApiError> {
    Ok(state.core().await?.connection())
}

/// Waits until the engine has started; the start-up error when it could not start.
#[tauri::command]
pub async fn wait_for_core(state: State<'_, AppState>) -> Result<(), ApiError> {
    state.core().await.map(|_| ())
}

/// Logs `painted <screen>` once the UI has drawn a screen for the first time (`splash`,
/// `sign_in`, `demo_accounts` once they are listed, `inbox` with its rows, `start_failed`): the signals
/// the start-up bench times.
#[tauri::command]
pub fn report_painted_screen(screen: String) {
    tracing::info!("painted {screen}");
}
