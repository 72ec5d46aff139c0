//! `cargo xtask <task>`: project tasks written in Rust, so building needs nothing beyond
//! cargo: `build-ui [--release]` compiles the Yew UI to wasm and lays out `ui/dist` for the
//! Tauri shell; `bench-startup [--runs N] [--app PATH] [--baseline PATH] [--release]` times the app's
//! start-up beside a minimal page.

mod bench;
mod bundle;

use std::process::ExitCode;

use bundle::Profile;

const USAGE: &str =
    "usage: cargo xtask build-ui [--release] | cargo xtask bench-startup [--runs N] [--app PATH] [--baseline PATH] [--release]";
/// Launches of `bench-startup` when `--runs` is not given.
const DEFAULT_RUNS: usize = 5;

/// A task named on the command line.
#[derive(Debug, PartialEq, Eq)]
enum Task {
    /// Build the UI bundle into `ui/dist`.
    BuildUi(Profile),
    /// Time the app's start-up.
    BenchStartup(bench::Options),
    /// Print the usage.
    Help,
}

/// Why the command line names no task.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
enum UsageError {
    /// No task was given.
    #[error("no task given")]
    Missing,
    /// The task is not known.
    #[error("unknown task `{0}`")]
    UnknownTask(String),
    /// The task does not take this option.
    #[error("unknown option `{0}`")]
    UnknownOption(String),
    /// An option's value is missing or not what it takes.
    #[error("`{0}` needs a value: a positive number of runs, or the app's path")]
    BadValue(String),
}

/// Reads the task from the arguments after the program name.
fn parse_task(args: &[String]) -> Result<Task, UsageError> {
    let (task, options) = args.split_first().ok_or(UsageError::Missing)?;
    match task.as_str() {
        "build-ui" => {
            let mut profile = Profile::Dev;
            for option in options {
                match option.as_str() {
                    "--release" => profile = Profile::Release,
                    other => return Err(UsageError::UnknownOption(other.to_owned())),
                }
            }
            Ok(Task::BuildUi(profile))
        }
        "bench-startup" => {
            let mut bench = bench::Options {
                runs: DEFAULT_RUNS,
                app: None,
                baseline: None,
                release: false,
            };
            let mut options = options.iter();
            while let Some(option) = options.next() {
                match option.as_str() {
                    "--runs" => {
                        bench.runs = options
                            .next()
                            .and_then(|value| value.parse().ok())
                            .filter(|runs| *runs > 0)
                            .ok_or_else(|| UsageError::BadValue(option.clone()))?;
                    }
                    "--release" => bench.release = true,
                    "--app" => {
                        let path = options
                            .next()
                            .ok_or_else(|| UsageError::BadValue(option.clone()))?;
                        bench.app = Some(path.into());
                    }
                    "--baseline" => {
                        let path = options
                            .next()
                            .ok_or_else(|| UsageError::BadValue(option.clone()))?;
                        bench.baseline = Some(path.into());
                    }
                    other => return Err(UsageError::UnknownOption(other.to_owned())),
                }
            }
            Ok(Task::BenchStartup(bench))
        }
        "help" | "--help" | "-h" => Ok(Task::Help),
        other => Err(UsageError::UnknownTask(other.to_owned())),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match parse_task(&args) {
        Ok(Task::Help) => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Task::BuildUi(profile)) => match bundle::build(profile) {
            Ok(dist) => {
                println!("UI bundle written to {}", dist.display());
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::FAILURE
            }
        },
        Ok(Task::BenchStartup(options)) => {
            let root = bundle::workspace_root();
            match bench::run(&options, &root, &bundle::target_dir(&root)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("error: {error}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(error) => {
            eprintln!("error: {error}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|a| (*a).to_owned()).collect()
    }

    #[test]
    fn build_ui_defaults_to_the_dev_profile_and_takes_release() {
        assert_eq!(
            parse_task(&args(&["build-ui"])),
            Ok(Task::BuildUi(Profile::Dev)),
            "a plain build-ui is a debug build"
        );
        assert_eq!(
            parse_task(&args(&["build-ui", "--release"])),
            Ok(Task::BuildUi(Profile::Release)),
            "--release asks for an optimised build"
        );
    }

    #[test]
    fn bench_startup_takes_a_number_of_runs_an_app_and_a_profile() {
        assert_eq!(
            parse_task(&args(&["bench-startup"])),
            Ok(Task::BenchStartup(bench::Options {
                runs: DEFAULT_RUNS,
                app: None,
                baseline: None,
                release: false,
            })),
            "a plain bench-startup runs the default number of launches of the built app"
        );
        assert_eq!(
            parse_task(&args(&[
                "bench-startup",
                "--runs",
                "3",
                "--app",
                "/tmp/app",
                "--baseline",
                "/tmp/minimal",
                "--release"
            ])),
            Ok(Task::BenchStartup(bench::Options {
                runs: 3,
                app: Some("/tmp/app".into()),
                baseline: Some("/tmp/minimal".into()),
                release: true,
            })),
            "--runs, --app, --baseline and --release are taken"
        );
        assert_eq!(
            parse_task(&args(&["bench-startup", "--runs", "0"])),
            Err(UsageError::BadValue("--runs".into())),
            "zero runs measure nothing and are refused"
        );
    }

    #[test]
    fn unknown_tasks_and_options_are_refused() {
        assert_eq!(
            parse_task(&args(&[])),
            Err(UsageError::Missing),
            "a task must be named"
        );
        assert_eq!(
            parse_task(&args(&["deploy"])),
            Err(UsageError::UnknownTask("deploy".into())),
            "only known tasks run"
        );
        assert_eq!(
            parse_task(&args(&["build-ui", "--fast"])),
            Err(UsageError::UnknownOption("--fast".into())),
            "a mistyped option is reported, not ignored"
        );
    }
}
