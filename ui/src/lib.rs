//! Clienteling Associate's UI: a Yew app compiled to wasm and served by the Tauri shell.
//! It renders state and sends intents over IPC; business rules stay in `clienteling-domain`
//! (previewed here, enforced by the core and the backend).
//!
//! Layout: `app` (the root and its screens), `routes` (a URL for every signed-in screen),
//! `pages/` (sign-in, the workspace, conversations, customers), `components/` (pieces of
//! those pages), `hooks/`, `state/` (the reducer and intents), `ipc` (the shell's commands
//! and events), `clock` (the browser's time).

pub mod app;
pub mod clock;
pub mod components;
pub mod hooks;
pub mod ipc;
pub mod pages;
pub mod routes;
pub mod state;

/// Mounts the app on the page's `<body>`.
pub fn start() {
    yew::Renderer::<app::App>::new().render();
}
