//! A conversation and its messages: starting one with a customer (C2), reading them,
//! sending, asking the customer to opt in, marking them read, and the customer's consent
//! audit trail. Every one of them needs the
//! `access_conversations` permission (A2).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use clienteling_domain::api::{
    Conversation, Message, SendMessageRequest, StartConversationRequest,
};
use clienteling_domain::consent_audit::ConsentEvent;
use clienteling_domain::opt_in::OptInRequest;
use clienteling_domain::{ApiError, ConversationId, CustomerId, MessageId, Permission};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{ApiJson, ApiPath, ApiQuery};
use crate::auth::Caller;
use crate::error::RequestError;
use crate::messaging::{self, SendOutcome};
use crate::state::AppState;
use crate::{consent, conversation};

/// A conversation of the caller's stores, as they see it.
///
/// Needs the `access_conversations` permission (A2).
#[utoipa::path(
    get,
    path = "/api/v1/conversations/{id}",
    tag = "conversations",
    params(("id" = String, Path, description = "Conversation id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The conversation, with the caller's unread count", body = Conversation),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `access_conversations`", body = ApiError),
        (status = 404, description = "No such conversation in the caller's stores", body = ApiError),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<ConversationId>,
) -> Result<Json<Conversation>, RequestError> {
    caller.require(Permission::AccessConversations)?;
    let mut conn = state.pool().acquire().await?;
    Ok(Json(
        conversation::visible(&mut conn, &caller.staff, &id).await?,
    ))
}

/// Starts the conversation with a customer in one of the caller's stores on one of its
/// channels (C2), or answers the one there is: one conversation per customer × store ×
/// channel, so asking again (from this device or another) answers the same one. A new
/// conversation has no messages yet; the store's devices get it through the change feed,
/// and the customer's consent for the store decides what may be written in it (an
/// opt-in request while it is unknown, M2).
///
/// Needs the `access_conversations` permission (A2); the customer must be known to the
/// store, the store must have the channel (M1), and the customer the contact it writes
/// to: a phone for SMS and WhatsApp, an email address for email.
#[utoipa::path(
    post,
    path = "/api/v1/customers/{id}/conversations",
    tag = "conversations",
    params(("id" = String, Path, description = "Customer id")),
    request_body = StartConversationRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Started: the new conversation, without messages", body = Conversation),
        (status = 200, description = "The customer already has a conversation on this channel in this store: that one", body = Conversation),
        (status = 400, description = "invalid_input: a malformed body", body = ApiError),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `access_conversations`", body = ApiError),
        (status = 404, description = "No such customer in the caller's stores", body = ApiError),
        (status = 422, description = "unprocessable: a store that is not the caller's or does not know the customer, a channel the store does not have, or a customer without the phone or email the channel needs", body = ApiError),
    )
)]
pub async fn start(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<CustomerId>,
    ApiJson(request): ApiJson<StartConversationRequest>,
) -> Result<(StatusCode, Json<Conversation>), RequestError> {
    caller.require(Permission::AccessConversations)?;
    let (started, conversation) = conversation::start(&state, &caller.staff, &id, &request).await?;
    let status = if started {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(conversation)))
}

/// The largest page of messages served.
pub const MAX_MESSAGES_PAGE: u32 = 500;

/// `GET /conversations/{id}/messages` parameters: none for the whole history; a page of
/// it for a client that fetches history on demand.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MessagesQuery {
    /// Only messages older than this message of the conversation.
    pub before: Option<String>,
    /// At most this many (the latest ones of the range), up to 500; the whole range
    /// unless given, or 500 with `before`.
    pub limit: Option<u32>,
}

/// A conversation's messages, oldest first: all of them, or with `before` and `limit` one
/// page of the history, newest pages first.
///
/// Needs the `access_conversations` permission (A2).
#[utoipa::path(
    get,
    path = "/api/v1/conversations/{id}/messages",
    tag = "conversations",
    params(("id" = String, Path, description = "Conversation id"), MessagesQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Messages, oldest first", body = [Message]),
        (status = 400, description = "invalid_input: a limit of 0, or `before` is not a message of this conversation", body = ApiError),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `access_conversations`", body = ApiError),
        (status = 404, description = "No such conversation in the caller's stores", body = ApiError),
    )
)]
pub async fn messages(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<ConversationId>,
    ApiQuery(query): ApiQuery<MessagesQuery>,
) -> Result<Json<Vec<Message>>, RequestError> {
    caller.require(Permission::AccessConversations)?;
    if query.limit == Some(0) {
        return Err(RequestError::InvalidInput(
            "limit must be at least 1".into(),
        ));
    }
    let mut conn = state.pool().acquire().await?;
    conversation::visible(&mut conn, &caller.staff, &id).await?;
    let limit = query.limit.map(|limit| limit.min(MAX_MESSAGES_PAGE));
    let messages = match (&query.before, limit) {
        (None, None) => conversation::messages(&mut conn, &id).await?,
        (None, Some(limit)) => conversation::latest_messages(&mut conn, &id, limit).await?,
        (Some(before), limit) => conversation::messages_before(
            &mut conn,
            &id,
            &MessageId::from(before.as_str()),
            limit.unwrap_or(MAX_MESSAGES_PAGE),
        )
        .await?
        .ok_or_else(|| {
            RequestError::InvalidInput(format!("{before} is not a message of conversation {id}"))
        })?,
    };
    Ok(Json(messages))
}

/// Sends a message, stamped with the backend's clock. The message id (a UUID) is the
/// idempotency key and is looked up before anything is validated: the same message
/// again (same conversation, author, kind and words or template) answers with the stored
/// message (200) whatever its state and whatever changed since, without sending twice;
/// a failed one is retried, validated like a new send; a different message under the id
/// is a conflict.
///
/// Needs the `access_conversations` permission (A2).
#[utoipa::path(
    post,
    path = "/api/v1/conversations/{id}/messages",
    tag = "conversations",
    params(("id" = String, Path, description = "Conversation id")),
    request_body = SendMessageRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Accepted and queued; statuses follow in the change feed", body = Message),
        (status = 200, description = "Already accepted under this id: the stored message, whatever its state (or a failed message queued again)", body = Message),
        (status = 400, description = "invalid_input: the id is not a UUID, the body is empty or over the channel's limit, or the template cannot be sent", body = ApiError),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `access_conversations`", body = ApiError),
        (status = 404, description = "No such conversation in the caller's stores", body = ApiError),
        (status = 409, description = "The id was used for a different message (another conversation, author, kind, text or template)", body = ApiError),
        (status = 422, description = "opted_out: the customer opted out; window_closed: the WhatsApp window is closed", body = ApiError),
    )
)]
pub async fn send(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<ConversationId>,
    ApiJson(request): ApiJson<SendMessageRequest>,
) -> Result<(StatusCode, Json<Message>), RequestError> {
    caller.require(Permission::AccessConversations)?;
    let send = messaging::send(&state, &caller.staff, &id, &request);
    // Tests only: a configured send gate holds the request on its way.
    let outcome = match state.send_gate() {
        Some(gate) => gate.guard(&id, &request.id, send).await,
        None => send.await,
    }?;
    let status = match outcome {
        SendOutcome::Accepted(_) => StatusCode::CREATED,
        SendOutcome::AlreadyAccepted(_) | SendOutcome::Retried(_) => StatusCode::OK,
    };
    Ok((status, Json(outcome.message().clone())))
}

/// Marks the conversation read by the caller: their unread count becomes 0.
///
/// Needs the `access_conversations` permission (A2).
#[utoipa::path(
    post,
    path = "/api/v1/conversations/{id}/read",
    tag = "conversations",
    params(("id" = String, Path, description = "Conversation id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Marked read"),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `access_conversations`", body = ApiError),
        (status = 404, description = "No such conversation in the caller's stores", body = ApiError),
    )
)]
pub async fn read(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<ConversationId>,
) -> Result<StatusCode, RequestError> {
    caller.require(Permission::AccessConversations)?;
    messaging::mark_read(&state, &caller.staff, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Asks the customer to opt in (M2): by SMS the associate's intro followed by START/STOP
/// instructions, on WhatsApp the store's opt-in template. Audited (B4). The id (a UUID)
/// is the idempotency key, looked up first as for a send: the same request again answers
/// with its stored message, a failed one is retried.
///
/// Needs the `access_conversations` permission (A2).
#[utoipa::path(
    post,
    path = "/api/v1/conversations/{id}/opt-in-request",
    tag = "conversations",
    params(("id" = String, Path, description = "Conversation id")),
    request_body = OptInRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The request's message, queued", body = Message),
        (status = 200, description = "Already sent under this id: the stored message, whatever its state (or a failed request queued again)", body = Message),
        (status = 400, description = "invalid_input: the id is not a UUID, SMS without an intro, an email conversation, or no opt-in template", body = ApiError),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `access_conversations`", body = ApiError),
        (status = 404, description = "No such conversation in the caller's stores", body = ApiError),
        (status = 409, description = "The id was used for a different message (not this author's opt-in request here, or another intro)", body = ApiError),
        (status = 422, description = "opted_out: the customer must text START themselves", body = ApiError),
    )
)]
pub async fn request_opt_in(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<ConversationId>,
    ApiJson(request): ApiJson<OptInRequest>,
) -> Result<(StatusCode, Json<Message>), RequestError> {
    caller.require(Permission::AccessConversations)?;
    let outcome = messaging::request_opt_in(&state, &caller.staff, &id, &request).await?;
    let status = match outcome {
        SendOutcome::Accepted(_) => StatusCode::CREATED,
        SendOutcome::AlreadyAccepted(_) | SendOutcome::Retried(_) => StatusCode::OK,
    };
    Ok((status, Json(outcome.message().clone())))
}

/// The consent audit trail of the conversation's customer for its store (B4), newest
/// first, across channels.
///
/// Needs the `access_conversations` permission (A2).
#[utoipa::path(
    get,
    path = "/api/v1/conversations/{id}/consent-events",
    tag = "conversations",
    params(("id" = String, Path, description = "Conversation id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Audit entries, newest first", body = [ConsentEvent]),
        (status = 401, description = "No valid session", body = ApiError),
        (status = 403, description = "forbidden: the caller's role lacks `access_conversations`", body = ApiError),
        (status = 404, description = "No such conversation in the caller's stores", body = ApiError),
    )
)]
pub async fn consent_events(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<ConversationId>,
) -> Result<Json<Vec<ConsentEvent>>, RequestError> {
    caller.require(Permission::AccessConversations)?;
    let mut conn = state.pool().acquire().await?;
    let conversation = conversation::visible(&mut conn, &caller.staff, &id).await?;
    Ok(Json(
        consent::events(&mut conn, &conversation.customer_id, &conversation.store_id).await?,
    ))
}
