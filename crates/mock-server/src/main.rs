//! Runs the mock backend alone: `cargo run -p clienteling-mock-server -- --port 8787`.

use std::path::PathBuf;

use clap::Parser;
use clienteling_mock_server::{spawn, ServerConfig, SimulationConfig};
use tracing_subscriber::EnvFilter;

/// The Clienteling mock backend: demo data, a simulated messaging provider and customers.
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
    let server = spawn(ServerConfig {
        port: args.port,
        db_path: args.db,
        seed: args.seed,
        simulation,
        ..ServerConfig::default()
    })
    .await?;
    println!("Clienteling mock backend listening on {}", server.url());
    println!("OpenAPI document: {}/api/v1/openapi.json", server.url());
    println!("Demo logins (password \"demo\"):");
    for user in server.demo_users().await? {
        println!(
            "  {:<34} {:<14} {}",
            user.staff.login,
            user.staff.role.label(),
            user.store_names.join(", ")
        );
    }
    println!("Press Ctrl-C to stop.");
    tokio::signal::ctrl_c().await?;
    server.shutdown().await;
    Ok(())
}
