//! End-to-end harness: launches the real desktop app through tauri-driver (WebKitWebDriver)
//! against a mock backend on loopback, and drives its UI over WebDriver.
//!
//! Needs a display (the test command runs under Xvfb), `tauri-driver` on PATH and the app
//! built (`CLIENTELING_APP_BIN`, or `clienteling-app` next to the test's target folder).

pub mod notification_server;

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use clienteling_domain::api::{
    ChangeData, ChangesPage, Conversation, Customer, LoginRequest, Message, Session,
};
use clienteling_domain::{Channel, ConsentState};
use clienteling_mock_server::demo::volume::Volume;
use clienteling_mock_server::{RunningServer, SendGate, ServerConfig, SimulationConfig};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

/// How long a UI expectation may take before the test fails.
pub const UI_DEADLINE: Duration = Duration::from_secs(30);

/// The NYC associate the tests sign in as.
pub const AVA: &str = "ava.johnson@clienteling.demo";

/// Polls `probe` until it answers something, failing after [`UI_DEADLINE`].
pub async fn eventually<T, F, Fut>(what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + UI_DEADLINE;
    loop {
        if let Some(found) = probe().await {
            return found;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{what} within {UI_DEADLINE:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

/// A mock backend on loopback for one test, which can be stopped and started again on the
/// same port and database file (to test the app offline).
pub struct TestBackend {
    server: Option<RunningServer>,
    config: ServerConfig,
    url: String,
    /// HTTP client for looking data up and for the simulator endpoints.
    pub http: reqwest::Client,
}

/// A running app driven over WebDriver.
pub struct AppUnderTest {
    /// The WebDriver session on the app's window.
    pub client: Client,
    driver: DriverProcess,
}

/// tauri-driver in a process group of its own; the whole group (WebKitWebDriver and the
/// app included) is killed when dropped, so a failing test leaves no process behind.
struct DriverProcess(Child);

impl Drop for DriverProcess {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A message as the chat shows it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct ShownMessage {
    /// `inbound`, `outbound` or `automated`.
    pub direction: String,
    /// The delivery status attribute (`queued`, `sent`, `delivered`, …).
    pub status: String,
    /// The status label a person reads.
    pub label: String,
}

/// Where the app binary is.
fn app_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("CLIENTELING_APP_BIN") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().expect("the test knows its own path");
    // <target>/debug/deps/<test> → <target>/debug/clienteling-app
    exe.parent()
        .and_then(Path::parent)
        .map(|dir| dir.join("clienteling-app"))
        .expect("test binary lives under <target>/debug/deps")
}

/// A process's parent and state letter, from `/proc/{pid}/stat`.
fn parent_and_state(pid: u32) -> Option<(u32, char)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "pid (command) state ppid …": the command may hold spaces and parentheses.
    let mut fields = stat.get(stat.rfind(')')? + 1..)?.split_whitespace();
    let state = fields.next()?.chars().next()?;
    let parent = fields.next()?.parse().ok()?;
    Some((parent, state))
}

/// The process running `app` among the descendants of `ancestor` (tauri-driver starts
/// WebKitWebDriver, which starts the app), so parallel tests never mistake each other's.
fn descendant_running(ancestor: u32, app: &Path) -> Option<u32> {
    let processes: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .ok()?
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok())
        .filter_map(|pid| Some((pid, parent_and_state(pid)?.0)))
        .collect();
    let mut family = vec![ancestor];
    let mut next = 0;
    while let Some(&parent) = family.get(next) {
        for &(pid, _) in processes.iter().filter(|(_, p)| *p == parent) {
            if !family.contains(&pid) {
                family.push(pid);
            }
        }
        next += 1;
    }
    family
        .into_iter()
        .skip(1)
        .find(|pid| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == app))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

impl TestBackend {
    /// A quiet backend (fast statuses, no random customer replies), in memory.
    pub async fn start() -> TestBackend {
        Self::start_with(ServerConfig {
            simulation: SimulationConfig::instant(),
            ..ServerConfig::default()
        })
        .await
    }

    /// A quiet backend keeping its data in `dir`, on a fixed port, so it can be stopped and
    /// started again where the app expects it.
    pub async fn start_persistent(dir: &Path) -> TestBackend {
        Self::start_with(ServerConfig {
            port: free_port(),
            db_path: Some(dir.join("backend.db")),
            simulation: SimulationConfig::instant(),
            ..ServerConfig::default()
        })
        .await
    }

    /// A quiet persistent backend (see [`TestBackend::start_persistent`]) whose demo stores
    /// also hold `history`, served on pages of at most `page_size` entries.
    pub async fn start_big(dir: &Path, history: Volume, page_size: u32) -> TestBackend {
        Self::start_with(ServerConfig {
            port: free_port(),
            db_path: Some(dir.join("backend.db")),
            simulation: SimulationConfig::instant(),
            history: Some(history),
            max_page_size: page_size,
            ..ServerConfig::default()
        })
        .await
    }

    /// A quiet backend in memory whose sends stop at `gate` until the test releases them.
    pub async fn start_gated(gate: SendGate) -> TestBackend {
        Self::start_with(ServerConfig {
            simulation: SimulationConfig::instant(),
            send_gate: Some(gate),
            ..ServerConfig::default()
        })
        .await
    }

    async fn start_with(config: ServerConfig) -> TestBackend {
        let server = clienteling_mock_server::spawn(config.clone())
            .await
            .expect("the mock backend starts on loopback");
        let url = server.url();
        TestBackend {
            server: Some(server),
            config,
            url,
            http: reqwest::Client::new(),
        }
    }

    /// The backend's base URL (stable across a stop and start).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Stops the server: the app now finds the backend unreachable.
    pub async fn stop(&mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await;
        }
    }

    /// Starts the server again on the same port and database.
    pub async fn restart(&mut self) {
        assert!(
            self.config.db_path.is_some(),
            "only a persistent backend can restart with its data"
        );
        let server = clienteling_mock_server::spawn(self.config.clone())
            .await
            .expect("the backend restarts on its port");
        self.server = Some(server);
    }

    /// Signs in over HTTP as `login` (for looking data up in tests).
    pub async fn session(&self, login: &str) -> Session {
        self.http
            .post(format!("{}/api/v1/sessions", self.url))
            .json(&LoginRequest {
                login: login.into(),
                password: "demo".into(),
            })
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .expect("demo login works")
            .json()
            .await
            .expect("a session body")
    }

    /// Everything the change feed gives `login` from the start, in feed order.
    pub async fn changes_for(&self, login: &str) -> Vec<ChangeData> {
        let session = self.session(login).await;
        let mut data = Vec::new();
        let mut cursor = 0;
        loop {
            let page: ChangesPage = self
                .http
                .get(format!(
                    "{}/api/v1/changes?after={cursor}&limit=1000",
                    self.url
                ))
                .bearer_auth(&session.token)
                .send()
                .await
                .and_then(|r| r.error_for_status())
                .expect("the change feed answers")
                .json()
                .await
                .expect("a changes page");
            data.extend(page.changes.into_iter().map(|change| change.data));
            cursor = page.next_cursor;
            if !page.has_more {
                break;
            }
        }
        data
    }

    /// Every conversation and customer `login` can see, from the change feed.
    pub async fn view(&self, login: &str) -> (Vec<Conversation>, Vec<Customer>) {
        let (mut conversations, mut customers) = (Vec::new(), Vec::new());
        for data in self.changes_for(login).await {
            match data {
                ChangeData::Conversation(c) => {
                    conversations.retain(|x: &Conversation| x.id != c.id);
                    conversations.push(c);
                }
                ChangeData::Customer(c) => {
                    customers.retain(|x: &Customer| x.id != c.id);
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

    /// `login`'s conversations on `channel` that can be written to (not opted out, a
    /// reachable number), most recently active first.
    pub async fn writable_conversations(&self, login: &str, channel: Channel) -> Vec<Conversation> {
        let (conversations, customers) = self.view(login).await;
        let reachable = |customer_id: &str| {
            customers
                .iter()
                .find(|c| c.id.as_str() == customer_id)
                .and_then(|c| c.phone.as_deref())
                .is_some_and(|p| !p.ends_with("0000"))
        };
        let mut found: Vec<Conversation> = conversations
            .into_iter()
            .filter(|c| c.channel == channel && c.consent != ConsentState::OptedOut)
            .filter(|c| reachable(c.customer_id.as_str()))
            .collect();
        found.sort_by_key(|c| std::cmp::Reverse(c.last_activity_at));
        found
    }

    /// The messages of a conversation as the backend has them, oldest first.
    pub async fn messages(&self, login: &str, conversation_id: &str) -> Vec<Message> {
        let session = self.session(login).await;
        self.http
            .get(format!(
                "{}/api/v1/conversations/{conversation_id}/messages",
                self.url
            ))
            .bearer_auth(&session.token)
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .expect("the conversation's messages")
            .json()
            .await
            .expect("a list of messages")
    }

    /// Delivers a customer message to `conversation_id` as the messaging provider would.
    pub async fn inject_inbound(&self, conversation_id: &str, body: &str) {
        self.http
            .post(format!(
                "{}/api/v1/simulator/conversations/{conversation_id}/inbound",
                self.url
            ))
            .json(&json!({ "body": body }))
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .expect("the simulator accepts an inbound message");
    }

    /// The backend forgets every session, as when tokens expire or are revoked: the app's
    /// next request meets a refused token.
    pub async fn revoke_all_sessions(&self) {
        let server = self.server.as_ref().expect("the backend is running");
        sqlx::query("DELETE FROM sessions")
            .execute(server.state().pool())
            .await
            .expect("the backend's sessions are deleted");
    }

    /// Stops the server for good.
    pub async fn shutdown(mut self) {
        self.stop().await;
    }
}

impl AppUnderTest {
    /// Launches the app pointed at `backend_url`, keeping its local database in `data_dir`.
    pub async fn launch(backend_url: &str, data_dir: &Path) -> AppUnderTest {
        let app = app_binary();
        assert!(
            app.exists(),
            "the app must be built first: {} is missing",
            app.display()
        );
        let port = free_port();
        let native_port = free_port();
        let driver = Command::new("tauri-driver")
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("CLIENTELING_BACKEND_URL", backend_url)
            .env("CLIENTELING_DATA_DIR", data_dir)
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("tauri-driver is installed (cargo install tauri-driver)");
        let driver = DriverProcess(driver);

        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("wry"));
        caps.insert("tauri:options".into(), json!({ "application": app }));
        let url = format!("http://127.0.0.1:{port}");
        let deadline = tokio::time::Instant::now() + UI_DEADLINE;
        let client = loop {
            let mut builder = ClientBuilder::new(HttpConnector::new());
            match builder.capabilities(caps.clone()).connect(&url).await {
                Ok(client) => break client,
                Err(_) if tokio::time::Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                Err(error) => panic!("no WebDriver session on the app: {error}"),
            }
        };
        AppUnderTest { client, driver }
    }

    /// Waits until `css` matches an element, and returns it.
    pub async fn wait_for(&self, css: &str) -> Element {
        let found = self
            .client
            .wait()
            .at_most(UI_DEADLINE)
            .for_element(Locator::Css(css))
            .await;
        match found {
            Ok(element) => element,
            Err(error) => panic!(
                "{css} did not appear within {UI_DEADLINE:?}: {error}\n{}",
                self.window_summary().await
            ),
        }
    }

    /// What the window shows, for a failing expectation's message: the route, the open
    /// chat, the alerts and the start of the page's text.
    pub async fn window_summary(&self) -> String {
        let script = r#"
            const text = (document.body?.innerText ?? '').replace(/\s+/g, ' ').slice(0, 1200);
            const chat = document.querySelector('[data-test=chat]')?.dataset.conversationId ?? 'none';
            const alerts = [...document.querySelectorAll('[role=alert],[role=status]')]
                .map(e => e.textContent.trim()).filter(t => t).join(' | ');
            return `route ${location.hash || '/'}; open chat ${chat}; alerts: ${alerts || 'none'}; text: ${text}`;
        "#;
        match self.client.execute(script, vec![]).await {
            Ok(summary) => format!("the window: {}", summary.as_str().unwrap_or_default()),
            Err(error) => format!("the window could not be read: {error}"),
        }
    }

    /// Waits until the text of `css` satisfies `check`, returning the text.
    pub async fn wait_for_text(
        &self,
        css: &str,
        what: &str,
        check: impl Fn(&str) -> bool,
    ) -> String {
        let deadline = tokio::time::Instant::now() + UI_DEADLINE;
        let mut last = String::new();
        while tokio::time::Instant::now() < deadline {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                if let Ok(text) = element.text().await {
                    if check(&text) {
                        return text;
                    }
                    last = text;
                }
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!(
            "{css} never showed {what} within {UI_DEADLINE:?}; last text: {last:?}\n{}",
            self.window_summary().await
        );
    }

    /// The open chat's message whose body contains `text`, if shown.
    pub async fn message_with_text(&self, text: &str) -> Option<ShownMessage> {
        let script = r#"
            const m = [...document.querySelectorAll('[data-test=message]')].find(e =>
                (e.querySelector('[data-test=message-body]')?.textContent ?? '').includes(arguments[0]));
            return m ? { direction: m.dataset.direction ?? '', status: m.dataset.status ?? '',
                         label: m.querySelector('[data-test=message-status]')?.textContent ?? '' } : null;
        "#;
        let found = self.client.execute(script, vec![json!(text)]).await.ok()?;
        serde_json::from_value(found).ok()
    }

    /// Waits until the open chat shows a message containing `text` that satisfies `check`.
    pub async fn wait_for_message(
        &self,
        text: &str,
        what: &str,
        check: impl Fn(&ShownMessage) -> bool,
    ) -> ShownMessage {
        let deadline = tokio::time::Instant::now() + UI_DEADLINE;
        let mut last = None;
        while tokio::time::Instant::now() < deadline {
            last = self.message_with_text(text).await;
            if let Some(message) = last.as_ref().filter(|m| check(m)) {
                return message.clone();
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!(
            "no message {text:?} that is {what} within {UI_DEADLINE:?}; last seen: {last:?}\n{}",
            self.window_summary().await
        );
    }

    /// Signs in as a demo user by clicking their card, and waits for the inbox.
    pub async fn sign_in(&self, login: &str) {
        self.wait_for(&format!("[data-test=demo-user][data-login=\"{login}\"]"))
            .await
            .click()
            .await
            .expect("the demo user card is clickable");
        self.wait_for("[data-test=inbox-row]").await;
    }

    /// Signs in as `login` and opens the first SMS conversation they may write to,
    /// answering its id.
    pub async fn open_sms_chat(&self, backend: &TestBackend, login: &str) -> String {
        self.sign_in(login).await;
        let conversation = backend.writable_conversations(login, Channel::Sms).await[0]
            .id
            .to_string();
        self.open_conversation(&conversation).await;
        conversation
    }

    /// Opens a conversation from the inbox and waits for its chat.
    pub async fn open_conversation(&self, conversation_id: &str) {
        self.wait_for(&format!(
            "[data-test=inbox-row][data-conversation-id=\"{conversation_id}\"]"
        ))
        .await
        .click()
        .await
        .expect("the inbox row opens the chat");
        self.wait_for(&format!(
            "[data-test=chat][data-conversation-id=\"{conversation_id}\"]"
        ))
        .await;
    }

    /// Types `text` into the composer and presses Send.
    pub async fn send_text(&self, text: &str) {
        self.wait_for("[data-test=composer]")
            .await
            .send_keys(text)
            .await
            .expect("the composer takes typing");
        self.wait_for("[data-test=send]")
            .await
            .click()
            .await
            .expect("send is clickable");
    }

    /// Every message of the open chat whose body contains `text`, in the order shown.
    pub async fn messages_with_text(&self, text: &str) -> Vec<ShownMessage> {
        let script = r#"
            return [...document.querySelectorAll('[data-test=message]')].filter(e =>
                (e.querySelector('[data-test=message-body]')?.textContent ?? '').includes(arguments[0]))
              .map(m => ({ direction: m.dataset.direction ?? '', status: m.dataset.status ?? '',
                           label: m.querySelector('[data-test=message-status]')?.textContent ?? '' }));
        "#;
        let found = self
            .client
            .execute(script, vec![json!(text)])
            .await
            .expect("the page answers");
        serde_json::from_value(found).expect("a list of shown messages")
    }

    /// The number the Chat badge shows (0 when hidden).
    pub async fn badge(&self) -> u32 {
        match self
            .client
            .find(Locator::Css("[data-test=chat-badge]"))
            .await
        {
            Ok(el) => el
                .text()
                .await
                .unwrap_or_default()
                .trim()
                .parse()
                .unwrap_or(0),
            Err(_) => 0,
        }
    }

    /// Saves a screenshot of the window (for the README and for looking at failures).
    pub async fn screenshot(&self, path: &Path) {
        let png = self
            .client
            .screenshot()
            .await
            .expect("a screenshot of the window");
        std::fs::write(path, png).expect("the screenshot is written");
    }

    /// Kills the app process with SIGKILL, as a crash or the system would: no shutdown code
    /// runs, whatever was in flight is cut off. Returns once the process is gone, with
    /// tauri-driver ended too.
    pub async fn kill(self) {
        let app = std::fs::canonicalize(app_binary()).expect("the app binary has a real path");
        let pid = descendant_running(self.driver.0.id(), &app)
            .unwrap_or_else(|| panic!("{} runs under this test's tauri-driver", app.display()));
        let killed = Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status()
            .is_ok_and(|status| status.success());
        assert!(killed, "the app process {pid} can be killed");
        let deadline = tokio::time::Instant::now() + UI_DEADLINE;
        // Gone, or a zombie its parent has not reaped yet: either way it runs no more.
        while parent_and_state(pid).is_some_and(|(_, state)| state != 'Z') {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the killed app process {pid} is still running after {UI_DEADLINE:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        drop(self.driver);
    }

    /// Ends the WebDriver session (closing the app) and tauri-driver.
    pub async fn quit(self) {
        let _ = self.client.clone().close().await;
        drop(self.driver);
    }
}
