//! Test support: a real mock backend on loopback and a small HTTP client for its API, with
//! polling under a deadline for the simulation's asynchronous work, a reader of the live
//! stream, and the API's operations as its OpenAPI document lists them (with request
//! bodies made from their schemas), so tests that cover every endpoint keep no list.

#![allow(dead_code)]

use std::future::Future;
use std::time::Duration;

use clienteling_domain::api::{
    Change, ChangeData, ChangesPage, Conversation, Customer, LoginRequest, Message,
    SendMessageRequest, Session,
};
use clienteling_domain::{Channel, ConsentState, ConversationId, MessageId, MessageKind};
use clienteling_mock_server::{spawn, RunningServer, ServerConfig, SimulationConfig};
use futures_util::StreamExt;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};

/// How long asynchronous work may take before a test fails.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// New York associate.
pub const AVA: &str = "ava.johnson@clienteling.demo";
/// New York associate.
pub const LIAM: &str = "liam.chen@clienteling.demo";
/// New York store manager.
pub const MIA: &str = "mia.thompson@clienteling.demo";
/// London associate.
pub const NOAH: &str = "noah.williams@clienteling.demo";
/// Admin of both stores.
pub const ADMIN: &str = "admin@clienteling.demo";
/// New York seasonal associate (phones and emails masked, A2).
pub const LUCAS: &str = "lucas.reed@clienteling.demo";

/// A mock backend for one test.
pub struct Backend {
    /// The running server.
    pub server: RunningServer,
    /// Its base URL.
    pub url: String,
    /// A client.
    pub http: reqwest::Client,
}

/// Polls `probe` until it yields a value, failing the test after [`DEADLINE`].
pub async fn eventually<T, F, Fut>(what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let give_up = tokio::time::Instant::now() + DEADLINE;
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < give_up,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The next `change` event of a server-sent-events body, parsed from its raw chunks.
pub async fn next_change<S, B>(events: &mut S, buffer: &mut String) -> Option<Change>
where
    S: futures_util::Stream<Item = reqwest::Result<B>> + Unpin,
    B: AsRef<[u8]>,
{
    loop {
        if let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let mut name = None;
            let mut data = String::new();
            for line in block.lines() {
                if let Some(value) = line.strip_prefix("event:") {
                    name = Some(value.trim().to_owned());
                } else if let Some(value) = line.strip_prefix("data:") {
                    data.push_str(value.trim_start());
                }
            }
            if name.as_deref() == Some("change") {
                return Some(serde_json::from_str(&data).expect("each event carries a Change"));
            }
            continue;
        }
        let chunk = events.next().await?.ok()?;
        buffer.push_str(&String::from_utf8_lossy(chunk.as_ref()));
    }
}

/// One operation of the API as the OpenAPI document lists it.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The HTTP method.
    pub method: Method,
    /// The full path with its `{parameters}`, e.g. `/api/v1/stores/{id}/keywords`.
    pub path: String,
    /// Whether it needs the bearer token.
    pub bearer: bool,
    /// The JSON schema of its request body, if it takes one.
    pub body: Option<Value>,
}

impl Operation {
    /// "PUT /api/v1/stores/{id}/keywords", for assertion messages.
    pub fn name(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// Every operation of an OpenAPI document, in path order.
pub fn operations(doc: &Value) -> Vec<Operation> {
    let paths = doc["paths"].as_object().expect("the document has paths");
    let mut all = Vec::new();
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("a path item") {
            let Ok(method) = Method::from_bytes(method.to_uppercase().as_bytes()) else {
                continue;
            };
            let bearer = operation["security"]
                .as_array()
                .is_some_and(|schemes| schemes.iter().any(|s| s.get("bearer").is_some()));
            let body = operation["requestBody"]["content"]["application/json"]["schema"]
                .as_object()
                .map(|schema| Value::Object(schema.clone()));
            all.push(Operation {
                method,
                path: path.clone(),
                bearer,
                body,
            });
        }
    }
    all
}

/// The smallest JSON value `schema` accepts: required properties only, the first value of
/// an enum, the first non-null choice of a `oneOf`, "x" for strings, 0, false, [].
pub fn sample(doc: &Value, schema: &Value) -> Value {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().expect("a schema name");
        return sample(doc, &doc["components"]["schemas"][name]);
    }
    if let Some(first) = schema["enum"].as_array().and_then(|values| values.first()) {
        return first.clone();
    }
    for combinator in ["oneOf", "anyOf", "allOf"] {
        if let Some(choices) = schema[combinator].as_array() {
            let choice = choices
                .iter()
                .find(|choice| choice["type"] != "null")
                .expect("a non-null choice");
            return sample(doc, choice);
        }
    }
    let kind = match &schema["type"] {
        Value::Array(kinds) => kinds
            .iter()
            .find(|kind| *kind != "null")
            .cloned()
            .unwrap_or(Value::Null),
        kind => kind.clone(),
    };
    match kind.as_str() {
        Some("object") => {
            let mut object = Map::new();
            for name in schema["required"].as_array().into_iter().flatten() {
                let name = name.as_str().expect("a property name");
                object.insert(name.to_owned(), sample(doc, &schema["properties"][name]));
            }
            Value::Object(object)
        }
        Some("array") => json!([]),
        Some("string") if schema["format"] == "date" => json!("1970-01-01"),
        Some("string") => json!("x"),
        Some("integer") | Some("number") => json!(0),
        Some("boolean") => json!(false),
        _ if schema["properties"].is_object() => sample(
            doc,
            &json!({ "type": "object", "properties": schema["properties"], "required": schema["required"] }),
        ),
        _ => Value::Null,
    }
}

/// A demo customer of the New York store.
pub const DEMO_CUSTOMER: &str = "cust-0002";
/// A demo product.
pub const DEMO_PRODUCT: &str = "prod-0001";
/// An order id (the permission walk needs no real one: refusals come before lookups).
pub const DEMO_ORDER: &str = "ord-0002-01";
/// A note id (a UUID) no note has: operations on it are answered 404 once allowed.
pub const UNKNOWN_NOTE: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
/// A cart id (a UUID) no cart has: operations on it are answered 404 once allowed.
pub const UNKNOWN_CART: &str = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
/// A variant id (the permission walk needs no real one: refusals come before lookups).
pub const DEMO_VARIANT: &str = "prod-0001-xs-navy";

/// `path` with each `{id}` filled by the id of the resource it follows: a conversation
/// (also the simulator's), a store, a customer, a product, an order, a note or a task (one
/// that does not exist), a cart (one that does not exist) and a cart line's variant.
pub fn fill(path: &str, conversation: &ConversationId, store: &str) -> String {
    let mut filled = Vec::new();
    let mut previous = "";
    for segment in path.split('/') {
        filled.push(match (previous, segment) {
            ("conversations", "{id}") => conversation.as_str(),
            ("stores", "{id}") => store,
            ("customers", "{id}") => DEMO_CUSTOMER,
            ("products", "{id}") => DEMO_PRODUCT,
            ("orders", "{id}") => DEMO_ORDER,
            ("tasks", "{id}") => "0f8fad5b-d9cb-469f-a165-70867728950e",
            ("notes", "{id}") => UNKNOWN_NOTE,
            ("carts", "{id}") => UNKNOWN_CART,
            ("lines", "{variant_id}") => DEMO_VARIANT,
            (_, parameter) if parameter.starts_with('{') => {
                panic!("no value to fill {parameter} after {previous} in {path}")
            }
            (_, segment) => segment,
        });
        previous = segment;
    }
    filled.join("/")
}

impl Backend {
    /// A backend in memory whose provider is instant and whose customers stay quiet.
    pub async fn start() -> Backend {
        Backend::start_with(ServerConfig {
            simulation: SimulationConfig::instant(),
            ..ServerConfig::default()
        })
        .await
    }

    /// A backend with a given configuration.
    pub async fn start_with(config: ServerConfig) -> Backend {
        let server = spawn(config)
            .await
            .expect("the mock backend starts on loopback");
        let url = server.url();
        Backend {
            server,
            url,
            http: reqwest::Client::new(),
        }
    }

    /// This server's OpenAPI document, as it serves it.
    pub async fn openapi(&self) -> Value {
        self.http
            .get(self.api("/openapi.json"))
            .send()
            .await
            .expect("the backend answers")
            .json()
            .await
            .expect("an OpenAPI document")
    }

    /// Sends `operation` on `path` (its parameters filled) with a body made from its
    /// schema and, if given, a bearer token.
    pub async fn call(
        &self,
        doc: &Value,
        operation: &Operation,
        path: &str,
        token: Option<&str>,
    ) -> reqwest::Response {
        let mut request = self
            .http
            .request(operation.method.clone(), format!("{}{path}", self.url));
        if let Some(schema) = &operation.body {
            request = request.json(&sample(doc, schema));
        }
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("the backend answers")
    }

    /// Signs the session of `token` out (`DELETE /sessions/current`).
    pub async fn sign_out(&self, token: &str) -> reqwest::Response {
        self.http
            .delete(self.api("/sessions/current"))
            .bearer_auth(token)
            .send()
            .await
            .expect("the backend answers")
    }

    /// Opens the live stream after `after` with `token` in the Authorization header.
    pub async fn open_stream(&self, token: &str, after: i64) -> reqwest::Response {
        self.http
            .get(self.api(&format!("/changes/stream?after={after}")))
            .bearer_auth(token)
            .send()
            .await
            .expect("the backend answers")
    }

    /// `/api/v1` + `path`.
    pub fn api(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.url)
    }

    /// Signs in with the demo password.
    pub async fn sign_in(&self, login: &str) -> Session {
        let response = self
            .http
            .post(self.api("/sessions"))
            .json(&LoginRequest {
                login: login.into(),
                password: "demo".into(),
            })
            .send()
            .await
            .expect("the backend answers");
        assert_eq!(response.status(), 200, "demo login {login} works");
        response.json().await.expect("a session body")
    }

    /// GET with a token, expecting 200 and a JSON body.
    pub async fn get<T: DeserializeOwned>(&self, token: &str, path: &str) -> T {
        let response = self
            .http
            .get(self.api(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("the backend answers");
        assert_eq!(response.status(), 200, "GET {path} succeeds");
        response.json().await.expect("a JSON body")
    }

    /// One page of changes.
    pub async fn changes_page(&self, token: &str, after: i64, limit: u32) -> ChangesPage {
        self.get(token, &format!("/changes?after={after}&limit={limit}"))
            .await
    }

    /// Every change after `after`, page by page, and the cursor after them.
    pub async fn changes(&self, token: &str, after: i64) -> (Vec<Change>, i64) {
        let mut cursor = after;
        let mut all = Vec::new();
        loop {
            let page = self.changes_page(token, cursor, 1_000).await;
            assert!(page.next_cursor >= cursor, "the cursor never moves back");
            cursor = page.next_cursor;
            all.extend(page.changes);
            if !page.has_more {
                return (all, cursor);
            }
        }
    }

    /// The conversations and customers `token` sees, from a full sync.
    pub async fn view(&self, token: &str) -> (Vec<Conversation>, Vec<Customer>) {
        let (changes, _) = self.changes(token, 0).await;
        let mut conversations: Vec<Conversation> = Vec::new();
        let mut customers: Vec<Customer> = Vec::new();
        for change in changes {
            match change.data {
                ChangeData::Conversation(c) => {
                    conversations.retain(|x| x.id != c.id);
                    conversations.push(c);
                }
                ChangeData::Customer(c) => {
                    customers.retain(|x| x.id != c.id);
                    customers.push(c);
                }
                ChangeData::Message(_)
                | ChangeData::Task(_)
                | ChangeData::Note(_)
                | ChangeData::Order(_)
                | ChangeData::WishlistItem(_)
                | ChangeData::Star(_)
                | ChangeData::CustomerAttributes(_)
                | ChangeData::LastContact(_)
                | ChangeData::Cart(_)
                | ChangeData::Product(_) => {}
            }
        }
        (conversations, customers)
    }

    /// A conversation on `channel` that `token` can write to: consent not opted out and a
    /// reachable number (or the reverse, with `reachable` false).
    pub async fn pick_conversation(
        &self,
        token: &str,
        channel: Channel,
        reachable: bool,
    ) -> Conversation {
        let (conversations, customers) = self.view(token).await;
        conversations
            .into_iter()
            .filter(|c| c.channel == channel && c.consent != ConsentState::OptedOut)
            .find(|c| {
                let phone = customers
                    .iter()
                    .find(|customer| customer.id == c.customer_id)
                    .and_then(|customer| customer.phone.clone())
                    .unwrap_or_default();
                phone.ends_with("0000") != reachable
            })
            .unwrap_or_else(|| {
                panic!("the demo has a {channel} conversation (reachable: {reachable})")
            })
    }

    /// Sends a text message and answers the raw response.
    pub async fn send(
        &self,
        token: &str,
        conversation: &ConversationId,
        id: &MessageId,
        body: &str,
    ) -> reqwest::Response {
        self.http
            .post(self.api(&format!("/conversations/{conversation}/messages")))
            .bearer_auth(token)
            .json(&SendMessageRequest {
                id: id.clone(),
                body: body.into(),
                kind: MessageKind::Text,
                created_at: None,
                template_id: None,
            })
            .send()
            .await
            .expect("the backend answers")
    }

    /// Sends a text message with a new id, expecting it accepted.
    pub async fn send_new(
        &self,
        token: &str,
        conversation: &ConversationId,
        body: &str,
    ) -> Message {
        let id = MessageId(uuid::Uuid::new_v4().to_string());
        let response = self.send(token, conversation, &id, body).await;
        assert_eq!(response.status(), 201, "a new message is accepted");
        response.json().await.expect("the accepted message")
    }

    /// A customer's message arrives.
    pub async fn inject(&self, conversation: &ConversationId, body: &str) -> Message {
        let response = self
            .http
            .post(self.api(&format!("/simulator/conversations/{conversation}/inbound")))
            .json(&json!({ "body": body }))
            .send()
            .await
            .expect("the backend answers");
        assert_eq!(
            response.status(),
            201,
            "the simulator accepts an inbound message"
        );
        response.json().await.expect("the inbound message")
    }

    /// Moves the server clock forward.
    pub async fn advance_clock(&self, ms: i64) {
        let response = self
            .http
            .post(self.api("/simulator/clock"))
            .json(&json!({ "advance_ms": ms }))
            .send()
            .await
            .expect("the backend answers");
        assert_eq!(response.status(), 200, "the clock moves forward");
    }

    /// The conversation as `token` sees it.
    pub async fn conversation(&self, token: &str, id: &ConversationId) -> Conversation {
        self.get(token, &format!("/conversations/{id}")).await
    }

    /// The conversation's messages, oldest first.
    pub async fn messages(&self, token: &str, id: &ConversationId) -> Vec<Message> {
        self.get(token, &format!("/conversations/{id}/messages"))
            .await
    }

    /// Polls the change feed from `after` until the message reaches a status accepted by
    /// `done`; answers every version of it the feed showed, in order.
    pub async fn watch_message(
        &self,
        token: &str,
        after: i64,
        id: &MessageId,
        what: &str,
        done: impl Fn(&Message) -> bool,
    ) -> Vec<Message> {
        let give_up = tokio::time::Instant::now() + DEADLINE;
        let mut cursor = after;
        let mut seen: Vec<Message> = Vec::new();
        loop {
            let (changes, next) = self.changes(token, cursor).await;
            cursor = next;
            for change in changes {
                if let ChangeData::Message(m) = change.data {
                    if &m.id == id {
                        seen.push(m);
                    }
                }
            }
            if seen.last().is_some_and(&done) {
                return seen;
            }
            assert!(
                tokio::time::Instant::now() < give_up,
                "timed out waiting for {what}; the feed showed {:?}",
                seen.iter().map(|m| m.status).collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
