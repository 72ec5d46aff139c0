//! Which backend the app talks to: a URL from `CLIENTELING_BACKEND_URL` (connected mode),
//! or the mock backend embedded in-process with demo data (demo mode, the default).

use std::path::{Path, PathBuf};

use clienteling_mock_server::{RunningServer, ServerConfig};
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

/// The backend in use.
pub enum Backend {
    /// An external backend at this URL.
    Connected(String),
    /// The mock backend running inside this process.
    Embedded(RunningServer),
}

impl Backend {
    /// Connects to `CLIENTELING_BACKEND_URL` when set, else starts the embedded demo
    /// backend, keeping its data beside the app's so demo sessions survive restarts.
    pub async fn start(data_dir: &Path) -> Result<Backend, Box<dyn std::error::Error>> {
        if let Ok(url) = std::env::var(BACKEND_URL_VAR) {
            let url = url.trim_end_matches('/').to_owned();
            tracing::info!(%url, "connected mode");
            return Ok(Backend::Connected(url));
        }
        let server = clienteling_mock_server::spawn(ServerConfig {
            db_path: Some(data_dir.join("demo-backend.db")),
            // Demo mode: demo data, the demo accounts on the sign-in screen and the
            // simulator hooks.
            demo_data: true,
            ..ServerConfig::default()
        })
        .await?;
        tracing::info!(url = %server.url(), "demo mode: embedded mock backend");
        Ok(Backend::Embedded(server))
    }

    /// The backend's base URL.
    pub fn url(&self) -> String {
        match self {
            Backend::Connected(url) => url.clone(),
            Backend::Embedded(server) => server.url(),
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
