//! The Tauri shell: wires plugins, the core engine, the commands and the event forwarding.
//! Business logic lives in `clienteling-core` and rules in `clienteling-domain`.

mod backend;
mod commands;
mod events;
mod foreground;
mod notification;

use std::sync::Arc;

use clienteling_core::{Core, CoreConfig, RetryPolicy, SystemClock};
use clienteling_domain::Clock;
use tauri::{Manager, Window, WindowEvent};

use crate::backend::Backend;
use crate::foreground::Foreground;

/// What the commands reach through `tauri::State`.
pub struct AppState {
    /// The engine.
    pub core: Core,
    /// The embedded mock backend in demo mode, kept alive for the app's lifetime.
    pub backend: Backend,
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
            let backend = tauri::async_runtime::block_on(Backend::start(&data_dir))?;
            let core = tauri::async_runtime::block_on(Core::open(CoreConfig {
                data_dir,
                backend_url: backend.url(),
                clock: Arc::new(SystemClock),
                retry: RetryPolicy::default(),
            }))?;
            #[cfg(mobile)]
            notification::mobile::install(app.handle(), core.clone());
            events::forward(app.handle().clone(), core.clone());
            app.manage(AppState { core, backend });
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

/// Window hook: remembers when the app leaves the foreground (the window loses the focus or
/// goes away; on mobile, the app is paused), for which messages notify (M12).
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
}
