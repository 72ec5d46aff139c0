//! The Clienteling mock backend: the system of record for development and tests. An axum
//! JSON API under `/api/v1` over its own SQLite (in memory by default), with demo data, a
//! change feed with live push, and a simulated messaging provider and customers.
//!
//! Run it alone (`cargo run -p clienteling-mock-server -- --port 8787`) or in-process with
//! [`spawn`] (port 0 picks a free port) or [`bind`] then [`BoundServer::start`] (the URL
//! known before the demo data is seeded), or mount [`router`] yourself.

pub mod attributes;
pub mod auth;
pub mod carts;
pub mod catalog;
pub mod changes;
pub mod clock;
pub mod config;
pub mod consent;
pub mod conversation;
pub mod customers;
pub mod db;
pub mod demo;
pub mod directory;
pub mod error;
pub mod html;
pub mod messaging;
pub mod notes;
pub mod openapi;
pub mod orders;
pub mod password;
pub mod random;
pub mod routes;
pub mod send_gate;
pub mod setup;
pub mod shop;
pub mod simulation;
pub mod snapshot;
pub mod state;
pub mod tasks;

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use clienteling_domain::api::DemoUser;
use tokio::task::JoinHandle;

pub use config::{DemoEndpoints, ServerConfig, SimulationConfig, DEFAULT_SESSION_LIFETIME};
pub use error::ServerError;
pub use routes::router;
pub use send_gate::{HeldSend, SendGate, SendStop, Settled};
pub use state::AppState;

/// How long a graceful shutdown waits for open requests before cutting them off.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// A mock backend serving on loopback. Dropping it stops the server too, but
/// [`RunningServer::shutdown`] also waits until everything has stopped.
pub struct RunningServer {
    /// The address it listens on.
    pub addr: SocketAddr,
    state: AppState,
    serving: Option<JoinHandle<()>>,
}

/// Starts a mock backend on `127.0.0.1:{config.port}`: opens (and if empty seeds) the
/// database, resumes the simulation and serves in a background task. Works from any tokio
/// runtime, current-thread or multi-thread.
pub async fn spawn(config: ServerConfig) -> Result<RunningServer, ServerError> {
    bind(config).await?.start().await
}

/// Binds `127.0.0.1:{config.port}` without serving yet, so its URL is known at once: a
/// client may connect right away, and its requests wait in the listen backlog until
/// [`BoundServer::start`] has opened (and seeded) the database and serves them.
pub async fn bind(config: ServerConfig) -> Result<BoundServer, ServerError> {
    let bind_error = |source| ServerError::Bind {
        port: config.port,
        source,
    };
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, config.port))
        .await
        .map_err(bind_error)?;
    let addr = listener.local_addr().map_err(bind_error)?;
    Ok(BoundServer {
        addr,
        listener,
        config,
    })
}

/// A mock backend whose port is bound but which does not serve yet (see [`bind`]).
pub struct BoundServer {
    /// The address it listens on.
    pub addr: SocketAddr,
    listener: tokio::net::TcpListener,
    config: ServerConfig,
}

impl BoundServer {
    /// The base URL it will serve, e.g. `http://127.0.0.1:8787` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Opens (and if empty seeds) the database, resumes the simulation and serves in a
    /// background task, the requests already waiting first.
    pub async fn start(self) -> Result<RunningServer, ServerError> {
        let BoundServer {
            addr,
            listener,
            config,
        } = self;
        let state = AppState::open(&config).await?;
        state.resume_simulation().await?;
        let mut stopping = state.shutdown_signal();
        let app = router(state.clone());
        let serving = tokio::spawn(async move {
            let stop = async move {
                // An error means the state is gone, which is a reason to stop as well.
                let _ = stopping.wait_for(|stop| *stop).await;
            };
            if let Err(error) = axum::serve(listener, app)
                .with_graceful_shutdown(stop)
                .await
            {
                tracing::error!(%error, "the mock backend stopped serving");
            }
        });
        tracing::info!(%addr, "mock backend listening");
        Ok(RunningServer {
            addr,
            state,
            serving: Some(serving),
        })
    }
}

impl RunningServer {
    /// The base URL, e.g. `http://127.0.0.1:8787` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The backend's state, for in-process use (its clock, its database).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The demo accounts, for printing at start-up.
    pub async fn demo_users(&self) -> Result<Vec<DemoUser>, ServerError> {
        let mut conn = self.state.pool().acquire().await?;
        Ok(directory::demo_users(&mut conn).await?)
    }

    /// Stops accepting requests, ends the live streams, waits for open requests (up to a
    /// few seconds), stops the simulation and closes the database, so the port and the
    /// database file can be used again at once.
    pub async fn shutdown(mut self) {
        self.state.begin_shutdown();
        if let Some(mut serving) = self.serving.take() {
            if tokio::time::timeout(SHUTDOWN_GRACE, &mut serving)
                .await
                .is_err()
            {
                tracing::warn!("open requests did not finish in time; cutting them off");
                serving.abort();
                let _ = serving.await;
            }
        }
        self.state.close().await;
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if self.serving.is_some() {
            self.state.begin_shutdown();
        }
    }
}
