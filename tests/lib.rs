//! End-to-end harness: launches the real desktop app through tauri-driver (WebKitWebDriver)
//! against a mock backend on loopback, and drives its UI over WebDriver.
//!
//! Needs a display (the test command runs under Xvfb), `tauri-driver` on PATH and the app
//! built (`CLIENTELING_APP_BIN`, or `clienteling-app` next to the test's target folder).

pub mod notification_server;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use clienteling_domain::api::{ChangeData, ChangesPage, Conversation, Customer, LoginRequest, Session};
use clienteling_mock_server::{RunningServer, ServerConfig, SimulationConfig};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use tempfile::TempDir;

/// How long a UI expectation may take before the test fails.
pub const UI_DEADLINE: Duration = Duration::from_secs(30);

/// The NYC associate the tests sign in as.
pub const AVA: &str = "ava.johnson@clienteling.demo";

/// A running app with its own backend and data folder.
pub struct AppUnderTest {
    /// The WebDriver session on the app's window.
    pub client: Client,
    /// The backend the app talks to.
    pub backend: RunningServer,
    /// HTTP client for the backend's simulator endpoints.
    pub http: reqwest::Client,
    driver: DriverProcess,
    _data_dir: TempDir,
}

/// tauri-driver, killed when dropped so a failing test leaves no process behind.
struct DriverProcess(Child);

impl Drop for DriverProcess {
    fn drop(&mut self) {
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

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

impl AppUnderTest {
    /// Starts a quiet mock backend (fast statuses, no random customer replies) and the app
    /// pointed at it, with a fresh data folder.
    pub async fn launch() -> AppUnderTest {
        let backend = clienteling_mock_server::spawn(ServerConfig {
            simulation: SimulationConfig::instant(),
            ..ServerConfig::default()
        })
        .await
        .expect("the mock backend starts on loopback");
        let data_dir = tempfile::tempdir().expect("a temporary data folder");
        let app = app_binary();
        assert!(app.exists(), "the app must be built first: {} is missing", app.display());

        let port = free_port();
        let native_port = free_port();
        let driver = Command::new("tauri-driver")
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("CLIENTELING_BACKEND_URL", backend.url())
            .env("CLIENTELING_DATA_DIR", data_dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("tauri-driver is installed (cargo install tauri-driver)");

        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("wry"));
        caps.insert("tauri:options".into(), json!({ "application": app }));
        let url = format!("http://127.0.0.1:{port}");
        let deadline = tokio::time::Instant::now() + UI_DEADLINE;
        let client = loop {
            match ClientBuilder::rustls()
                .expect("rustls connector")
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => break client,
                Err(error) if tokio::time::Instant::now() < deadline => {
                    let _ = error;
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                Err(error) => panic!("no WebDriver session on the app: {error}"),
            }
        };
        AppUnderTest {
            client,
            backend,
            http: reqwest::Client::new(),
            driver: DriverProcess(driver),
            _data_dir: data_dir,
        }
    }

    /// Waits until `css` matches an element, and returns it.
    pub async fn wait_for(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(UI_DEADLINE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} did not appear within {UI_DEADLINE:?}: {e}"))
    }

    /// Waits until the text of `css` satisfies `check`, returning the text.
    pub async fn wait_for_text(&self, css: &str, what: &str, check: impl Fn(&str) -> bool) -> String {
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
        panic!("{css} never showed {what} within {UI_DEADLINE:?}; last text: {last:?}");
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
        panic!("no message {text:?} that is {what} within {UI_DEADLINE:?}; last seen: {last:?}");
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

    /// Signs in to the backend over HTTP as `login` (for looking data up in tests).
    pub async fn backend_session(&self, login: &str) -> Session {
        self.http
            .post(format!("{}/api/v1/sessions", self.backend.url()))
            .json(&LoginRequest { login: login.into(), password: "demo".into() })
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .expect("demo login works")
            .json()
            .await
            .expect("a session body")
    }

    /// Every conversation and customer `login` can see, from the backend's change feed.
    pub async fn backend_view(&self, login: &str) -> (Vec<Conversation>, Vec<Customer>) {
        let session = self.backend_session(login).await;
        let (mut conversations, mut customers) = (Vec::new(), Vec::new());
        let mut cursor = 0;
        loop {
            let page: ChangesPage = self
                .http
                .get(format!("{}/api/v1/changes?after={cursor}&limit=1000", self.backend.url()))
                .bearer_auth(&session.token)
                .send()
                .await
                .and_then(|r| r.error_for_status())
                .expect("the change feed answers")
                .json()
                .await
                .expect("a changes page");
            for change in page.changes {
                match change.data {
                    ChangeData::Conversation(c) => {
                        conversations.retain(|x: &Conversation| x.id != c.id);
                        conversations.push(c);
                    }
                    ChangeData::Customer(c) => {
                        customers.retain(|x: &Customer| x.id != c.id);
                        customers.push(c);
                    }
                    ChangeData::Message(_) => {}
                }
            }
            cursor = page.next_cursor;
            if !page.has_more {
                break;
            }
        }
        (conversations, customers)
    }

    /// Delivers a customer message to `conversation_id` as the messaging provider would.
    pub async fn inject_inbound(&self, conversation_id: &str, body: &str) {
        self.http
            .post(format!(
                "{}/api/v1/simulator/conversations/{conversation_id}/inbound",
                self.backend.url()
            ))
            .json(&json!({ "body": body }))
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .expect("the simulator accepts an inbound message");
    }

    /// Saves a screenshot of the window (for the README and for looking at failures).
    pub async fn screenshot(&self, path: &Path) {
        let png = self.client.screenshot().await.expect("a screenshot of the window");
        std::fs::write(path, png).expect("the screenshot is written");
    }

    /// Ends the WebDriver session (closing the app), tauri-driver and the backend.
    pub async fn quit(self) {
        let _ = self.client.clone().close().await;
        drop(self.driver);
        self.backend.shutdown().await;
    }
}
