//! Signing in and out: the demo accounts, sessions and the caller's own session.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use clienteling_domain::api::{DemoUser, LoginRequest, Session};
use clienteling_domain::ApiError;

use super::ApiJson;
use crate::auth::{self, Caller};
use crate::directory;
use crate::error::RequestError;
use crate::state::AppState;

/// The demo accounts the sign-in screen lists. Only on a server with demo data.
#[utoipa::path(
    get,
    path = "/api/v1/demo/users",
    tag = "demo",
    responses(
        (status = 200, description = "Demo accounts, with the demo password", body = [DemoUser]),
        (status = 404, description = "Not a demo server: the route does not exist", body = ApiError),
    )
)]
pub async fn demo_users(
    State(state): State<AppState>,
) -> Result<Json<Vec<DemoUser>>, RequestError> {
    let mut conn = state.pool().acquire().await?;
    Ok(Json(directory::demo_users(&mut conn).await?))
}

/// Signs in with a login and password.
#[utoipa::path(
    post,
    path = "/api/v1/sessions",
    tag = "sessions",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in: the token for every later request, until `expires_at` (server time) or sign-out", body = Session),
        (status = 401, description = "Wrong login or password", body = ApiError),
    )
)]
pub async fn sign_in(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Json<Session>, RequestError> {
    Ok(Json(auth::sign_in(&state, &request).await?))
}

/// The caller's session.
///
/// Anyone signed in. Their permissions (A2) are their role's, `staff.role`, as the
/// domain's `Role::permissions` grants them; the session carries no customer data.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "sessions",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's session", body = Session),
        (status = 401, description = "No valid session", body = ApiError),
    )
)]
pub async fn me(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Session>, RequestError> {
    Ok(Json(auth::session(&state, caller).await?))
}

/// Signs the caller's session out: the token gets 401 from then on, everywhere, and live
/// streams opened with it end.
///
/// Anyone signed in.
#[utoipa::path(
    delete,
    path = "/api/v1/sessions/current",
    tag = "sessions",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "No valid session (already signed out, expired or unknown)", body = ApiError),
    )
)]
pub async fn sign_out(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<StatusCode, RequestError> {
    auth::sign_out(&state, &caller).await?;
    Ok(StatusCode::NO_CONTENT)
}
