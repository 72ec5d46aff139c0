//! `cargo xtask <task>`: project tasks written in Rust, so building needs nothing beyond
//! cargo. The one task today is `build-ui [--release]`, which compiles the Yew UI to wasm
//! and lays out `ui/dist` for the Tauri shell.

mod bundle;

use std::process::ExitCode;

use bundle::Profile;

const USAGE: &str = "usage: cargo xtask build-ui [--release]";

/// A task named on the command line.
#[derive(Debug, PartialEq, Eq)]
enum Task {
    /// Build the UI bundle into `ui/dist`.
    BuildUi(Profile),
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
    #[error("unknown option `{0}` for build-ui")]
    UnknownOption(String),
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
