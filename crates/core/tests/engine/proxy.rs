//! A fault-injecting HTTP proxy in front of a real mock backend: it forwards every request
//! (streams included) unchanged, except those a test told it to break, which get a server
//! error, a body that is not JSON, or a connection cut mid-answer. Tests use it to force
//! the backend failures the app must survive, at an exact request, without timing.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;

/// How a broken request is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultAnswer {
    /// This HTTP status with a JSON `{code, message}` body.
    Status(u16),
    /// A 200 whose body is not what the API promises; the backend never sees the request.
    Garbage,
    /// The request reaches the backend, which handles it, but its answer is replaced by
    /// a body that is not what the API promises (a proxy mangling it on the way back).
    GarbledAnswer,
    /// The answer's headers, then the connection breaks before the body ends.
    CutConnection,
}

/// One rule: requests with this method whose path contains `path_part`, after the first
/// `pass_first` of them went through, and only `times` of them when limited.
#[derive(Debug, Clone)]
struct Fault {
    method: Method,
    path_part: String,
    pass_first: u32,
    times: Option<u32>,
    answer: FaultAnswer,
}

#[derive(Debug, Default)]
struct Rules {
    faults: Vec<Fault>,
    /// Every request seen, as "METHOD /path?query".
    seen: Vec<String>,
}

#[derive(Clone)]
struct Shared {
    upstream: String,
    http: reqwest::Client,
    rules: Arc<Mutex<Rules>>,
}

/// The proxy, serving on a loopback port until dropped.
pub struct FaultyProxy {
    addr: SocketAddr,
    rules: Arc<Mutex<Rules>>,
    serving: tokio::task::JoinHandle<()>,
}

impl FaultyProxy {
    /// Starts a proxy forwarding to `upstream` ("http://host:port").
    pub async fn start(upstream: &str) -> FaultyProxy {
        let rules = Arc::new(Mutex::new(Rules::default()));
        let shared = Shared {
            upstream: upstream.trim_end_matches('/').to_owned(),
            http: reqwest::Client::new(),
            rules: Arc::clone(&rules),
        };
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("the proxy binds a loopback port");
        let addr = listener.local_addr().expect("the proxy has an address");
        let app = axum::Router::new().fallback(forward).with_state(shared);
        let serving = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("the proxy serves");
        });
        FaultyProxy {
            addr,
            rules,
            serving,
        }
    }

    /// The base URL to point a core at.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Breaks `method` requests whose path contains `path_part` once `pass_first` of them
    /// went through, answering them with `answer`, until [`FaultyProxy::heal`].
    pub fn fail(&self, method: Method, path_part: &str, pass_first: u32, answer: FaultAnswer) {
        self.lock().faults.push(Fault {
            method,
            path_part: path_part.to_owned(),
            pass_first,
            times: None,
            answer,
        });
    }

    /// Breaks only the first `times` such requests, then forwards them again.
    pub fn fail_first(&self, method: Method, path_part: &str, times: u32, answer: FaultAnswer) {
        self.lock().faults.push(Fault {
            method,
            path_part: path_part.to_owned(),
            pass_first: 0,
            times: Some(times),
            answer,
        });
    }

    /// Forwards everything again.
    pub fn heal(&self) {
        self.lock().faults.clear();
    }

    /// How many `method` requests whose path contains `path_part` arrived so far.
    pub fn count(&self, method: &Method, path_part: &str) -> usize {
        let prefix = format!("{method} ");
        self.lock()
            .seen
            .iter()
            .filter(|seen| seen.starts_with(&prefix) && seen.contains(path_part))
            .count()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Rules> {
        self.rules.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for FaultyProxy {
    fn drop(&mut self) {
        self.serving.abort();
    }
}

/// The fault for this request, if one applies now; records the request either way.
fn fault_for(rules: &Mutex<Rules>, method: &Method, target: &str) -> Option<FaultAnswer> {
    let mut rules = rules.lock().unwrap_or_else(PoisonError::into_inner);
    let line = format!("{method} {target}");
    rules.seen.push(line);
    let path = target.split('?').next().unwrap_or(target);
    let prefix = format!("{method} ");
    rules.faults.iter().find_map(|fault| {
        if fault.method != method || !path.contains(&fault.path_part) {
            return None;
        }
        let earlier = rules
            .seen
            .iter()
            .filter(|seen| seen.starts_with(&prefix))
            .filter(|seen| {
                seen.split('?')
                    .next()
                    .is_some_and(|p| p.contains(&fault.path_part))
            })
            .count();
        // `earlier` counts this request too.
        let after_passed = earlier > fault.pass_first as usize;
        let within = fault
            .times
            .is_none_or(|times| earlier <= (fault.pass_first + times) as usize);
        (after_passed && within).then_some(fault.answer)
    })
}

async fn forward(State(shared): State<Shared>, request: Request) -> Response {
    let method = request.method().clone();
    let target = request.uri().path_and_query().map_or_else(
        || request.uri().path().to_owned(),
        |pq| pq.as_str().to_owned(),
    );
    let fault = fault_for(&shared.rules, &method, &target);
    if let Some(answer) = fault.filter(|answer| *answer != FaultAnswer::GarbledAnswer) {
        return broken(answer);
    }
    let headers = request.headers().clone();
    let body = match axum::body::to_bytes(request.into_body(), usize::MAX).await {
        Ok(body) => body,
        Err(_) => return StatusCode::BAD_REQUEST.into_response(),
    };
    let mut upstream = shared
        .http
        .request(method, format!("{}{target}", shared.upstream))
        .body(body);
    for (name, value) in &headers {
        if !hop_by_hop(name) {
            upstream = upstream.header(name, value);
        }
    }
    match upstream.send().await {
        Ok(answer) if fault.is_some() => {
            // Let the backend finish with the request, then mangle what it said.
            let _ = answer.bytes().await;
            broken(FaultAnswer::Garbage)
        }
        Ok(answer) => {
            let status = answer.status();
            let mut headers = HeaderMap::new();
            for (name, value) in answer.headers() {
                if !hop_by_hop(name) {
                    headers.insert(name, value.clone());
                }
            }
            let body = Body::from_stream(answer.bytes_stream());
            let mut response = Response::new(body);
            *response.status_mut() = status;
            *response.headers_mut() = headers;
            response
        }
        Err(_) => StatusCode::BAD_GATEWAY.into_response(),
    }
}

/// Headers that describe one connection or its framing, which each side sets itself.
fn hop_by_hop(name: &axum::http::HeaderName) -> bool {
    use axum::http::header;
    [
        header::HOST,
        header::CONNECTION,
        header::CONTENT_LENGTH,
        header::TRANSFER_ENCODING,
    ]
    .contains(name)
}

fn broken(answer: FaultAnswer) -> Response {
    match answer {
        FaultAnswer::Status(status) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let body = serde_json::json!({
                "code": "internal",
                "message": format!("injected {status}"),
            });
            (status, axum::Json(body)).into_response()
        }
        FaultAnswer::Garbage | FaultAnswer::GarbledAnswer => {
            (StatusCode::OK, "<html>not the API</html>").into_response()
        }
        FaultAnswer::CutConnection => {
            let chunks = futures_util::stream::iter([
                Ok::<_, std::io::Error>(axum::body::Bytes::from_static(b"{\"changes\": [")),
                Err(std::io::Error::other("injected cut")),
            ]);
            let mut response = Response::new(Body::from_stream(chunks.boxed()));
            response.headers_mut().insert(
                axum::http::header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static("application/json"),
            );
            response
        }
    }
}
