//! A stand-in freedesktop notification server on the session bus: records every `Notify`
//! call and can emit `ActionInvoked(id, "default")`, as a person clicking a notification
//! would, so end-to-end tests can assert notifications and their activation. One server
//! runs at a time (the bus name is unique): tests that start one wait for each other.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use zbus::object_server::SignalEmitter;
use zbus::{Connection, OwnedVariant};

const PATH: &str = "/org/freedesktop/Notifications";

/// A notification the app raised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// Id the server gave it.
    pub id: u32,
    /// Title.
    pub summary: String,
    /// Text.
    pub body: String,
    /// Declared actions, as key/label pairs flattened.
    pub actions: Vec<String>,
}

struct Server {
    shown: Arc<Mutex<Vec<Shown>>>,
    next_id: u32,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Server {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &mut self,
        _app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        _hints: HashMap<String, OwnedVariant>,
        _expire_timeout: i32,
    ) -> u32 {
        self.next_id += 1;
        let shown = Shown {
            id: self.next_id,
            summary,
            body,
            actions,
        };
        self.shown.lock().expect("notification log").push(shown);
        self.next_id
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["actions".into(), "body".into()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "clienteling-test".into(),
            "clienteling".into(),
            "1.0".into(),
            "1.2".into(),
        )
    }

    fn close_notification(&self, _id: u32) {}

    #[zbus(signal)]
    async fn action_invoked(
        emitter: &SignalEmitter<'_>,
        id: u32,
        action_key: &str,
    ) -> zbus::Result<()>;
}

/// The running stand-in server.
pub struct NotificationServer {
    connection: Connection,
    shown: Arc<Mutex<Vec<Shown>>>,
    _turn: tokio::sync::OwnedMutexGuard<()>,
}

/// Held by the test whose server has the bus name.
fn turn() -> Arc<tokio::sync::Mutex<()>> {
    static TURN: OnceLock<Arc<tokio::sync::Mutex<()>>> = OnceLock::new();
    TURN.get_or_init(Arc::default).clone()
}

impl NotificationServer {
    /// Takes the `org.freedesktop.Notifications` name on the session bus, once no other
    /// test's server holds it.
    pub async fn start() -> zbus::Result<NotificationServer> {
        let turn = turn().lock_owned().await;
        let shown = Arc::new(Mutex::new(Vec::new()));
        let server = Server {
            shown: shown.clone(),
            next_id: 0,
        };
        let connection = zbus::connection::Builder::session()
            .name("org.freedesktop.Notifications")
            .serve_at(PATH, server)
            .build()
            .await?;
        Ok(NotificationServer {
            connection,
            shown,
            _turn: turn,
        })
    }

    /// Notifications raised so far.
    pub fn shown(&self) -> Vec<Shown> {
        self.shown.lock().expect("notification log").clone()
    }

    /// Activates a notification as a click on it would.
    pub async fn activate(&self, id: u32) -> zbus::Result<()> {
        let iface = self
            .connection
            .object_server()
            .interface::<_, Server>(PATH)
            .await?;
        Server::action_invoked(iface.signal_emitter(), id, "default").await
    }
}
