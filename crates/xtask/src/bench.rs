//! `cargo xtask bench-startup`: starts the real app several times, each with a fresh data
//! folder, on an X display (its own Xvfb unless `DISPLAY` is set) and reports the median
//! time from launch to the window mapped (polled with `xdotool`) and to the first screen
//! past the splash shown (the app logs `first screen shown` when the UI reports it), beside
//! the same times for a Tauri window with a minimal static page.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// The window title the app opens with.
const WINDOW_TITLE: &str = "^Clienteling Associate$";
/// The log line the app writes once the first screen past the splash is shown.
const FIRST_SCREEN_LINE: &str = "first screen shown";
/// How long one launch may take before the bench gives up on it.
const RUN_LIMIT: Duration = Duration::from_secs(90);
/// The baseline's example name in `src-tauri/examples`.
const BASELINE: &str = "minimal_page";
/// How often the window is looked for.
const POLL: Duration = Duration::from_millis(10);

/// What to run.
#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    /// How many launches.
    pub runs: usize,
    /// The app binary; `<target>/debug/clienteling-app` when not given.
    pub app: Option<PathBuf>,
}

/// Why the bench could not measure.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// A program could not be started.
    #[error("could not run `{program}`: {source} (scripts/setup.sh installs the test packages)")]
    Spawn {
        /// The program.
        program: String,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The app binary is not built.
    #[error("no app at {0}; build it with `cargo xtask build-ui --release && cargo build -p clienteling-app`")]
    MissingApp(PathBuf),
    /// The baseline could not be built.
    #[error(
        "building the minimal page (`cargo build -p clienteling-app --example {BASELINE}`) failed"
    )]
    Baseline,
    /// Xvfb did not say which display it opened.
    #[error("Xvfb did not start")]
    Xvfb,
    /// A scratch data folder could not be made.
    #[error("could not create a scratch data folder: {0}")]
    Scratch(std::io::Error),
    /// A launch did not get that far in time.
    #[error("run {run}: the app showed no {what} within {RUN_LIMIT:?}")]
    Timeout {
        /// Which launch.
        run: usize,
        /// What was awaited.
        what: &'static str,
    },
}

/// Times of one launch, from spawning the process.
struct Launch {
    mapped: Duration,
    first_screen: Duration,
}

/// Runs the bench and prints the figures: the app's launches, then as many of the
/// baseline (a Tauri window with a static page, `src-tauri/examples/minimal_page.rs`,
/// built here first).
pub fn run(options: &Options, root: &Path, target_dir: &Path) -> Result<(), BenchError> {
    let app = options
        .app
        .clone()
        .unwrap_or_else(|| target_dir.join("debug").join("clienteling-app"));
    if !app.is_file() {
        return Err(BenchError::MissingApp(app));
    }
    let baseline = build_baseline(root, target_dir)?;
    let (display, xvfb) = match std::env::var("DISPLAY") {
        Ok(display) if !display.is_empty() => (display, None),
        _ => {
            let (display, child) = start_xvfb()?;
            (display, Some(KillOnDrop(child)))
        }
    };
    let app_median = measure("app", &app, &display, options.runs)?;
    let baseline_median = measure("minimal page", &baseline, &display, options.runs)?;
    drop(xvfb);
    for (label, median) in [("app", app_median), ("minimal page", baseline_median)] {
        println!(
            "{label:>12}: median of {} runs: window mapped {:.0} ms, first screen shown {:.0} ms",
            options.runs,
            millis(median.mapped),
            millis(median.first_screen)
        );
    }
    Ok(())
}

/// `cargo build -p clienteling-app --example minimal_page`; the binary's path.
fn build_baseline(root: &Path, target_dir: &Path) -> Result<PathBuf, BenchError> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(&cargo)
        .current_dir(root)
        .args(["build", "-p", "clienteling-app", "--example", BASELINE])
        .status()
        .map_err(|source| BenchError::Spawn {
            program: cargo.to_string_lossy().into_owned(),
            source,
        })?;
    if !status.success() {
        return Err(BenchError::Baseline);
    }
    Ok(target_dir.join("debug").join("examples").join(BASELINE))
}

/// Launches `binary` `runs` times, printing each launch; the medians.
fn measure(label: &str, binary: &Path, display: &str, runs: usize) -> Result<Launch, BenchError> {
    let mut launches = Vec::with_capacity(runs);
    for run in 1..=runs {
        let launch = launch(binary, display, run)?;
        println!(
            "{label:>12} run {run}: window mapped {:>6.0} ms, first screen shown {:>6.0} ms",
            millis(launch.mapped),
            millis(launch.first_screen)
        );
        launches.push(launch);
    }
    let mut mapped: Vec<Duration> = launches.iter().map(|l| l.mapped).collect();
    let mut first: Vec<Duration> = launches.iter().map(|l| l.first_screen).collect();
    Ok(Launch {
        mapped: median(&mut mapped),
        first_screen: median(&mut first),
    })
}

/// Starts the app once with a fresh data folder and times it.
fn launch(app: &Path, display: &str, run: usize) -> Result<Launch, BenchError> {
    let data = tempfile::tempdir().map_err(BenchError::Scratch)?;
    let started = Instant::now();
    let mut child = Command::new(app)
        .env("DISPLAY", display)
        .env("CLIENTELING_DATA_DIR", data.path())
        .env_remove("CLIENTELING_BACKEND_URL")
        .env_remove("WAYLAND_DISPLAY")
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|source| BenchError::Spawn {
            program: app.display().to_string(),
            source,
        })?;
    let (shown_tx, shown_rx) = mpsc::channel();
    // The app logs to its standard output.
    if let Some(log) = child.stdout.take() {
        thread::spawn(move || watch_log(log, started, &shown_tx));
    }
    let app = KillOnDrop(child);
    let mapped = wait_for_window(display, started).ok_or(BenchError::Timeout {
        run,
        what: "window",
    })?;
    let remaining = RUN_LIMIT.saturating_sub(started.elapsed());
    let first_screen = shown_rx
        .recv_timeout(remaining)
        .map_err(|_| BenchError::Timeout {
            run,
            what: "first screen",
        })?;
    drop(app);
    Ok(Launch {
        mapped,
        first_screen,
    })
}

/// Sends the time of the first-screen log line; drains the rest of the log.
fn watch_log(log: impl Read, started: Instant, shown: &mpsc::Sender<Duration>) {
    let mut sent = false;
    for line in BufReader::new(log).lines() {
        let Ok(line) = line else { break };
        if !sent && line.contains(FIRST_SCREEN_LINE) {
            sent = shown.send(started.elapsed()).is_ok();
        }
    }
}

/// Polls for a visible window with the app's title; its time since `started`.
fn wait_for_window(display: &str, started: Instant) -> Option<Duration> {
    while started.elapsed() < RUN_LIMIT {
        let found = Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", WINDOW_TITLE])
            .env("DISPLAY", display)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if found {
            return Some(started.elapsed());
        }
        thread::sleep(POLL);
    }
    None
}

/// Starts `Xvfb` on a free display and answers its name (`:N`).
fn start_xvfb() -> Result<(String, Child), BenchError> {
    let mut child = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|source| BenchError::Spawn {
            program: "Xvfb".into(),
            source,
        })?;
    let mut number = String::new();
    if let Some(stdout) = child.stdout.take() {
        // Xvfb writes the display number and a newline once it accepts clients.
        if BufReader::new(stdout).read_line(&mut number).is_err() {
            number.clear();
        }
    }
    let number = number.trim();
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
        let _ = child.kill();
        let _ = child.wait();
        return Err(BenchError::Xvfb);
    }
    Ok((format!(":{number}"), child))
}

/// Ends the child process when dropped.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// The median (the lower middle one of an even count); zero for none.
fn median(values: &mut [Duration]) -> Duration {
    values.sort_unstable();
    match values.len() {
        0 => Duration::ZERO,
        n => values[(n - 1) / 2],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_is_the_middle_time_and_the_lower_middle_of_an_even_count() {
        let ms = Duration::from_millis;
        assert_eq!(
            median(&mut [ms(30), ms(10), ms(20)]),
            ms(20),
            "the middle of three sorted times"
        );
        assert_eq!(
            median(&mut [ms(40), ms(10), ms(30), ms(20)]),
            ms(20),
            "the lower middle of four"
        );
        assert_eq!(median(&mut []), Duration::ZERO, "no runs, no time");
    }
}
