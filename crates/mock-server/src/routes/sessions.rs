//! Signing in: the demo accounts, sessions and the caller's own session.

use axum::extract::State;
use axum::Json;
use clienteling_domain::api::{DemoUser, LoginRequest, Session};

use super::ApiJson;
use crate::auth::{self, Caller};
use crate::directory;
use crate::error::RequestError;
use crate::openapi as doc;
use crate::state::AppState;

/// The demo accounts the sign-in screen lists.
#[utoipa::path(
    get,
    path = "/api/v1/demo/users",
    tag = "sessions",
    responses((status = 200, description = "Demo accounts, with the demo password", body = [doc::DemoUser]))
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
    request_body = doc::LoginRequest,
    responses(
        (status = 200, description = "Signed in: the token for every later request", body = doc::Session),
        (status = 401, description = "Wrong login or password", body = doc::ApiError),
    )
)]
pub async fn sign_in(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Json<Session>, RequestError> {
    Ok(Json(auth::sign_in(&state, &request).await?))
}

/// The caller's session.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "sessions",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's session", body = doc::Session),
        (status = 401, description = "No valid session", body = doc::ApiError),
    )
)]
pub async fn me(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Session>, RequestError> {
    Ok(Json(auth::session(&state, caller).await?))
}
