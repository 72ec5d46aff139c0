//! Shared set-up of the core's integration tests: a real mock backend on loopback, a core
//! on a temporary data folder with a manual clock, a raw API client to check what the
//! backend holds, and waiting with a deadline.

use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clienteling_core::{Core, CoreConfig, ManualClock, RetryPolicy, Subscription};
use clienteling_domain::api::{
    ChangeData, ChangesPage, Conversation, Customer, InjectInboundRequest, LoginRequest, Message,
    Session,
};
use clienteling_domain::view::{AppEvent, Connection};
use clienteling_domain::{Channel, ConversationId, CustomerId};
use clienteling_mock_server::{RunningServer, ServerConfig, SimulationConfig};

/// How long any awaited outcome may take.
/// (Generous: a deadline for a slow, shared machine, not a speed assertion.)
pub const DEADLINE: Duration = Duration::from_secs(30);
/// Demo password of every demo account.
pub const PASSWORD: &str = "demo";
/// A New York associate.
pub const AVA: &str = "ava.johnson@clienteling.demo";
/// A London associate.
pub const NOAH: &str = "noah.williams@clienteling.demo";
/// An associate of both stores.
pub const OLIVIA: &str = "olivia.davis@clienteling.demo";

/// Starts a mock backend with instant statuses and no spontaneous replies.
pub async fn spawn_server(port: u16, db_path: Option<PathBuf>) -> RunningServer {
    spawn_server_with(ServerConfig {
        port,
        db_path,
        ..ServerConfig::default()
    })
    .await
}

/// Starts a mock backend of `config` with instant statuses and no spontaneous replies.
pub async fn spawn_server_with(config: ServerConfig) -> RunningServer {
    clienteling_mock_server::spawn(ServerConfig {
        simulation: SimulationConfig::instant(),
        ..config
    })
    .await
    .expect("the mock backend starts")
}

/// Opens a core on `data_dir` against `backend_url`.
pub async fn open_core(
    data_dir: &std::path::Path,
    backend_url: &str,
    clock: &Arc<ManualClock>,
) -> Core {
    open_core_with(data_dir, backend_url, clock, RetryPolicy::default()).await
}

/// Opens a core on `data_dir` against `backend_url`, retrying failed outbox rows by
/// `retry`.
pub async fn open_core_with(
    data_dir: &std::path::Path,
    backend_url: &str,
    clock: &Arc<ManualClock>,
    retry: RetryPolicy,
) -> Core {
    Core::open(CoreConfig {
        data_dir: data_dir.to_path_buf(),
        backend_url: backend_url.to_owned(),
        clock: clock.clone(),
        retry,
    })
    .await
    .expect("the core opens its database")
}

/// A backend, a signed-in core and its events.
pub struct Signed {
    /// The mock backend.
    pub server: RunningServer,
    /// The engine under test.
    pub core: Core,
    /// Its clock, starting at the system time.
    pub clock: Arc<ManualClock>,
    /// Events since before sign-in.
    pub events: Subscription,
    /// The data folder (removed on drop).
    pub data_dir: tempfile::TempDir,
    /// A raw client signed in as the same staff member.
    pub api: Api,
}

impl Signed {
    /// The core's "now".
    pub fn core_now(&self) -> clienteling_domain::Timestamp {
        clienteling_domain::Clock::now(self.clock.as_ref())
    }
}

/// Starts an in-memory backend and signs a fresh core in as `login`, waiting until the
/// live stream is connected.
pub async fn signed_in(login: &str) -> Signed {
    signed_in_to(spawn_server(0, None).await, login).await
}

/// Signs a fresh core in to `server` as `login`, waiting until the live stream is
/// connected.
pub async fn signed_in_to(server: RunningServer, login: &str) -> Signed {
    let data_dir = tempfile::tempdir().expect("a temporary folder");
    let clock = Arc::new(ManualClock::starting_now());
    let core = open_core(data_dir.path(), &server.url(), &clock).await;
    let mut events = core.subscribe();
    core.sign_in(login, PASSWORD)
        .await
        .expect("the demo account signs in");
    wait_for_event(&mut events, "the live stream connects", |e| {
        matches!(
            e,
            AppEvent::ConnectionChanged {
                connection: Connection::Online
            }
        )
    })
    .await;
    let api = Api::sign_in(&server.url(), login).await;
    Signed {
        server,
        core,
        clock,
        events,
        data_dir,
        api,
    }
}

/// Waits for the first event matching `wanted`, failing the test after [`DEADLINE`].
pub async fn wait_for_event(
    events: &mut Subscription,
    what: &str,
    wanted: impl Fn(&AppEvent) -> bool,
) -> AppEvent {
    let search = async {
        loop {
            match events.recv().await {
                Some(event) if wanted(&event) => return event,
                Some(_) => {}
                None => panic!("the core's event channel closed while waiting: {what}"),
            }
        }
    };
    tokio::time::timeout(DEADLINE, search)
        .await
        .unwrap_or_else(|_| panic!("timed out after {DEADLINE:?} waiting: {what}"))
}

/// Whether `event` announces a customer's new message in `conversation_id` (M12).
pub fn announces(event: &AppEvent, conversation_id: &ConversationId) -> bool {
    matches!(event, AppEvent::InboundMessages { messages } if messages.iter().any(|m| &m.conversation_id == conversation_id))
}

/// Opens conversation `id` and reads its pages back to the first message: its whole
/// history as the local copy holds it, oldest first.
pub async fn whole_history(core: &Core, id: &ConversationId) -> Vec<Message> {
    let chat = core.open_conversation(id).await.expect("the chat opens");
    let mut history = chat.messages;
    let mut has_older = chat.has_older;
    while has_older {
        let before = history
            .first()
            .map(|m| m.id.clone())
            .expect("a page is never empty while older messages exist");
        let page = core
            .list_older_messages(id, &before)
            .await
            .expect("the older page is read");
        has_older = page.has_older;
        history.splice(0..0, page.messages);
    }
    history
}

/// Polls `probe` until it answers `Some`, failing the test after [`DEADLINE`].
pub async fn eventually<T, F, Fut>(what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let start = tokio::time::Instant::now();
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "timed out after {DEADLINE:?} waiting: {what}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// What the backend holds for one staff member.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Customers by id.
    pub customers: HashMap<CustomerId, Customer>,
    /// Conversations by id.
    pub conversations: HashMap<ConversationId, Conversation>,
    /// Orders by id (C6).
    pub orders: HashMap<clienteling_domain::OrderId, clienteling_domain::order::Order>,
}

impl Snapshot {
    /// A conversation on `channel` the staff member may write to, whose customer's phone
    /// satisfies `phone`.
    pub fn writable(&self, channel: Channel, phone: impl Fn(&str) -> bool) -> Conversation {
        let mut candidates: Vec<&Conversation> = self
            .conversations
            .values()
            .filter(|c| c.channel == channel && c.consent.allows_sending())
            .filter(|c| {
                self.customers
                    .get(&c.customer_id)
                    .and_then(|cu| cu.phone.as_deref())
                    .is_some_and(&phone)
            })
            .collect();
        candidates.sort_by_key(|c| std::cmp::Reverse(c.last_activity_at));
        (*candidates
            .first()
            .expect("the demo data has such a conversation"))
        .clone()
    }
}

/// A raw client of the backend's API, for checking what the backend holds.
pub struct Api {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Api {
    /// Signs in as `login` on the backend at `base`.
    pub async fn sign_in(base: &str, login: &str) -> Api {
        let http = reqwest::Client::new();
        let session: Session = http
            .post(format!("{base}/api/v1/sessions"))
            .json(&LoginRequest {
                login: login.into(),
                password: PASSWORD.into(),
            })
            .send()
            .await
            .expect("the backend answers")
            .error_for_status()
            .expect("the demo account signs in")
            .json()
            .await
            .expect("a session");
        Api {
            http,
            base: base.to_owned(),
            token: session.token,
        }
    }

    /// Everything the change feed holds for this staff member, as it stands now.
    pub async fn snapshot(&self) -> Snapshot {
        let mut snapshot = Snapshot::default();
        let mut cursor = 0;
        loop {
            let page: ChangesPage = self
                .get_json(&format!("/changes?after={cursor}&limit=1000"))
                .await;
            for change in page.changes {
                match change.data {
                    ChangeData::Customer(c) => {
                        snapshot.customers.insert(c.id.clone(), c);
                    }
                    ChangeData::Conversation(c) => {
                        snapshot.conversations.insert(c.id.clone(), c);
                    }
                    ChangeData::Order(o) => {
                        snapshot.orders.insert(o.id.clone(), o);
                    }
                    ChangeData::Message(_)
                    | ChangeData::Task(_)
                    | ChangeData::Note(_)
                    | ChangeData::WishlistItem(_)
                    | ChangeData::Star(_)
                    | ChangeData::CustomerAttributes(_)
                    | ChangeData::LastContact(_)
                    | ChangeData::Cart(_)
                    | ChangeData::Product(_) => {}
                }
            }
            cursor = page.next_cursor;
            if !page.has_more {
                return snapshot;
            }
        }
    }

    /// `GET /conversations/{id}`.
    pub async fn conversation(&self, id: &ConversationId) -> Conversation {
        self.get_json(&format!("/conversations/{id}")).await
    }

    /// `GET /conversations/{id}/messages`, oldest first.
    pub async fn messages(&self, id: &ConversationId) -> Vec<Message> {
        self.get_json(&format!("/conversations/{id}/messages"))
            .await
    }

    /// The customer writes `body` into conversation `id` (simulator hook).
    pub async fn inject_inbound(&self, id: &ConversationId, body: &str) -> Message {
        self.http
            .post(format!(
                "{}/api/v1/simulator/conversations/{id}/inbound",
                self.base
            ))
            .json(&InjectInboundRequest { body: body.into() })
            .send()
            .await
            .expect("the backend answers")
            .error_for_status()
            .expect("the inbound message is accepted")
            .json()
            .await
            .expect("a message")
    }

    /// The shop's systems move order `id` to `status` (simulator hook, C6).
    pub async fn set_order_status(
        &self,
        id: &clienteling_domain::OrderId,
        status: clienteling_domain::order::OrderStatus,
    ) -> clienteling_domain::order::Order {
        self.http
            .post(format!("{}/api/v1/simulator/orders/{id}/status", self.base))
            .json(&serde_json::json!({ "status": status }))
            .send()
            .await
            .expect("the backend answers")
            .error_for_status()
            .expect("the status change is accepted")
            .json()
            .await
            .expect("an order")
    }

    /// The feed's latest sequence number.
    pub async fn cursor(&self) -> i64 {
        let mut cursor = 0;
        loop {
            let page: ChangesPage = self
                .get_json(&format!("/changes?after={cursor}&limit=1000"))
                .await;
            cursor = page.next_cursor;
            if !page.has_more {
                return cursor;
            }
        }
    }

    /// `POST /api/v1{path}` with this client's token and `body`, its JSON answer.
    pub async fn post_json<B: serde::Serialize, T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> T {
        self.http
            .post(format!("{}/api/v1{path}", self.base))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .expect("the backend answers")
            .error_for_status()
            .unwrap_or_else(|e| panic!("POST {path} succeeds: {e}"))
            .json()
            .await
            .unwrap_or_else(|e| panic!("POST {path} answers JSON: {e}"))
    }

    /// `{method} /api/v1{path}` with this client's token, to be sent by the caller.
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}/api/v1{path}", self.base))
            .bearer_auth(&self.token)
    }

    /// `GET /api/v1{path}` with this client's token.
    pub async fn get_json<T: serde::de::DeserializeOwned>(&self, path: &str) -> T {
        self.http
            .get(format!("{}/api/v1{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("the backend answers")
            .error_for_status()
            .unwrap_or_else(|e| panic!("GET {path} succeeds: {e}"))
            .json()
            .await
            .unwrap_or_else(|e| panic!("GET {path} answers JSON: {e}"))
    }
}
