//! Runs the mock backend alone: `cargo run -p clienteling-mock-server -- --port 8787`.

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use clienteling_mock_server::demo::volume::Volume;
use clienteling_mock_server::{spawn, ServerConfig, SimulationConfig, DEFAULT_SESSION_LIFETIME};
use tracing_subscriber::EnvFilter;

/// The Clienteling mock backend: demo data, a simulated messaging provider and customers.
///
/// By default it is a demo server: it seeds demo data into an empty database and serves
/// `GET /api/v1/demo/users` (the demo logins and password) and the simulator hooks
/// (`/api/v1/simulator/*`). With `--no-demo` those answer 404 and nothing is seeded;
/// `--simulator` brings the simulator hooks back without the demo data.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Loopback port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8787)]
    port: u16,
    /// Keep the data in this SQLite file instead of in memory.
    #[arg(long = "db", value_name = "FILE")]
    db: Option<PathBuf>,
    /// Seed of the demo data and of the simulated customers.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Customers never answer on their own (statuses still advance).
    #[arg(long)]
    quiet_simulation: bool,
    /// No demo data: seed nothing, and answer 404 to /demo/users and /simulator/*.
    #[arg(long)]
    no_demo: bool,
    /// Serve the simulator hooks (/simulator/*) even with --no-demo.
    #[arg(long)]
    simulator: bool,
    /// How long a session token works after sign-in, in hours of server time.
    #[arg(
        long,
        value_name = "HOURS",
        default_value_t = DEFAULT_SESSION_LIFETIME.as_secs() / 3600,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    session_hours: u64,
    /// Add this many messages of history (spread over the last year) to the demo stores,
    /// over one customer and conversation per 50 messages: a big store to try the app on.
    #[arg(long, value_name = "MESSAGES", default_value_t = 0)]
    history_messages: usize,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    let simulation = if args.quiet_simulation {
        SimulationConfig::quiet()
    } else {
        SimulationConfig::default()
    };
    let config = ServerConfig {
        port: args.port,
        db_path: args.db,
        seed: args.seed,
        simulation,
        demo_data: !args.no_demo,
        simulator: args.simulator,
        session_lifetime: Duration::from_secs(args.session_hours.saturating_mul(3600)),
        history: (args.history_messages > 0).then(|| Volume {
            customers: (args.history_messages / 50).max(1),
            messages: args.history_messages,
        }),
        ..ServerConfig::default()
    };
    let endpoints = config.demo_endpoints();
    let server = spawn(config).await?;
    println!("Clienteling mock backend listening on {}", server.url());
    println!("OpenAPI document: {}/api/v1/openapi.json", server.url());
    println!(
        "Sessions last {} hours of server time; DELETE /api/v1/sessions/current signs out.",
        args.session_hours
    );
    if endpoints.demo_users {
        println!("Demo logins (password \"demo\"):");
        for user in server.demo_users().await? {
            println!(
                "  {:<34} {:<14} {}",
                user.staff.login,
                user.staff.role.label(),
                user.store_names.join(", ")
            );
        }
    } else {
        println!("No demo data: /api/v1/demo/users answers 404.");
    }
    if endpoints.simulator {
        println!("Simulator hooks: {}/api/v1/simulator/...", server.url());
    } else {
        println!("No simulator: /api/v1/simulator/* answers 404 (--simulator serves it).");
    }
    println!("Press Ctrl-C to stop.");
    tokio::signal::ctrl_c().await?;
    server.shutdown().await;
    Ok(())
}
