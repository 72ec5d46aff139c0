//! The change feed: pages by cursor, the same read backwards for a backfill, and the live
//! server-sent-events stream. Any signed-in staff member may read them; what their
//! permissions (A2) do not let them see is left out (customers without `view_customers`,
//! conversations and messages without `access_conversations`), and customers' phones and
//! emails are masked without `view_sensitive_data`.

use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{KeepAlive, Sse};
use axum::response::IntoResponse;
use axum::Json;
use clienteling_domain::api::{ChangesPage, HistoryPage};
use clienteling_domain::ApiError;
use serde::Deserialize;
use utoipa::IntoParams;

use super::ApiQuery;
use crate::auth::Caller;
use crate::changes::{self, DEFAULT_LIMIT};
use crate::error::RequestError;
use crate::state::AppState;

/// How often an idle stream sends a keep-alive comment.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// `GET /changes` parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangesQuery {
    /// The cursor: the last sequence number already applied (0 for everything).
    pub after: Option<i64>,
    /// Page size, 500 unless given, at most 5000.
    pub limit: Option<u32>,
}

/// `GET /changes/history` parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// Only entries before this sequence number (a snapshot's cursor + 1 to begin with,
    /// then each page's `next_before`).
    pub before: i64,
    /// Page size, 500 unless given, at most 5000.
    pub limit: Option<u32>,
}

/// `GET /changes/stream` parameters. (The session token comes in the `Authorization`
/// header only, never in the URL, where proxies and logs would keep it.)
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StreamQuery {
    /// The cursor (else the `Last-Event-ID` header, else 0).
    pub after: Option<i64>,
}

/// The changes after a cursor that the caller may see, rendered as they see them.
///
/// Readable by anyone signed in: customers come only with `view_customers`, conversations
/// and messages only with `access_conversations`, phones and emails masked
/// ("+1 ••• ••• 0142", "a•••@example.com") without `view_sensitive_data` (A2).
#[utoipa::path(
    get,
    path = "/api/v1/changes",
    tag = "changes",
    params(ChangesQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changes after the cursor, in sequence order", body = ChangesPage),
        (status = 401, description = "No valid session", body = ApiError),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ChangesQuery>,
) -> Result<Json<ChangesPage>, RequestError> {
    let mut conn = state.pool().acquire().await?;
    let page = changes::page(
        &mut conn,
        &caller.staff,
        query.after.unwrap_or(0),
        page_size(&state, query.limit),
        state.now(),
    )
    .await?;
    Ok(Json(page))
}

/// The feed read backwards for a backfill: the entries before `before` that the caller
/// may see, newest first, each entity once per page, rendered as they see it now.
///
/// Readable by anyone signed in: customers come only with `view_customers`, conversations
/// and messages only with `access_conversations`, phones and emails masked
/// ("+1 ••• ••• 0142", "a•••@example.com") without `view_sensitive_data` (A2).
#[utoipa::path(
    get,
    path = "/api/v1/changes/history",
    tag = "changes",
    params(HistoryQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changes before `before`, newest first", body = HistoryPage),
        (status = 400, description = "invalid_input: no `before`", body = ApiError),
        (status = 401, description = "No valid session", body = ApiError),
    )
)]
pub async fn history(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<HistoryQuery>,
) -> Result<Json<HistoryPage>, RequestError> {
    let mut conn = state.pool().acquire().await?;
    let page = changes::history_page(
        &mut conn,
        &caller.staff,
        query.before,
        page_size(&state, query.limit),
        state.now(),
    )
    .await?;
    Ok(Json(page))
}

/// Everything after the cursor, then each change as it happens, as server-sent events
/// (`event: change`, `id: <seq>`, `data: <Change JSON>`), with keep-alive comments. The
/// stream ends when its session is signed out, and delivers nothing once it expired.
///
/// Readable by anyone signed in: customers come only with `view_customers`, conversations
/// and messages only with `access_conversations`, phones and emails masked
/// ("+1 ••• ••• 0142", "a•••@example.com") without `view_sensitive_data` (A2).
#[utoipa::path(
    get,
    path = "/api/v1/changes/stream",
    tag = "changes",
    params(StreamQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A stream of `change` events, each carrying a Change as JSON", content_type = "text/event-stream", body = String),
        (status = 401, description = "No valid session", body = ApiError),
    )
)]
pub async fn stream(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<StreamQuery>,
) -> Result<impl IntoResponse, RequestError> {
    let last_event = headers
        .get("last-event-id")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<i64>().ok());
    let after = query.after.or(last_event).unwrap_or(0);
    let token_hash = caller.token_hash();
    let events = changes::stream(state, caller.staff, token_hash, after);
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)))
}

/// The page size a client asked for ([`DEFAULT_LIMIT`] unless it named one), never more
/// than the server serves.
fn page_size(state: &AppState, asked: Option<u32>) -> u32 {
    asked.unwrap_or(DEFAULT_LIMIT).min(state.max_page_size())
}
