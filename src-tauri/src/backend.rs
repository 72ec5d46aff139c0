//! Which backend the app talks to: a URL from `CLIENTELING_BACKEND_URL` (connected mode),
//! or the mock backend embedded in-process with demo data (demo mode, the default).
//!
//! The embedded backend runs on a thread and runtime of its own, at a lower scheduling
//! priority than the window (Linux): on a first launch its demo data is seeded while
//! WebKit paints the first screens, and on a machine with few cores the seeding gives
//! them the CPU instead of slowing them down (it takes what they leave).

use std::path::{Path, PathBuf};

use clienteling_mock_server::{RunningServer, ServerConfig, ServerError};
use tauri::{AppHandle, Manager};
use tokio::sync::oneshot;

/// Environment variable naming a backend to connect to instead of the embedded one.
pub const BACKEND_URL_VAR: &str = "CLIENTELING_BACKEND_URL";
/// Environment variable overriding where the app keeps its local database.
pub const DATA_DIR_VAR: &str = "CLIENTELING_DATA_DIR";

#[cfg(target_os = "linux")]
/// Printed when there is no display to open a window on.
pub const NO_DISPLAY_HELP: &str = "Clienteling Associate needs a graphical display \
(neither DISPLAY nor WAYLAND_DISPLAY is set).\n\
To run the mock backend alone instead:  cargo run -p clienteling-mock-server -- --port 8787\n\
and point an app on a machine with a display at it:  CLIENTELING_BACKEND_URL=http://HOST:8787";

/// Why the embedded backend did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The backend itself failed (its port, its database, its demo data).
    #[error(transparent)]
    Server(#[from] ServerError),
    /// Its thread could not be started.
    #[error("cannot start the demo backend's thread: {0}")]
    Thread(std::io::Error),
    /// Its thread ended without answering.
    #[error("the demo backend's thread ended before it served")]
    Abandoned,
}

/// How much lower than the window's the embedded backend's scheduling priority is (a
/// `nice` increment: 10 gives it about a tenth of a core another thread wants).
#[cfg(target_os = "linux")]
const BACKEND_NICENESS: i32 = 10;

/// The backend chosen at start-up, its URL known before it serves.
pub enum Chosen {
    /// An external backend at this URL.
    Connected(String),
    /// The embedded mock backend, bound to its port and starting on its own thread.
    Embedded {
        /// Its base URL.
        url: String,
        /// Answers once it serves (or could not start).
        started: oneshot::Receiver<Result<RunningServer, StartError>>,
    },
}

impl Chosen {
    /// Connects to `CLIENTELING_BACKEND_URL` when set, else binds the embedded demo
    /// backend's port (fast): the core can open beside [`Chosen::start`].
    /// The embedded backend keeps its data in `data_dir`, beside the app's, so demo sessions
    /// survive restarts.
    pub async fn choose(data_dir: &Path) -> Result<Chosen, StartError> {
        if let Ok(url) = std::env::var(BACKEND_URL_VAR) {
            let url = url.trim_end_matches('/').to_owned();
            tracing::info!(%url, "connected mode");
            return Ok(Chosen::Connected(url));
        }
        let config = ServerConfig {
            // Demo mode: demo data, the demo accounts on the sign-in screen and the
            // simulator hooks.
            demo_data: true,
            db_path: Some(data_dir.join("demo-backend.db")),
            ..ServerConfig::default()
        };
        let (bound_tx, bound_rx) = oneshot::channel();
        let (started_tx, started) = oneshot::channel();
        std::thread::Builder::new()
            .name("demo-backend".into())
            .spawn(move || run_embedded(config, bound_tx, started_tx))
            .map_err(StartError::Thread)?;
        let url = bound_rx.await.map_err(|_| StartError::Abandoned)??;
        Ok(Chosen::Embedded { url, started })
    }

    /// The backend's base URL.
    pub fn url(&self) -> String {
        match self {
            Chosen::Connected(url) => url.clone(),
            Chosen::Embedded { url, .. } => url.clone(),
        }
    }

    /// Waits until the embedded backend serves (seeding the demo data the first time),
    /// for the caller to keep alive; requests sent to its URL meanwhile wait for it. A
    /// connected backend needs nothing.
    pub async fn start(self) -> Result<Option<RunningServer>, StartError> {
        match self {
            Chosen::Connected(_) => Ok(None),
            Chosen::Embedded { started, .. } => {
                let server = started.await.map_err(|_| StartError::Abandoned)??;
                tracing::info!(url = %server.url(), "demo mode: embedded mock backend");
                Ok(Some(server))
            }
        }
    }
}

/// The embedded backend's thread: a runtime of its own at a lower priority, on which it
/// binds its port (answering its URL), opens and seeds its database and serves (answering
/// the server), then keeps running for the app's lifetime.
fn run_embedded(
    config: ServerConfig,
    bound_tx: oneshot::Sender<Result<String, StartError>>,
    started_tx: oneshot::Sender<Result<RunningServer, StartError>>,
) {
    lower_priority();
    // One thread is plenty for a backend serving one app; the blocking pool (password
    // hashing) starts its threads with the same priority.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .on_thread_start(lower_priority)
        .enable_all()
        .build();
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(source) => {
            let _ = bound_tx.send(Err(StartError::Thread(source)));
            return;
        }
    };
    runtime.block_on(async move {
        let bound = match clienteling_mock_server::bind(config).await {
            Ok(bound) => bound,
            Err(error) => {
                let _ = bound_tx.send(Err(error.into()));
                return;
            }
        };
        if bound_tx.send(Ok(bound.url())).is_err() {
            return;
        }
        if started_tx
            .send(bound.start().await.map_err(StartError::from))
            .is_ok()
        {
            // The server's tasks run on this runtime: it lives as long as the app.
            std::future::pending::<()>().await;
        }
    });
}

/// Lowers the calling thread's scheduling priority (Linux: its `nice` value; elsewhere
/// nothing), so the window's threads and WebKit's processes come first. Threads it
/// starts (SQLite's worker, the blocking pool) inherit it.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        let thread = rustix::thread::gettid();
        if let Err(error) = rustix::process::setpriority_process(Some(thread), BACKEND_NICENESS) {
            tracing::debug!(%error, "the demo backend's priority could not be lowered");
        }
    }
}

/// The folder for the local database: `CLIENTELING_DATA_DIR`, else the platform's app data
/// folder.
pub fn data_dir(app: &AppHandle) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let dir = match std::env::var_os(DATA_DIR_VAR) {
        Some(dir) => PathBuf::from(dir),
        None => app.path().app_data_dir()?,
    };
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
