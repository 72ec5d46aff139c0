//! Demo and test hooks: a customer's message arriving from the provider, and moving the
//! server clock forward.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use clienteling_domain::api::{InjectInboundRequest, Message};
use clienteling_domain::{ApiError, ConversationId, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiJson, ApiPath};
use crate::error::RequestError;
use crate::messaging;
use crate::state::AppState;

/// `POST /simulator/clock` body.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ClockAdvance {
    /// Milliseconds to move the server clock forward: 0 or more, and not so many that the
    /// server's time (milliseconds since 1970 in 64 bits) would overflow.
    #[schema(minimum = 0)]
    pub advance_ms: i64,
}

/// `POST /simulator/clock` answer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ClockNow {
    /// The server's time after the move, in milliseconds since the epoch.
    #[schema(value_type = i64)]
    pub now: Timestamp,
}

/// A customer's message arrives as if from the provider (no session needed).
#[utoipa::path(
    post,
    path = "/api/v1/simulator/conversations/{id}/inbound",
    tag = "simulator",
    params(("id" = String, Path, description = "Conversation id")),
    request_body = InjectInboundRequest,
    responses(
        (status = 201, description = "Received; a keyword (STOP, START…) that changes consent gets one automated confirmation, one that changes nothing gets none, HELP always gets the help reply", body = Message),
        (status = 400, description = "Empty or over the channel's limit", body = ApiError),
        (status = 404, description = "No such conversation", body = ApiError),
    )
)]
pub async fn inbound(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<ConversationId>,
    ApiJson(request): ApiJson<InjectInboundRequest>,
) -> Result<(StatusCode, Json<Message>), RequestError> {
    let message = messaging::receive(&state, &id, &request.body).await?;
    Ok((StatusCode::CREATED, Json(message)))
}

/// Moves the server clock forward (to cross the WhatsApp 24-hour window in tests). The
/// offset is kept in the database: a restart on the same file keeps the time moved.
#[utoipa::path(
    post,
    path = "/api/v1/simulator/clock",
    tag = "simulator",
    request_body = ClockAdvance,
    responses(
        (status = 200, description = "The server's new time", body = ClockNow),
        (status = 400, description = "invalid_input: advance_ms is negative (the clock only moves forward), or so large the server's time would overflow", body = ApiError),
    )
)]
pub async fn clock(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<ClockAdvance>,
) -> Result<Json<ClockNow>, RequestError> {
    let now = state
        .clock()
        .advance(state.pool(), request.advance_ms)
        .await?;
    Ok(Json(ClockNow { now }))
}
