//! The state every request handler and simulation task shares: the database, the server
//! clock, the change feed, the simulation, what the configuration serves, the sign-out
//! signal, the shutdown signal and the tests' send gate.

use std::sync::Arc;
use std::time::Duration;

use clienteling_domain::{Clock, Timestamp};
use sqlx::SqlitePool;
use tokio::sync::watch;

use crate::changes::ChangeFeed;
use crate::clock::ServerClock;
use crate::config::{DemoEndpoints, ServerConfig};
use crate::db::Database;
use crate::demo;
use crate::error::ServerError;
use crate::send_gate::SendGate;
use crate::simulation::Simulation;

/// Shared, cheaply cloned handle on the backend's state.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    database: Database,
    clock: ServerClock,
    feed: ChangeFeed,
    simulation: Simulation,
    max_page_size: u32,
    demo_endpoints: DemoEndpoints,
    session_lifetime: Duration,
    follow_up_delay: Duration,
    sign_outs: watch::Sender<u64>,
    shutdown: watch::Sender<bool>,
    send_gate: Option<SendGate>,
}

impl AppState {
    /// Opens the database of `config` (seeding the demo data into an empty one when it
    /// is a demo server) and prepares the simulation; nothing runs until the router serves
    /// requests or [`AppState::resume_simulation`] is called.
    pub async fn open(config: &ServerConfig) -> Result<AppState, ServerError> {
        let database = Database::open(config.db_path.as_deref()).await?;
        let pool = database.pool();
        let clock = ServerClock::load(pool).await?;
        if config.demo_data {
            demo::seed_if_empty(pool, config.seed, clock.now()).await?;
            if let Some(volume) = config.history {
                demo::volume::add_if_missing(pool, volume, config.seed, clock.now()).await?;
            }
        }
        Ok(AppState {
            inner: Arc::new(Inner {
                database,
                clock,
                feed: ChangeFeed::default(),
                simulation: Simulation::new(config.simulation, config.seed),
                max_page_size: config.max_page_size,
                demo_endpoints: config.demo_endpoints(),
                session_lifetime: config.session_lifetime,
                follow_up_delay: config.follow_up_delay,
                sign_outs: watch::channel(0).0,
                shutdown: watch::channel(false).0,
                send_gate: config.send_gate.clone(),
            }),
        })
    }

    /// The database.
    pub fn pool(&self) -> &SqlitePool {
        self.inner.database.pool()
    }

    /// The largest page of the change feed served.
    pub fn max_page_size(&self) -> u32 {
        self.inner.max_page_size
    }

    /// The demo-only endpoints this server answers.
    pub fn demo_endpoints(&self) -> DemoEndpoints {
        self.inner.demo_endpoints
    }

    /// How long after a delivery its follow-up task is due (B8).
    pub fn follow_up_delay(&self) -> Duration {
        self.inner.follow_up_delay
    }

    /// How long a session token works after sign-in.
    pub fn session_lifetime(&self) -> Duration {
        self.inner.session_lifetime
    }

    /// A receiver that changes whenever a session is signed out, so live streams can check
    /// that theirs still holds.
    pub fn sign_out_signal(&self) -> watch::Receiver<u64> {
        self.inner.sign_outs.subscribe()
    }

    /// Tells live streams that a session was signed out.
    pub fn announce_sign_out(&self) {
        self.inner.sign_outs.send_modify(|count| *count += 1);
    }

    /// The server clock (system time plus the simulator's offset).
    pub fn clock(&self) -> &ServerClock {
        &self.inner.clock
    }

    /// The server's current time.
    pub fn now(&self) -> Timestamp {
        self.inner.clock.now()
    }

    /// The live change feed.
    pub fn feed(&self) -> &ChangeFeed {
        &self.inner.feed
    }

    /// The simulated provider and customers.
    pub fn simulation(&self) -> &Simulation {
        &self.inner.simulation
    }

    /// Picks up messages the provider had not finished with when the server last stopped.
    pub async fn resume_simulation(&self) -> Result<(), sqlx::Error> {
        self.inner.simulation.resume(self).await
    }

    /// The tests' hook on sends, when configured.
    pub fn send_gate(&self) -> Option<&SendGate> {
        self.inner.send_gate.as_ref()
    }

    /// A receiver that turns `true` when the server begins to shut down.
    pub fn shutdown_signal(&self) -> watch::Receiver<bool> {
        self.inner.shutdown.subscribe()
    }

    /// Tells live streams and the server loop to stop.
    pub fn begin_shutdown(&self) {
        self.inner.shutdown.send_replace(true);
    }

    /// Stops the simulation and closes the database.
    pub async fn close(&self) {
        self.inner.simulation.stop().await;
        self.inner.database.close().await;
    }
}
