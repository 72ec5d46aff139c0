//! Health and the OpenAPI document.

use axum::extract::State;
use axum::Json;
use clienteling_domain::api::Health;
use utoipa::OpenApi;

use super::served_paths;
use crate::openapi::ApiDoc;
use crate::state::AppState;

/// Whether the server answers, and its version.
#[utoipa::path(
    get,
    path = "/api/v1/health",
    tag = "system",
    responses((status = 200, description = "The server answers", body = Health))
)]
pub async fn health() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    })
}

/// This API's OpenAPI 3 document, listing the paths this server answers (the demo and
/// simulator ones only where they are served).
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "system",
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json", body = Object))
)]
pub async fn openapi(State(state): State<AppState>) -> Json<utoipa::openapi::OpenApi> {
    let served = served_paths(state.demo_endpoints());
    let mut doc = ApiDoc::openapi();
    doc.paths.paths.retain(|path, _| served.contains(path));
    Json(doc)
}
