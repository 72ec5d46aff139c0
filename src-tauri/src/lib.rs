//! The Tauri shell: wires plugins, the core engine, the commands and the event forwarding.
//! Business logic lives in `clienteling-core` and rules in `clienteling-domain`.
//!
//! Nothing slow runs on the main thread before the first frame: `setup` only manages the
//! state and spawns the start-up task (the local database, and beside it the embedded
//! backend seeding its demo data); commands wait for the core, and those that need the
//! backend for it too, through [`startup::Readiness`]; a failed start reaches the UI as
//! the error of `wait_for_core` (or of the demo accounts and signing in).

mod backend;
mod commands;
mod events;
mod foreground;
mod notification;
#[cfg(target_os = "linux")]
pub mod rendering;
mod startup;

use std::path::PathBuf;
use std::sync::Arc;

use clienteling_core::{Core, CoreConfig, RetryPolicy, SystemClock};
use clienteling_domain::{ApiError, Clock, ErrorCode};
use clienteling_mock_server::RunningServer;
use tauri::{AppHandle, Manager, Window, WindowEvent};

use crate::backend::{Chosen, StartError};
use crate::foreground::Foreground;
use crate::startup::Readiness;

/// The embedded mock backend in demo mode (`None` when connected to another), kept alive
/// for the app's lifetime.
type EmbeddedBackend = Arc<Option<RunningServer>>;

/// What the commands reach through `tauri::State`: the engine and the backend, each once
/// started. The two start side by side, so the local copy (and the sign-in screen) does
/// not wait for the demo data to be seeded.
#[derive(Default)]
pub struct AppState {
    core: Readiness<Core>,
    backend: Readiness<EmbeddedBackend>,
}

impl AppState {
    /// The engine, waiting for start-up to finish; the start-up error when it failed.
    pub async fn core(&self) -> Result<Core, ApiError> {
        self.core.wait().await
    }

    /// The engine once the backend it talks to serves too (for what cannot be answered
    /// locally: the demo accounts, signing in); the backend's start-up error when the
    /// embedded one could not start.
    pub async fn core_with_backend(&self) -> Result<Core, ApiError> {
        self.backend.wait().await?;
        self.core().await
    }
}

/// Builds and runs the app (desktop and mobile).
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tao=warn,wry=warn".into()),
        )
        .init();
    #[cfg(target_os = "linux")]
    rendering::draw_directly_without_gpu();

    #[cfg(target_os = "linux")]
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        eprintln!("{}", backend::NO_DISPLAY_HELP);
        std::process::exit(2);
    }

    let builder = tauri::Builder::default().plugin(tauri_plugin_notification::init());
    #[cfg(mobile)]
    let builder = builder
        .plugin(tauri_plugin_barcode_scanner::init())
        .on_page_load(notification::mobile::on_page_load);

    let result = builder
        .setup(|app| {
            let data_dir = backend::data_dir(app.handle())?;
            app.manage(Foreground::load(&data_dir));
            let state = AppState::default();
            let (core, backend) = (state.core.clone(), state.backend.clone());
            app.manage(state);
            let app = app.handle().clone();
            tauri::async_runtime::spawn(start(app, data_dir, core, backend));
            Ok(())
        })
        .on_window_event(record_foreground)
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("Clienteling Associate could not start: {error}");
        std::process::exit(1);
    }
}

/// The start-up task: chooses the backend (binding the embedded one's port), then starts
/// it (seeding its demo data the first time) beside the core over the local database and
/// the event forwarding; each settles its own readiness.
async fn start(
    app: AppHandle,
    data_dir: PathBuf,
    core_ready: Readiness<Core>,
    backend_ready: Readiness<EmbeddedBackend>,
) {
    let chosen = match Chosen::choose(&data_dir).await {
        Ok(chosen) => chosen,
        Err(error) => {
            let error = backend_error(&error);
            core_ready.fail(error.clone());
            backend_ready.fail(error);
            return;
        }
    };
    let backend_url = chosen.url();
    tauri::async_runtime::spawn(async move {
        match chosen.start().await {
            Ok(server) => backend_ready.ready(Arc::new(server)),
            Err(error) => backend_ready.fail(backend_error(&error)),
        }
    });
    match open_core(&app, data_dir, backend_url).await {
        Ok(core) => core_ready.ready(core),
        Err(error) => {
            tracing::error!(%error, "Clienteling Associate could not start");
            core_ready.fail(error);
        }
    }
}

/// The error every waiter on a backend that could not start gets (logged once here).
fn backend_error(error: &StartError) -> ApiError {
    tracing::error!(%error, "the demo backend could not start");
    ApiError::new(
        ErrorCode::Internal,
        format!("the demo backend could not start: {error}"),
    )
}

/// The core over the local database, talking to `backend_url`, with its events forwarded
/// to the UI.
async fn open_core(
    app: &AppHandle,
    data_dir: PathBuf,
    backend_url: String,
) -> Result<Core, ApiError> {
    let core = Core::open(CoreConfig {
        data_dir,
        backend_url,
        clock: Arc::new(SystemClock),
        retry: RetryPolicy::default(),
    })
    .await?;
    #[cfg(mobile)]
    notification::mobile::install(app, core.clone());
    events::forward(app.clone(), core.clone());
    tracing::info!("core ready");
    Ok(core)
}

/// Window hook: remembers when the app leaves the foreground (the window loses the focus or
/// goes away; on mobile, the app is paused), for which messages notify (M12); and when it
/// comes back, raises the tasks that came due meanwhile (a phone may have held the core's
/// timer, B3).
fn record_foreground(window: &Window, event: &WindowEvent) {
    let leaves = match event {
        WindowEvent::Focused(false) | WindowEvent::Destroyed => true,
        #[cfg(mobile)]
        WindowEvent::Suspended => true,
        _ => false,
    };
    if leaves {
        if let Some(foreground) = window.app_handle().try_state::<Foreground>() {
            foreground.leave(SystemClock.now());
        }
    }
    let returns = match event {
        WindowEvent::Focused(true) => true,
        #[cfg(mobile)]
        WindowEvent::Resumed => true,
        _ => false,
    };
    if returns {
        let app = window.app_handle().clone();
        tauri::async_runtime::spawn(async move {
            let Some(state) = app.try_state::<AppState>() else {
                return;
            };
            if let Ok(core) = state.core().await {
                if let Err(error) = core.check_due_tasks().await {
                    tracing::warn!(%error, "the due tasks could not be checked");
                }
            }
        });
    }
}
