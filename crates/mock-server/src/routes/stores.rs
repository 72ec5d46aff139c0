//! A store's messaging setup: its channels and clienteling number (M1), templates and
//! quick replies (M2, M5, M6), and its keyword settings (M3, M4). Templates and quick
//! replies are for writing to customers and need `access_conversations` (A2); the keyword
//! settings are readable by the store's staff; only managers and admins may change the
//! channels and the keywords (a matter of role, not of a permission).

use axum::extract::State;
use axum::Json;
use clienteling_domain::api::{Role, Staff, Store, StoreChannelsRequest};
use clienteling_domain::channel::ChannelSetup;
use clienteling_domain::keywords::KeywordSettings;
use clienteling_domain::template::{QuickReply, Template};
use clienteling_domain::ApiError;
use clienteling_domain::{Permission, StoreId};

use super::{ApiJson, ApiPath};
use crate::auth::Caller;
use crate::error::RequestError;
use crate::state::AppState;
use crate::{directory, setup};

/// The store, when it is one of the caller's; anything else does not exist for them.
fn own_store(caller: &Staff, id: StoreId) -> Result<StoreId, RequestError> {
    if caller.store_ids.contains(&id) {
        Ok(id)
    } else {
        Err(RequestError::NotFound(format!("Store {id}")))
    }
}

/// Refuses associates (seasonal ones too): store settings are for managers and admins.
fn manager_or_admin(caller: &Staff, what: &str) -> Result<(), RequestError> {
    if !matches!(caller.role, Role::Manager | Role::Admin) {
        Err(RequestError::Forbidden(format!(
            "Only store managers and admins can change {what}"
        )))
    } else {
        Ok(())
    }
}

/// Replaces the store's channels and clienteling number (managers and admins only), under
/// the M1 rules: WhatsApp only beside SMS, both on the store's one clienteling number.
#[utoipa::path(
    put,
    path = "/api/v1/stores/{id}/channels",
    tag = "stores",
    params(("id" = String, Path, description = "Store id")),
    request_body = StoreChannelsRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Saved: the store with its channels in display order and the number in E.164", body = Store),
        (status = 400, description = "WhatsApp without SMS, SMS or WhatsApp without a clienteling number, or a number that is not E.164", body = ApiError),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: only managers and admins change a store's channels (associates and seasonal staff cannot)", body = ApiError),
        (status = 404, description = "Not one of the caller's stores", body = ApiError),
    )
)]
pub async fn save_channels(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<StoreId>,
    ApiJson(request): ApiJson<StoreChannelsRequest>,
) -> Result<Json<Store>, RequestError> {
    let id = own_store(&caller.staff, id)?;
    manager_or_admin(&caller.staff, "a store's channels")?;
    let setup = ChannelSetup::new(&request.channels, request.clienteling_number.as_deref())
        .map_err(|e| RequestError::InvalidInput(format!("Invalid channel set-up: {e}")))?;
    let mut conn = state.pool().acquire().await?;
    directory::save_channels(&mut conn, &id, &setup).await?;
    let store = directory::store(&mut conn, &id)
        .await?
        .ok_or_else(|| RequestError::NotFound(format!("Store {id}")))?;
    Ok(Json(store))
}

/// The store's templates, sendable or not, in picker order.
///
/// Needs the `access_conversations` permission (A2).
#[utoipa::path(
    get,
    path = "/api/v1/stores/{id}/templates",
    tag = "stores",
    params(("id" = String, Path, description = "Store id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every template of the store; only `mapped` ones can be sent", body = [Template]),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `access_conversations`", body = ApiError),
        (status = 404, description = "Not one of the caller's stores", body = ApiError),
    )
)]
pub async fn templates(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<StoreId>,
) -> Result<Json<Vec<Template>>, RequestError> {
    caller.require(Permission::AccessConversations)?;
    let id = own_store(&caller.staff, id)?;
    let mut conn = state.pool().acquire().await?;
    Ok(Json(setup::templates(&mut conn, &id).await?))
}

/// The store's quick replies, in picker order.
///
/// Needs the `access_conversations` permission (A2).
#[utoipa::path(
    get,
    path = "/api/v1/stores/{id}/quick-replies",
    tag = "stores",
    params(("id" = String, Path, description = "Store id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The store's quick replies", body = [QuickReply]),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `access_conversations`", body = ApiError),
        (status = 404, description = "Not one of the caller's stores", body = ApiError),
    )
)]
pub async fn quick_replies(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<StoreId>,
) -> Result<Json<Vec<QuickReply>>, RequestError> {
    caller.require(Permission::AccessConversations)?;
    let id = own_store(&caller.staff, id)?;
    let mut conn = state.pool().acquire().await?;
    Ok(Json(setup::quick_replies(&mut conn, &id).await?))
}

/// The store's consent keywords and automated replies.
///
/// Any signed-in staff member of the store may read them.
#[utoipa::path(
    get,
    path = "/api/v1/stores/{id}/keywords",
    tag = "stores",
    params(("id" = String, Path, description = "Store id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The keyword settings", body = KeywordSettings),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 404, description = "Not one of the caller's stores", body = ApiError),
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
    request_body = KeywordSettings,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Saved; keywords trimmed and upper-cased", body = KeywordSettings),
        (status = 400, description = "No opt-out keyword, a word listed twice or with spaces, or an empty reply", body = ApiError),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: only managers and admins change keyword settings (associates and seasonal staff cannot)", body = ApiError),
        (status = 404, description = "Not one of the caller's stores", body = ApiError),
    )
)]
pub async fn save_keywords(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<StoreId>,
    ApiJson(settings): ApiJson<KeywordSettings>,
) -> Result<Json<KeywordSettings>, RequestError> {
    let id = own_store(&caller.staff, id)?;
    manager_or_admin(&caller.staff, "keyword settings")?;
    let settings = settings
        .normalized()
        .map_err(|e| RequestError::InvalidInput(format!("Invalid keyword settings: {e}")))?;
    let mut conn = state.pool().acquire().await?;
    setup::save_keyword_settings(&mut conn, &id, &settings).await?;
    Ok(Json(settings))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(role: Role) -> Staff {
        Staff {
            id: "staff-1".into(),
            name: "Sam Lee".into(),
            login: "sam.lee@clienteling.demo".into(),
            role,
            store_ids: vec!["store-nyc".into()],
        }
    }

    #[test]
    fn a2_only_managers_and_admins_change_store_settings() {
        for role in [Role::Associate, Role::Seasonal] {
            assert!(
                manager_or_admin(&staff(role), "keyword settings").is_err(),
                "{} is refused",
                role.label()
            );
        }
        for role in [Role::Manager, Role::Admin] {
            assert!(
                manager_or_admin(&staff(role), "keyword settings").is_ok(),
                "{} is allowed",
                role.label()
            );
        }
    }
}
