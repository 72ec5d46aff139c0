//! How a mock backend is started: its port, database, random seed, whether it has demo
//! data and simulator hooks, how long sessions last, the pace of the simulated messaging
//! provider and customers, the size of the change feed's pages, history added to the demo
//! for benchmarks, and the tests' hook on sends.

use std::path::PathBuf;
use std::time::Duration;

use crate::changes::MAX_LIMIT;
use crate::demo::volume::Volume;
use crate::send_gate::SendGate;

/// How long a session token works when the configuration names no other lifetime.
pub const DEFAULT_SESSION_LIFETIME: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// Everything [`crate::spawn`] needs to start a mock backend.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerConfig {
    /// Loopback port to listen on; 0 picks a free one.
    pub port: u16,
    /// SQLite file to keep the data in; `None` keeps it in memory for the server's life.
    pub db_path: Option<PathBuf>,
    /// Seed of the demo data and of the simulated customers' choices.
    pub seed: u64,
    /// Pace of the simulated provider and customers.
    pub simulation: SimulationConfig,
    /// The largest page of the change feed served, whatever the client asks for (at most
    /// [`MAX_LIMIT`]); tests make it small to exercise paging.
    pub max_page_size: u32,
    /// A demo server: seeds the demo data into an empty database and serves
    /// `GET /demo/users` (which hands out the demo password) and the simulator hooks.
    /// Without it those answer 404 like any unknown route.
    pub demo_data: bool,
    /// Serves the simulator hooks (`/simulator/*`: customers writing, time passing) even
    /// without demo data.
    pub simulator: bool,
    /// How long a session token works after sign-in, on the server clock (which the
    /// simulator can move forward).
    pub session_lifetime: Duration,
    /// Years of history added to the demo stores (benchmarks, trying a big store); `None`
    /// adds nothing. Only with demo data.
    pub history: Option<Volume>,
    /// Tests only: holds sends at a point of their handling until the test releases them;
    /// `None` (always, outside tests) lets every send through.
    pub send_gate: Option<SendGate>,
    /// How long after an order is delivered its customer's associate is asked to follow
    /// up ("How is the coat?", B8).
    pub follow_up_delay: Duration,
}

/// The default wait before a delivered order's follow-up task is due: three days.
pub const DEFAULT_FOLLOW_UP_DELAY: Duration = Duration::from_secs(3 * 24 * 60 * 60);

impl Default for ServerConfig {
    /// A demo server on a free port, in memory, seed 42, the demo pace, pages of up to
    /// [`MAX_LIMIT`], sessions of [`DEFAULT_SESSION_LIFETIME`], no send
    /// gate.
    fn default() -> Self {
        Self {
            port: 0,
            db_path: None,
            seed: 42,
            simulation: SimulationConfig::default(),
            max_page_size: MAX_LIMIT,
            demo_data: true,
            simulator: false,
            session_lifetime: DEFAULT_SESSION_LIFETIME,
            history: None,
            send_gate: None,
            follow_up_delay: DEFAULT_FOLLOW_UP_DELAY,
        }
    }
}

impl ServerConfig {
    /// The optional endpoints this configuration serves.
    pub fn demo_endpoints(&self) -> DemoEndpoints {
        DemoEndpoints {
            demo_users: self.demo_data,
            simulator: self.demo_data || self.simulator,
        }
    }
}

/// Which demo-only endpoints a server answers; elsewhere they are unknown routes (404).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoEndpoints {
    /// `GET /demo/users`: only with demo data.
    pub demo_users: bool,
    /// `/simulator/*`: with demo data or the explicit simulator switch.
    pub simulator: bool,
}

/// Delays of the simulated messaging provider and how chatty the simulated customers are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimulationConfig {
    /// From accepted (queued) to handed to the carrier (sent).
    pub sent_after_ms: u64,
    /// From sent to delivered (or failed, for unreachable numbers).
    pub delivered_after_ms: u64,
    /// From delivered to read, on WhatsApp only.
    pub read_after_ms: u64,
    /// Chance, from 0.0 to 1.0, that a customer answers a delivered message.
    pub reply_probability: f64,
    /// From delivered to the customer's answer.
    pub reply_after_ms: u64,
}

impl Default for SimulationConfig {
    /// The demo pace: statuses within seconds, a reply to about a third of the messages.
    fn default() -> Self {
        Self {
            sent_after_ms: 400,
            delivered_after_ms: 800,
            read_after_ms: 2_000,
            reply_probability: 0.35,
            reply_after_ms: 4_000,
        }
    }
}

impl SimulationConfig {
    /// For tests: statuses advance within a few milliseconds and customers never answer
    /// on their own.
    pub fn instant() -> Self {
        Self {
            sent_after_ms: 5,
            delivered_after_ms: 5,
            read_after_ms: 5,
            reply_probability: 0.0,
            reply_after_ms: 5,
        }
    }

    /// The demo pace without spontaneous customer replies (`--quiet-simulation`).
    pub fn quiet() -> Self {
        Self {
            reply_probability: 0.0,
            ..Self::default()
        }
    }
}
