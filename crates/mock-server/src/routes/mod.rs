//! The HTTP API under `/api/v1`: the router, and the JSON, path and query extractors that
//! answer malformed requests with the domain's `{code, message}` error.

pub(crate) mod changes;
pub(crate) mod conversations;
pub(crate) mod sessions;
pub(crate) mod simulator;
pub(crate) mod stores;
pub(crate) mod system;

use axum::extract::{FromRequest, FromRequestParts};
use axum::http::Uri;
use axum::routing::{get, post};
use axum::Router;
use clienteling_domain::api::API_PREFIX;
use tower_http::trace::TraceLayer;

use crate::error::RequestError;
use crate::state::AppState;

pub use changes::{ChangesQuery, StreamQuery};
pub use simulator::{ClockAdvance, ClockNow};

/// A JSON body; malformed JSON is a 400 `invalid_input`.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(RequestError))]
pub struct ApiJson<T>(pub T);

/// Path parameters; malformed ones are a 400 `invalid_input`.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(RequestError))]
pub struct ApiPath<T>(pub T);

/// Query parameters; malformed ones are a 400 `invalid_input`.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(RequestError))]
pub struct ApiQuery<T>(pub T);

/// The backend's routes over `state`, for serving or for in-process use.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/health", get(system::health))
        .route("/openapi.json", get(system::openapi))
        .route("/demo/users", get(sessions::demo_users))
        .route("/sessions", post(sessions::sign_in))
        .route("/me", get(sessions::me))
        .route("/changes", get(changes::list))
        .route("/changes/stream", get(changes::stream))
        .route("/conversations/{id}", get(conversations::show))
        .route(
            "/conversations/{id}/messages",
            get(conversations::messages).post(conversations::send),
        )
        .route("/conversations/{id}/read", post(conversations::read))
        .route(
            "/conversations/{id}/opt-in-request",
            post(conversations::request_opt_in),
        )
        .route(
            "/conversations/{id}/consent-events",
            get(conversations::consent_events),
        )
        .route("/stores/{id}/templates", get(stores::templates))
        .route("/stores/{id}/quick-replies", get(stores::quick_replies))
        .route(
            "/stores/{id}/keywords",
            get(stores::keywords).put(stores::save_keywords),
        )
        .route(
            "/simulator/conversations/{id}/inbound",
            post(simulator::inbound),
        )
        .route("/simulator/clock", post(simulator::clock));
    Router::new()
        .nest(API_PREFIX, api)
        .fallback(unknown_route)
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn unknown_route(uri: Uri) -> RequestError {
    RequestError::NotFound(format!("Route {}", uri.path()))
}
