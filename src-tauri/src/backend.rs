//! Which backend the app talks to: a URL from `CLIENTELING_BACKEND_URL` (connected mode),
//! or the mock backend embedded in-process with demo data (demo mode, the default).

use std::path::{Path, PathBuf};

use clienteling_mock_server::{BoundServer, RunningServer, ServerConfig, ServerError};
use tauri::{AppHandle, Manager};

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

/// The backend chosen at start-up, its URL known before it serves.
pub enum Chosen {
    /// An external backend at this URL.
    Connected(String),
    /// The embedded mock backend, bound to its port but not started yet.
    Embedded(BoundServer),
}

impl Chosen {
    /// Connects to `CLIENTELING_BACKEND_URL` when set, else binds the embedded demo
    /// backend's port (fast): the core can open beside [`Chosen::start`].
    /// The embedded backend keeps its data in `data_dir`, beside the app's, so demo sessions
    /// survive restarts.
    pub async fn choose(data_dir: &Path) -> Result<Chosen, ServerError> {
        if let Ok(url) = std::env::var(BACKEND_URL_VAR) {
            let url = url.trim_end_matches('/').to_owned();
            tracing::info!(%url, "connected mode");
            return Ok(Chosen::Connected(url));
        }
        let bound = clienteling_mock_server::bind(ServerConfig {
            // Demo mode: demo data, the demo accounts on the sign-in screen and the
            // simulator hooks.
            demo_data: true,
            db_path: Some(data_dir.join("demo-backend.db")),
            ..ServerConfig::default()
        })
        .await?;
        Ok(Chosen::Embedded(bound))
    }

    /// The backend's base URL.
    pub fn url(&self) -> String {
        match self {
            Chosen::Connected(url) => url.clone(),
            Chosen::Embedded(bound) => bound.url(),
        }
    }

    /// Starts the embedded backend (seeding the demo data the first time), which the
    /// caller keeps alive; requests sent to its URL meanwhile wait for it. A connected
    /// backend needs nothing.
    pub async fn start(self) -> Result<Option<RunningServer>, ServerError> {
        match self {
            Chosen::Connected(_) => Ok(None),
            Chosen::Embedded(bound) => {
                let server = bound.start().await?;
                tracing::info!(url = %server.url(), "demo mode: embedded mock backend");
                Ok(Some(server))
            }
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
