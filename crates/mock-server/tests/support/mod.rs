//! Test support: a real mock backend on loopback and a small HTTP client for its API, with
//! polling under a deadline for the simulation's asynchronous work.

#![allow(dead_code)]

use std::future::Future;
use std::time::Duration;

use clienteling_domain::api::{
    Change, ChangeData, ChangesPage, Conversation, Customer, LoginRequest, Message,
    SendMessageRequest, Session,
};
use clienteling_domain::{Channel, ConsentState, ConversationId, MessageId, MessageKind};
use clienteling_mock_server::{spawn, RunningServer, ServerConfig, SimulationConfig};
use serde::de::DeserializeOwned;
use serde_json::json;

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
                ChangeData::Message(_) => {}
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
