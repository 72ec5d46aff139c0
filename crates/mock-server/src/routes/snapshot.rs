//! The first-screen snapshot a fresh sign-in starts from.

use axum::extract::State;
use axum::Json;
use clienteling_domain::api::Snapshot;
use clienteling_domain::ApiError;

use crate::auth::Caller;
use crate::error::RequestError;
use crate::state::AppState;

/// The caller's first screen: every conversation of their stores active in the inbox
/// window, its customer and latest messages, and the feed cursor it is current at.
///
/// Readable by anyone signed in: conversations and their messages come only with
/// `access_conversations`, customers only with `view_customers`, phones and emails masked
/// without `view_sensitive_data` (A2).
#[utoipa::path(
    get,
    path = "/api/v1/snapshot",
    tag = "changes",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The first screen, current at `cursor`", body = Snapshot),
        (status = 401, description = "No valid session", body = ApiError),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Snapshot>, RequestError> {
    Ok(Json(
        crate::snapshot::read(state.pool(), &caller.staff, state.now()).await?,
    ))
}
