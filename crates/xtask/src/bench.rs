//! `cargo xtask bench-startup`: starts the real app several times, each with a fresh data
//! folder, on an X display (a fresh Xvfb for each launch unless `DISPLAY` is set), and
//! reports medians of: the window mapped (polled with `xdotool`), the first frame (the
//! static splash), the sign-in screen painted (its form), its demo accounts listed, the
//! inbox painted with its rows (the bench signs in as the first demo account with the
//! keyboard once they are listed, as a person would), the WebKit web
//! process's CPU time until sign-in was painted, and the memory of the app and its WebKit
//! processes with the inbox shown. Each launch of the app is followed by a second one over
//! the same data folder, as a person opening the app again: it takes the stored session
//! up and starts at the inbox, and its window mapped, first frame, inbox painted and
//! memory are reported too. Beside them the same for a Tauri window built from the
//! same crate showing a static one-heading page, and the ratios app ÷ minimal page.
//!
//! "Painted" is the same signal in both: the page asks for the animation frame after the
//! one that draws the screen, then calls `report_painted_screen`, which logs
//! `painted <screen>` (`splash`, `sign_in`, `demo_accounts`, `inbox`; `page` for the
//! minimal page).

mod processes;

use processes::Usage;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// The window title the app opens with.
const WINDOW_TITLE: &str = "^Clienteling Associate$";
/// What starts the log line of a painted screen; the screen's name follows.
const PAINTED: &str = "painted ";
/// How long one launch may take before the bench gives up on it.
const RUN_LIMIT: Duration = Duration::from_secs(90);
/// How long the processes settle after the last screen before their memory is read.
const SETTLE: Duration = Duration::from_secs(1);
/// The baseline's example name in `src-tauri/examples`.
const BASELINE: &str = "minimal_page";
/// How many times a launch that could not open the display is tried.
const ATTEMPTS: usize = 3;
/// What GTK says when it cannot open the display.
const GTK_FAILED: &str = "Failed to initialize GTK";
/// How often the window is looked for.
const POLL: Duration = Duration::from_millis(10);

/// What to run.
#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    /// How many launches of each.
    pub runs: usize,
    /// The app binary; `<target>/<profile>/clienteling-app` when not given.
    pub app: Option<PathBuf>,
    /// The minimal page's binary, already built; built here first when not given.
    pub baseline: Option<PathBuf>,
    /// Measure release builds (the app's default path and the baseline) instead of debug.
    pub release: bool,
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
    #[error("no app at {0}; build it with `cargo xtask build-ui --release && cargo build -p clienteling-app` (add `--release` for a release bench)")]
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
    #[error("run {run}: {what} did not happen within {RUN_LIMIT:?}; its standard error began with:\n{stderr}")]
    Timeout {
        /// Which launch.
        run: usize,
        /// What was awaited.
        what: &'static str,
        /// The first lines the launch wrote to its standard error.
        stderr: String,
    },
    /// The launch ended before it showed a window.
    #[error(
        "run {run}: it exited before showing a window; its standard error began with:\n{stderr}"
    )]
    Exited {
        /// Which launch.
        run: usize,
        /// The first lines the launch wrote to its standard error.
        stderr: String,
    },
    /// The app showed its start-up error instead of the sign-in screen.
    #[error("run {run}: the app could not start (it painted its start-up error)")]
    StartFailed {
        /// Which launch.
        run: usize,
    },
    /// The keys that sign in could not be sent.
    #[error("run {run}: `xdotool` could not send the keys that sign in")]
    Keys {
        /// Which launch.
        run: usize,
    },
}

/// What one launch measured; times from spawning the process.
#[derive(Debug, Clone, Copy, Default)]
struct Launch {
    mapped: Duration,
    /// The first frame: the app's static splash, the minimal page's page.
    first_frame: Duration,
    /// The sign-in screen painted, its form usable (the app only).
    sign_in: Duration,
    /// The sign-in screen's demo accounts listed (the app only).
    demo_accounts: Duration,
    /// The inbox painted with its rows after signing in (the app only).
    inbox: Duration,
    /// From the keys that sign in to the inbox painted (the app only).
    sign_in_to_inbox: Duration,
    /// The web process's CPU time until sign-in (the minimal page: its page) was painted.
    web_cpu: Duration,
    /// Memory once the last screen settled.
    memory: Memory,
    /// The same data folder launched again, signed in (the app only).
    returning: Returning,
}

/// A launch of the app over the data folder of the launch before, whose session it takes
/// up: it starts at the inbox, no keys pressed. Times from spawning the process.
#[derive(Debug, Clone, Copy, Default)]
struct Returning {
    mapped: Duration,
    /// The static splash.
    first_frame: Duration,
    /// The inbox painted with its rows.
    inbox: Duration,
    /// Memory once the inbox settled.
    memory: Memory,
}

/// Memory of a launched tree.
#[derive(Debug, Clone, Copy, Default)]
struct Memory {
    /// The launched process itself.
    main: Usage,
    /// WebKit's web processes.
    web: Usage,
    /// Everything else it started (WebKit's network process…).
    other: Usage,
}

impl Memory {
    fn total(&self) -> Usage {
        let mut total = self.main;
        total += self.web;
        total += self.other;
        total
    }

    fn of(root: u32) -> Self {
        let mut memory = Self::default();
        for process in processes::tree(root) {
            let usage = process.memory().unwrap_or_default();
            if process.pid == root {
                memory.main += usage;
            } else if process.is_web_process() {
                memory.web += usage;
            } else {
                memory.other += usage;
            }
        }
        memory
    }
}

/// Which of the two is launched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Subject {
    App,
    MinimalPage,
}

impl Subject {
    fn label(self) -> &'static str {
        match self {
            Self::App => "app",
            Self::MinimalPage => "minimal page",
        }
    }
}

/// Runs the bench and prints the figures: the app's launches, then as many of the
/// baseline (a Tauri window with a static page, `src-tauri/examples/minimal_page.rs`,
/// built here first), then the medians side by side.
pub fn run(options: &Options, root: &Path, target_dir: &Path) -> Result<(), BenchError> {
    let profile = if options.release { "release" } else { "debug" };
    let app = options
        .app
        .clone()
        .unwrap_or_else(|| target_dir.join(profile).join("clienteling-app"));
    if !app.is_file() {
        return Err(BenchError::MissingApp(app));
    }
    let baseline = match &options.baseline {
        Some(baseline) => baseline.clone(),
        None => build_baseline(root, target_dir, options.release)?,
    };
    let display = std::env::var("DISPLAY")
        .ok()
        .filter(|display| !display.is_empty());
    let ticks = processes::ticks_per_second();
    println!("app: {} ({profile} minimal page beside it)", app.display());
    let app_median = measure(Subject::App, &app, display.as_deref(), options.runs, ticks)?;
    let page_median = measure(
        Subject::MinimalPage,
        &baseline,
        display.as_deref(),
        options.runs,
        ticks,
    )?;
    print_summary(options.runs, &app_median, &page_median);
    Ok(())
}

/// `cargo build -p clienteling-app --example minimal_page` (`--release` too for a release
/// bench); the binary's path.
fn build_baseline(root: &Path, target_dir: &Path, release: bool) -> Result<PathBuf, BenchError> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut build = Command::new(&cargo);
    build
        .current_dir(root)
        .args(["build", "-p", "clienteling-app", "--example", BASELINE]);
    if release {
        build.arg("--release");
    }
    let status = build.status().map_err(|source| BenchError::Spawn {
        program: cargo.to_string_lossy().into_owned(),
        source,
    })?;
    if !status.success() {
        return Err(BenchError::Baseline);
    }
    let profile = if release { "release" } else { "debug" };
    Ok(target_dir.join(profile).join("examples").join(BASELINE))
}

/// Launches `binary` `runs` times, printing each launch, on `display` or else each on a
/// fresh Xvfb of its own (one that a killed launch left in a bad state, or that ended,
/// cannot spoil the next); the medians.
fn measure(
    subject: Subject,
    binary: &Path,
    display: Option<&str>,
    runs: usize,
    ticks: u64,
) -> Result<Launch, BenchError> {
    let label = subject.label();
    let mut launches = Vec::with_capacity(runs);
    for run in 1..=runs {
        let (display, xvfb) = match display {
            Some(display) => (display.to_owned(), None),
            None => {
                let (display, xvfb) = start_xvfb()?;
                (display, Some(xvfb))
            }
        };
        let mut attempt = 1;
        let launch = loop {
            match launch(subject, binary, &display, run, ticks) {
                Err(BenchError::Exited { stderr, .. })
                    if attempt < ATTEMPTS && stderr.contains(GTK_FAILED) =>
                {
                    // Now and then, on a loaded machine, GTK cannot open a display that
                    // Xvfb has just opened; such a launch measured nothing and is redone.
                    println!(
                        "{label:>12} run {run}: GTK could not open the display; launching again"
                    );
                    attempt += 1;
                }
                other => break other?,
            }
        };
        drop(xvfb);
        match subject {
            Subject::App => println!(
                "{label:>12} run {run}: mapped {:>5.0} ms, first frame {:>5.0} ms, sign-in painted {:>5.0} ms, demo accounts {:>5.0} ms, inbox painted {:>5.0} ms ({:>4.0} ms after the keys), web process CPU {:>4.0} ms, memory {:>4.0} MB PSS, {:>4.0} MB private; \
                 launched again signed in: mapped {:>5.0} ms, first frame {:>5.0} ms, inbox painted {:>5.0} ms, memory {:>4.0} MB PSS, {:>4.0} MB private",
                millis(launch.mapped),
                millis(launch.first_frame),
                millis(launch.sign_in),
                millis(launch.demo_accounts),
                millis(launch.inbox),
                millis(launch.sign_in_to_inbox),
                millis(launch.web_cpu),
                megabytes(launch.memory.total().pss),
                megabytes(launch.memory.total().private),
                millis(launch.returning.mapped),
                millis(launch.returning.first_frame),
                millis(launch.returning.inbox),
                megabytes(launch.returning.memory.total().pss),
                megabytes(launch.returning.memory.total().private),
            ),
            Subject::MinimalPage => println!(
                "{label:>12} run {run}: mapped {:>5.0} ms, page painted {:>5.0} ms, web process CPU {:>4.0} ms, memory {:>4.0} MB PSS, {:>4.0} MB private",
                millis(launch.mapped),
                millis(launch.first_frame),
                millis(launch.web_cpu),
                megabytes(launch.memory.total().pss),
                megabytes(launch.memory.total().private),
            ),
        }
        launches.push(launch);
    }
    let time =
        |pick: fn(&Launch) -> Duration| median(&mut launches.iter().map(pick).collect::<Vec<_>>());
    let usage = |pick: fn(&Launch) -> Usage| Usage {
        pss: median(&mut launches.iter().map(|l| pick(l).pss).collect::<Vec<_>>()),
        private: median(&mut launches.iter().map(|l| pick(l).private).collect::<Vec<_>>()),
    };
    Ok(Launch {
        mapped: time(|l| l.mapped),
        first_frame: time(|l| l.first_frame),
        sign_in: time(|l| l.sign_in),
        demo_accounts: time(|l| l.demo_accounts),
        inbox: time(|l| l.inbox),
        sign_in_to_inbox: time(|l| l.sign_in_to_inbox),
        web_cpu: time(|l| l.web_cpu),
        memory: Memory {
            main: usage(|l| l.memory.main),
            web: usage(|l| l.memory.web),
            other: usage(|l| l.memory.other),
        },
        returning: Returning {
            mapped: time(|l| l.returning.mapped),
            first_frame: time(|l| l.returning.first_frame),
            inbox: time(|l| l.returning.inbox),
            memory: Memory {
                main: usage(|l| l.returning.memory.main),
                web: usage(|l| l.returning.memory.web),
                other: usage(|l| l.returning.memory.other),
            },
        },
    })
}

/// The medians side by side, with the ratios app ÷ minimal page.
fn print_summary(runs: usize, app: &Launch, page: &Launch) {
    println!("\nmedians of {runs} runs      app   minimal page   app ÷ minimal");
    let row = |what: &str, app: Duration, page: Duration| {
        println!(
            "{what:<24} {:>6.0} ms {:>9.0} ms {:>10.2}x",
            millis(app),
            millis(page),
            ratio(millis(app), millis(page))
        );
    };
    row("window mapped", app.mapped, page.mapped);
    row("first frame", app.first_frame, page.first_frame);
    row("sign-in painted", app.sign_in, page.first_frame);
    row("demo accounts listed", app.demo_accounts, page.first_frame);
    row("inbox painted", app.inbox, page.first_frame);
    row("web process CPU to paint", app.web_cpu, page.web_cpu);
    println!(
        "(inbox painted {:.0} ms after the keys that sign in)",
        millis(app.sign_in_to_inbox)
    );
    println!("launched again, signed in:");
    row("  window mapped", app.returning.mapped, page.mapped);
    row("  first frame", app.returning.first_frame, page.first_frame);
    row("  inbox painted", app.returning.inbox, page.first_frame);
    println!("\nmemory (MB), PSS / private      app   minimal page   app − minimal");
    let memory = |what: &str, app: Usage, page: Usage| {
        println!(
            "{what:<24} {:>5.0} / {:>4.0} {:>8.0} / {:>4.0} {:>+8.0} / {:>+4.0}",
            megabytes(app.pss),
            megabytes(app.private),
            megabytes(page.pss),
            megabytes(page.private),
            megabytes(app.pss) - megabytes(page.pss),
            megabytes(app.private) - megabytes(page.private),
        );
    };
    memory("launched process", app.memory.main, page.memory.main);
    memory("web process", app.memory.web, page.memory.web);
    memory("other processes", app.memory.other, page.memory.other);
    memory("all", app.memory.total(), page.memory.total());
    let again = &app.returning.memory;
    memory("again: launched process", again.main, page.memory.main);
    memory("again: web process", again.web, page.memory.web);
    memory("again: all", again.total(), page.memory.total());
}

/// Starts `binary` once with a fresh data folder and measures it; the app is then
/// launched a second time over the same folder (see [`Returning`]).
fn launch(
    subject: Subject,
    binary: &Path,
    display: &str,
    run: usize,
    ticks: u64,
) -> Result<Launch, BenchError> {
    let data = tempfile::tempdir().map_err(BenchError::Scratch)?;
    let mut started = Started::spawn(binary, display, data.path(), run, "first")?;
    let pid = started.pid;
    let web_cpu_now = || {
        processes::tree(pid)
            .iter()
            .filter(|p| p.is_web_process())
            .filter_map(|p| p.cpu_time(ticks))
            .sum::<Duration>()
    };
    let mut launch = Launch {
        mapped: started.mapped,
        ..Launch::default()
    };
    match subject {
        Subject::MinimalPage => {
            launch.first_frame = started.wait("page", "the page painted")?;
            launch.web_cpu = web_cpu_now();
        }
        Subject::App => {
            launch.first_frame = started.wait("splash", "the splash painted")?;
            launch.sign_in = started.wait("sign_in", "sign-in painted")?;
            launch.web_cpu = web_cpu_now();
            launch.demo_accounts = started.wait("demo_accounts", "the demo accounts listed")?;
            let keys = started.painted.started.elapsed();
            sign_in_as_first_demo_account(display, &started.window)
                .then_some(())
                .ok_or(BenchError::Keys { run })?;
            launch.inbox = started.wait("inbox", "the inbox painted")?;
            launch.sign_in_to_inbox = launch.inbox.saturating_sub(keys);
        }
    }
    thread::sleep(SETTLE);
    launch.memory = Memory::of(pid);
    if subject == Subject::App {
        // Like a person closing the app and opening it again (killed: nothing is owed
        // to a clean exit), over the data folder the first launch signed in to.
        drop(started);
        let mut again = Started::spawn(binary, display, data.path(), run, "returning")?;
        launch.returning = Returning {
            mapped: again.mapped,
            first_frame: again.wait("splash", "the splash painted (returning)")?,
            inbox: again.wait("inbox", "the inbox painted (returning)")?,
            memory: Memory::default(),
        };
        thread::sleep(SETTLE);
        launch.returning.memory = Memory::of(again.pid);
    }
    Ok(launch)
}

/// A launched process with its window shown, its log watched for painted screens.
struct Started {
    /// Kept to end the process when this is dropped.
    _child: KillOnDrop,
    pid: u32,
    window: String,
    mapped: Duration,
    painted: Painted,
    stderr_path: PathBuf,
    run: usize,
}

impl Started {
    /// Launches `binary` over the data folder `data` on `display` and waits for its window;
    /// `name` tells this launch's standard error file apart from another's in `data`.
    fn spawn(
        binary: &Path,
        display: &str,
        data: &Path,
        run: usize,
        name: &str,
    ) -> Result<Started, BenchError> {
        let stderr_path = data.join(format!("stderr-{name}.log"));
        let stderr = std::fs::File::create(&stderr_path).map_err(BenchError::Scratch)?;
        let started = Instant::now();
        let mut child = Command::new(binary)
            .env("DISPLAY", display)
            .env("CLIENTELING_DATA_DIR", data)
            .env_remove("CLIENTELING_BACKEND_URL")
            .env_remove("WAYLAND_DISPLAY")
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .map_err(|source| BenchError::Spawn {
                program: binary.display().to_string(),
                source,
            })?;
        let (painted_tx, painted_rx) = mpsc::channel();
        // The app logs to its standard output.
        if let Some(log) = child.stdout.take() {
            thread::spawn(move || watch_log(log, started, &painted_tx));
        }
        let pid = child.id();
        let mut child = KillOnDrop(child);
        let painted = Painted {
            events: painted_rx,
            seen: HashMap::new(),
            started,
        };
        let Some((window, mapped)) = wait_for_window(display, started, &mut child.0) else {
            return Err(if matches!(child.0.try_wait(), Ok(Some(_))) {
                BenchError::Exited {
                    run,
                    stderr: first_lines(&stderr_path, 6),
                }
            } else {
                timeout(run, "the window", &stderr_path)
            });
        };
        Ok(Started {
            _child: child,
            pid,
            window,
            mapped,
            painted,
            stderr_path,
            run,
        })
    }

    /// When `screen` was painted, waiting for it (`what` names it in the error); the
    /// start-up error when the app painted that instead.
    fn wait(&mut self, screen: &str, what: &'static str) -> Result<Duration, BenchError> {
        self.painted.wait(screen).ok_or_else(|| {
            if self.painted.seen.contains_key("start_failed") {
                BenchError::StartFailed { run: self.run }
            } else {
                timeout(self.run, what, &self.stderr_path)
            }
        })
    }
}

/// The error of a launch in which `what` did not happen in time.
fn timeout(run: usize, what: &'static str, stderr_path: &Path) -> BenchError {
    BenchError::Timeout {
        run,
        what,
        stderr: first_lines(stderr_path, 6),
    }
}

/// The `painted <screen>` lines of one launch, as they arrive.
struct Painted {
    events: mpsc::Receiver<(String, Duration)>,
    seen: HashMap<String, Duration>,
    started: Instant,
}

impl Painted {
    /// When `screen` was painted, waiting for it until the run's limit; `None` if it was
    /// not, or the app painted its start-up error instead.
    fn wait(&mut self, screen: &str) -> Option<Duration> {
        loop {
            if let Some(at) = self.seen.get(screen) {
                return Some(*at);
            }
            if self.seen.contains_key("start_failed") {
                return None;
            }
            let remaining = RUN_LIMIT.checked_sub(self.started.elapsed())?;
            let (name, at) = self.events.recv_timeout(remaining).ok()?;
            self.seen.entry(name).or_insert(at);
        }
    }
}

/// Sends the name and time of every `painted <screen>` log line; drains the rest.
fn watch_log(log: impl Read, started: Instant, painted: &mpsc::Sender<(String, Duration)>) {
    for line in BufReader::new(log).lines() {
        let Ok(line) = line else { break };
        if let Some(screen) = painted_screen(&line) {
            if painted
                .send((screen.to_owned(), started.elapsed()))
                .is_err()
            {
                break;
            }
        }
    }
}

/// The screen a log line says was painted: the word after the last `painted `.
fn painted_screen(line: &str) -> Option<&str> {
    let (_, rest) = line.rsplit_once(PAINTED)?;
    let screen = rest.split_whitespace().next()?;
    screen
        .chars()
        .all(|c| c.is_ascii_lowercase() || c == '_')
        .then_some(screen)
}

/// Gives the window the keyboard focus and presses Tab (to the first demo account, the
/// first control of the sign-in screen) and Return, as a person signing in would.
fn sign_in_as_first_demo_account(display: &str, window: &str) -> bool {
    let xdotool = |args: &[&str]| {
        Command::new("xdotool")
            .args(args)
            .env("DISPLAY", display)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    };
    xdotool(&["windowfocus", "--sync", window]) && xdotool(&["key", "Tab", "Return"])
}

/// Polls for a visible window with the app's title; its id and time since `started`.
/// `None` when there is none within the run's limit or `child` exited first.
fn wait_for_window(
    display: &str,
    started: Instant,
    child: &mut Child,
) -> Option<(String, Duration)> {
    while started.elapsed() < RUN_LIMIT && matches!(child.try_wait(), Ok(None)) {
        let found = Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", WINDOW_TITLE])
            .env("DISPLAY", display)
            .stderr(Stdio::null())
            .output()
            .ok()
            .filter(|out| out.status.success())
            .and_then(|out| String::from_utf8(out.stdout).ok())
            .and_then(|ids| ids.split_whitespace().next().map(str::to_owned));
        if let Some(window) = found {
            return Some((window, started.elapsed()));
        }
        thread::sleep(POLL);
    }
    None
}

/// The first display number the bench's Xvfb may take: low numbers are left to desktops,
/// `xvfb-run -a` (from 99) and `Xvfb -displayfd` elsewhere, which race for the lowest free one.
const FIRST_DISPLAY: u32 = 140;

/// Starts `Xvfb` on a free display from [`FIRST_DISPLAY`] and answers its name (`:N`).
fn start_xvfb() -> Result<(String, Xvfb), BenchError> {
    let free = (FIRST_DISPLAY..FIRST_DISPLAY + 400)
        .find(|n| {
            !Path::new(&format!("/tmp/.X{n}-lock")).exists()
                && !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
        })
        .ok_or(BenchError::Xvfb)?;
    let mut child = Command::new("Xvfb")
        .args([
            &format!(":{free}"),
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
        // Xvfb writes the display number and a newline once it accepts clients. The pipe
        // stays read until Xvfb ends: a write to a closed pipe would end Xvfb mid-bench.
        let mut stdout = BufReader::new(stdout);
        if stdout.read_line(&mut number).is_err() {
            number.clear();
        }
        thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    }
    let number = number.trim();
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
        let _ = child.kill();
        let _ = child.wait();
        return Err(BenchError::Xvfb);
    }
    Ok((format!(":{number}"), Xvfb(child)))
}

/// The first `count` lines of the file at `path` (empty when it cannot be read): where a
/// panic's message is.
fn first_lines(path: &Path, count: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines().take(count).collect::<Vec<_>>().join("\n")
}

/// Asks Xvfb to end when dropped (SIGTERM, so that it removes its lock file and socket)
/// and waits for it.
struct Xvfb(Child);

impl Drop for Xvfb {
    fn drop(&mut self) {
        let asked = Command::new("kill")
            .arg(self.0.id().to_string())
            .status()
            .is_ok_and(|status| status.success());
        if !asked {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
    }
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

fn megabytes(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// `part ÷ whole`; zero when there is no whole.
fn ratio(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        part / whole
    } else {
        0.0
    }
}

/// The median (the lower middle one of an even count); the default for none.
fn median<T: Ord + Copy + Default>(values: &mut [T]) -> T {
    values.sort_unstable();
    match values.len() {
        0 => T::default(),
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
        assert_eq!(
            median::<Duration>(&mut []),
            Duration::ZERO,
            "no runs, no time"
        );
    }

    #[test]
    fn a_painted_line_names_its_screen_and_other_lines_none() {
        assert_eq!(
            painted_screen(
                "2026-12-01T18:00:00Z  INFO clienteling_app::commands::session: painted sign_in"
            ),
            Some("sign_in"),
            "the app's tracing line"
        );
        assert_eq!(
            painted_screen("painted page"),
            Some("page"),
            "the minimal page's line"
        );
        assert_eq!(
            painted_screen("INFO core: synced 30 conversations"),
            None,
            "other log lines are not screens"
        );
    }
}
