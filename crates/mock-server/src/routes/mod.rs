//! The HTTP API under `/api/v1`: the route table (which the router and the served OpenAPI
//! document are both built from, leaving out the demo-only routes a server does not
//! serve), and the JSON, path and query extractors that answer malformed requests with the
//! domain's `{code, message}` error.

pub(crate) mod changes;
pub(crate) mod conversations;
pub(crate) mod sessions;
pub(crate) mod simulator;
pub(crate) mod snapshot;
pub(crate) mod stores;
pub(crate) mod system;

use axum::extract::{FromRequest, FromRequestParts};
use axum::http::Uri;
use axum::routing::{delete, get, patch, post, put, MethodRouter};
use axum::Router;
use clienteling_domain::api::API_PREFIX;
use tower_http::trace::TraceLayer;

use crate::config::DemoEndpoints;
use crate::error::RequestError;
use crate::state::AppState;

pub use changes::{ChangesQuery, HistoryQuery, StreamQuery};
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

/// Which servers answer a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exposure {
    /// Every server.
    Always,
    /// Servers with demo data.
    DemoUsers,
    /// Servers with demo data or the simulator switch.
    Simulator,
}

impl Exposure {
    fn served(self, endpoints: DemoEndpoints) -> bool {
        match self {
            Exposure::Always => true,
            Exposure::DemoUsers => endpoints.demo_users,
            Exposure::Simulator => endpoints.simulator,
        }
    }
}

/// Every route under [`API_PREFIX`]: its path as axum and the OpenAPI document spell it
/// (without the prefix), its handlers and which servers answer it. The router and the
/// served OpenAPI document are both built from this one list.
fn routes() -> Vec<(&'static str, MethodRouter<AppState>, Exposure)> {
    use Exposure::{Always, DemoUsers, Simulator};
    vec![
        ("/health", get(system::health), Always),
        ("/openapi.json", get(system::openapi), Always),
        ("/demo/users", get(sessions::demo_users), DemoUsers),
        ("/sessions", post(sessions::sign_in), Always),
        ("/sessions/current", delete(sessions::sign_out), Always),
        ("/me", get(sessions::me), Always),
        ("/changes", get(changes::list), Always),
        ("/changes/stream", get(changes::stream), Always),
        ("/changes/history", get(changes::history), Always),
        ("/snapshot", get(snapshot::show), Always),
        (
            "/customers",
            get(crate::customers::routes::search).post(crate::customers::details::create),
            Always,
        ),
        (
            "/customers/{id}",
            patch(crate::customers::details::update),
            Always,
        ),
        (
            "/customers/{id}/changes",
            get(crate::customers::routes::changes),
            Always,
        ),
        (
            "/customers/{id}/attributes",
            put(crate::attributes::routes::set),
            Always,
        ),
        (
            "/config/attributes",
            get(crate::attributes::routes::definitions),
            Always,
        ),
        (
            "/config/customer-layout",
            get(crate::attributes::routes::layout),
            Always,
        ),
        (
            "/customers/{id}/orders",
            get(crate::orders::routes::orders),
            Always,
        ),
        (
            "/customers/{id}/wishlist",
            get(crate::orders::routes::wishlist),
            Always,
        ),
        (
            "/customers/{id}/recommendations",
            get(crate::orders::routes::recommend),
            Always,
        ),
        ("/products", get(crate::catalog::routes::search), Always),
        ("/products/{id}", get(crate::catalog::routes::show), Always),
        (
            "/products/{id}/image",
            get(crate::catalog::routes::image),
            Always,
        ),
        (
            "/tasks",
            get(crate::tasks::routes::list).post(crate::tasks::routes::create),
            Always,
        ),
        ("/tasks/{id}", patch(crate::tasks::routes::change), Always),
        (
            "/customers/{id}/notes",
            get(crate::notes::routes::list).post(crate::notes::routes::create),
            Always,
        ),
        (
            "/notes/{id}",
            patch(crate::notes::routes::edit).delete(crate::notes::routes::delete),
            Always,
        ),
        ("/notes/{id}/pin", put(crate::notes::routes::pin), Always),
        (
            "/customers/{id}/star",
            put(crate::customers::stars::star).delete(crate::customers::stars::unstar),
            Always,
        ),
        (
            "/customers/{id}/assignment",
            put(crate::customers::assignment::assign),
            Always,
        ),
        (
            "/customers/{id}/assignments",
            get(crate::customers::assignment::audit),
            Always,
        ),
        ("/staff", get(crate::customers::assignment::staff), Always),
        ("/carts", post(crate::carts::routes::create), Always),
        ("/carts/{id}", get(crate::carts::routes::show), Always),
        (
            "/carts/{id}/lines/{variant_id}",
            put(crate::carts::routes::put_line).delete(crate::carts::routes::remove_line),
            Always,
        ),
        (
            "/carts/{id}/discount",
            put(crate::carts::routes::set_discount),
            Always,
        ),
        (
            "/carts/{id}/share",
            post(crate::carts::routes::share),
            Always,
        ),
        (
            "/carts/{id}/cancel",
            post(crate::carts::routes::cancel),
            Always,
        ),
        (
            "/customers/{id}/conversations",
            post(conversations::start),
            Always,
        ),
        ("/conversations/{id}", get(conversations::show), Always),
        (
            "/conversations/{id}/messages",
            get(conversations::messages).post(conversations::send),
            Always,
        ),
        (
            "/conversations/{id}/read",
            post(conversations::read),
            Always,
        ),
        (
            "/conversations/{id}/opt-in-request",
            post(conversations::request_opt_in),
            Always,
        ),
        (
            "/conversations/{id}/consent-events",
            get(conversations::consent_events),
            Always,
        ),
        ("/stores/{id}/channels", put(stores::save_channels), Always),
        ("/stores/{id}/templates", get(stores::templates), Always),
        (
            "/stores/{id}/quick-replies",
            get(stores::quick_replies),
            Always,
        ),
        (
            "/stores/{id}/keywords",
            get(stores::keywords).put(stores::save_keywords),
            Always,
        ),
        (
            "/simulator/conversations/{id}/inbound",
            post(simulator::inbound),
            Simulator,
        ),
        ("/simulator/clock", post(simulator::clock), Simulator),
        (
            "/simulator/orders/{id}/status",
            post(crate::orders::routes::change_status),
            Simulator,
        ),
    ]
}

/// The full paths (`/api/v1/...`, as the OpenAPI document names them) that a server with
/// these demo endpoints answers.
pub fn served_paths(endpoints: DemoEndpoints) -> Vec<String> {
    routes()
        .into_iter()
        .filter(|(_, _, exposure)| exposure.served(endpoints))
        .map(|(path, _, _)| format!("{API_PREFIX}{path}"))
        .collect()
}

/// The pages customers open from links sent into their chats, outside the API: the pay
/// page of a shared cart (M9) and the product page (M7). Public: the link is the key.
fn pages() -> Router<AppState> {
    Router::new()
        .route(
            "/pay/{token}",
            get(crate::carts::pay_page::show).post(crate::carts::pay_page::pay),
        )
        .route("/shop/products/{id}", get(crate::shop::product_page::show))
}

/// The backend's routes over `state`, for serving or for in-process use. Demo-only routes
/// a server does not serve are unknown routes there (404 `not_found`).
pub fn router(state: AppState) -> Router {
    let endpoints = state.demo_endpoints();
    let api = routes()
        .into_iter()
        .filter(|(_, _, exposure)| exposure.served(endpoints))
        .fold(Router::new(), |api, (path, methods, _)| {
            api.route(path, methods)
        });
    Router::new()
        .nest(API_PREFIX, api)
        .merge(pages())
        .fallback(unknown_route)
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn unknown_route(uri: Uri) -> RequestError {
    RequestError::NotFound(format!("Route {}", uri.path()))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use utoipa::OpenApi;

    use super::*;
    use crate::openapi::ApiDoc;

    #[test]
    fn p7_the_openapi_document_lists_exactly_the_routes_of_the_table() {
        let everything = DemoEndpoints {
            demo_users: true,
            simulator: true,
        };
        let routed: BTreeSet<String> = served_paths(everything).into_iter().collect();
        let documented: BTreeSet<String> = ApiDoc::openapi().paths.paths.into_keys().collect();
        assert_eq!(
            documented, routed,
            "every route is documented, and every documented path is routed"
        );
    }

    #[test]
    fn demo_only_routes_are_left_out_of_servers_without_them() {
        let plain = served_paths(DemoEndpoints {
            demo_users: false,
            simulator: false,
        });
        assert!(
            plain
                .iter()
                .all(|p| !p.contains("/demo/") && !p.contains("/simulator/")),
            "a server without demo data or simulator serves neither: {plain:?}"
        );
        let simulator = served_paths(DemoEndpoints {
            demo_users: false,
            simulator: true,
        });
        assert_eq!(
            simulator.len(),
            plain.len() + 3,
            "the simulator switch adds its three hooks"
        );
    }
}
