//! A store's messaging setup: its templates and quick replies (M2, M5, M6), and its keyword
//! settings, which managers and admins may change (M3, M4).

use axum::extract::State;
use axum::Json;
use clienteling_domain::api::{Role, Staff};
use clienteling_domain::keywords::KeywordSettings;
use clienteling_domain::template::{QuickReply, Template};
use clienteling_domain::StoreId;

use super::{ApiJson, ApiPath};
use crate::auth::Caller;
use crate::error::RequestError;
use crate::openapi as doc;
use crate::setup;
use crate::state::AppState;

/// The store, when it is one of the caller's; anything else does not exist for them.
fn own_store(caller: &Staff, id: StoreId) -> Result<StoreId, RequestError> {
    if caller.store_ids.contains(&id) {
        Ok(id)
    } else {
        Err(RequestError::NotFound(format!("Store {id}")))
    }
}

/// The store's templates, sendable or not, in picker order.
#[utoipa::path(
    get,
    path = "/api/v1/stores/{id}/templates",
    tag = "stores",
    params(("id" = String, Path, description = "Store id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every template of the store; only `mapped` ones can be sent", body = [doc::Template]),
        (status = 401, description = "No valid session", body = doc::ApiError),
        (status = 404, description = "Not one of the caller's stores", body = doc::ApiError),
    )
)]
pub async fn templates(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<StoreId>,
) -> Result<Json<Vec<Template>>, RequestError> {
    let id = own_store(&caller.staff, id)?;
    let mut conn = state.pool().acquire().await?;
    Ok(Json(setup::templates(&mut conn, &id).await?))
}

/// The store's quick replies, in picker order.
#[utoipa::path(
    get,
    path = "/api/v1/stores/{id}/quick-replies",
    tag = "stores",
    params(("id" = String, Path, description = "Store id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The store's quick replies", body = [doc::QuickReply]),
        (status = 401, description = "No valid session", body = doc::ApiError),
        (status = 404, description = "Not one of the caller's stores", body = doc::ApiError),
    )
)]
pub async fn quick_replies(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<StoreId>,
) -> Result<Json<Vec<QuickReply>>, RequestError> {
    let id = own_store(&caller.staff, id)?;
    let mut conn = state.pool().acquire().await?;
    Ok(Json(setup::quick_replies(&mut conn, &id).await?))
}

/// The store's consent keywords and automated replies.
#[utoipa::path(
    get,
    path = "/api/v1/stores/{id}/keywords",
    tag = "stores",
    params(("id" = String, Path, description = "Store id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The keyword settings", body = doc::KeywordSettings),
        (status = 401, description = "No valid session", body = doc::ApiError),
        (status = 404, description = "Not one of the caller's stores", body = doc::ApiError),
    )
)]
pub async fn keywords(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<StoreId>,
) -> Result<Json<KeywordSettings>, RequestError> {
    let id = own_store(&caller.staff, id)?;
    let mut conn = state.pool().acquire().await?;
    Ok(Json(setup::keyword_settings(&mut conn, &id).await?))
}

/// Replaces the store's keywords and automated replies (managers and admins only).
#[utoipa::path(
    put,
    path = "/api/v1/stores/{id}/keywords",
    tag = "stores",
    params(("id" = String, Path, description = "Store id")),
    request_body = doc::KeywordSettings,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Saved; keywords trimmed and upper-cased", body = doc::KeywordSettings),
        (status = 400, description = "No opt-out keyword, a word listed twice or with spaces, or an empty reply", body = doc::ApiError),
        (status = 401, description = "No valid session", body = doc::ApiError),
        (status = 403, description = "Associates cannot change keyword settings", body = doc::ApiError),
        (status = 404, description = "Not one of the caller's stores", body = doc::ApiError),
    )
)]
pub async fn save_keywords(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<StoreId>,
    ApiJson(settings): ApiJson<KeywordSettings>,
) -> Result<Json<KeywordSettings>, RequestError> {
    let id = own_store(&caller.staff, id)?;
    if caller.staff.role == Role::Associate {
        return Err(RequestError::Forbidden(
            "Only store managers and admins can change keyword settings".into(),
        ));
    }
    let settings = settings
        .normalized()
        .map_err(|e| RequestError::InvalidInput(format!("Invalid keyword settings: {e}")))?;
    let mut conn = state.pool().acquire().await?;
    setup::save_keyword_settings(&mut conn, &id, &settings).await?;
    Ok(Json(settings))
}
