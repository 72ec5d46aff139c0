//! The Tauri shell: wires plugins, the core engine, the commands and the event forwarding.
//! Business logic lives in `clienteling-core` and rules in `clienteling-domain`.
//!
//! Nothing slow runs on the main thread before the first frame: `setup` only manages the
//! state and spawns the start-up task (local database, embedded backend and its demo
//! data); commands wait for the core through [`startup::Readiness`], and a failed start
//! reaches the UI as the error of `wait_for_core`.

mod backend;
mod commands;
mod events;
mod foreground;
mod notification;
#[cfg(target_os = "linux")]
pub mod rendering;
mod startup;

use std::sync::Arc;

use std::path::PathBuf;

use clienteling_core::{Core, CoreConfig, RetryPolicy, SystemClock};
use clienteling_domain::{ApiError, Clock, ErrorCode};
use tauri::{AppHandle, Manager, Window, WindowEvent};

use crate::backend::Backend;
use crate::foreground::Foreground;
use crate::startup::Readiness;

/// The engine and the backend it talks to, once started.
#[derive(Clone)]
pub struct Started {
    /// The engine.
    pub core: Core,
    /// The embedded mock backend in demo mode, kept alive for the app's lifetime.
    pub backend: Arc<Backend>,
}

/// What the commands reach through `tauri::State`: the engine, once started.
#[derive(Default)]
pub struct AppState {
    started: Readiness<Started>,
}

impl AppState {
    /// The engine, waiting for start-up to finish; the start-up error when it failed.
    pub async fn core(&self) -> Result<Core, ApiError> {
        Ok(self.started.wait().await?.core)
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
            let started = state.started.clone();
            app.manage(state);
            let app = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                match start(&app, data_dir).await {
                    Ok(value) => started.ready(value),
                    Err(error) => {
                        tracing::error!(%error, "Clienteling Associate could not start");
                        started.fail(error);
                    }
                }
            });
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

/// The start-up task: the backend (embedded or connected), then the core over the local
/// database, then the event forwarding.
async fn start(app: &AppHandle, data_dir: PathBuf) -> Result<Started, ApiError> {
    let backend = Backend::start(&data_dir).await.map_err(|error| {
        ApiError::new(
            ErrorCode::Internal,
            format!("the demo backend could not start: {error}"),
        )
    })?;
    let core = Core::open(CoreConfig {
        data_dir,
        backend_url: backend.url(),
        clock: Arc::new(SystemClock),
        retry: RetryPolicy::default(),
    })
    .await?;
    #[cfg(mobile)]
    notification::mobile::install(app, core.clone());
    events::forward(app.clone(), core.clone());
    tracing::info!("core ready");
    Ok(Started {
        core,
        backend: Arc::new(backend),
    })
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
