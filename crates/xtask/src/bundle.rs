//! The UI bundle: compiles `clienteling-ui` to wasm, generates its JS bindings with
//! `wasm-bindgen` (web target, module `app.js`) and copies the static files beside them
//! into `ui/dist`, the folder the Tauri shell embeds.
//!
//! The bundle is laid out in a staging folder under the target folder first, then
//! synchronised into `ui/dist` writing only the files whose content changed (and removing
//! files no longer produced): the shell embeds `ui/dist` at compile time, so an untouched
//! file keeps its modification time and an unchanged UI does not rebuild the app.

use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use wasm_bindgen_cli_support::Bindgen;

/// The compilation target of the UI.
const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The UI crate.
const UI_PACKAGE: &str = "clienteling-ui";
/// The module name the bindings are written under (`app.js`, `app_bg.wasm`).
const OUT_NAME: &str = "app";
/// Static files copied from `ui/` into the bundle as they are.
const STATIC_FILES: [&str; 3] = ["index.html", "main.js", "styles.css"];
/// A folder of `ui/` copied into the bundle with everything in it, when present.
const ASSETS_DIR: &str = "assets";

/// Which cargo profile the UI is compiled with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// `cargo build`: fast to compile, larger wasm.
    Dev,
    /// `cargo build --release`: optimised wasm.
    Release,
}

impl Profile {
    /// The folder cargo writes this profile's artifacts to.
    fn dir_name(self) -> &'static str {
        match self {
            Profile::Dev => "debug",
            Profile::Release => "release",
        }
    }
}

/// Why the bundle could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// The Rust standard library for wasm is not installed.
    #[error(
        "the {WASM_TARGET} target is not installed (no {0}); run: rustup target add {WASM_TARGET}"
    )]
    MissingTarget(PathBuf),
    /// A tool could not be started at all.
    #[error("could not run `{program}`: {source}")]
    Spawn {
        /// The program.
        program: String,
        /// What the OS said.
        source: io::Error,
    },
    /// `rustc --print sysroot` did not answer with a folder.
    #[error("`rustc --print sysroot` failed: {0}")]
    Sysroot(String),
    /// Compiling the UI failed; cargo printed why.
    #[error("compiling {UI_PACKAGE} for {WASM_TARGET} failed (see cargo's output above)")]
    Compile,
    /// Cargo finished but the wasm file is not where it should be.
    #[error("the compiled UI is missing at {0}")]
    MissingWasm(PathBuf),
    /// wasm-bindgen refused the module.
    #[error("wasm-bindgen failed: {0}")]
    Bindgen(String),
    /// Reading or writing a file of the bundle failed.
    #[error("{action} {path}: {source}")]
    File {
        /// What was being done.
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// What the OS said.
        source: io::Error,
    },
}

/// Builds the UI bundle and returns the `ui/dist` folder it was written to.
pub fn build(profile: Profile) -> Result<PathBuf, BundleError> {
    let root = workspace_root();
    ensure_wasm_target()?;
    compile(&root, profile)?;
    let wasm = target_dir(&root)
        .join(WASM_TARGET)
        .join(profile.dir_name())
        .join(format!("{UI_PACKAGE}.wasm"));
    if !wasm.is_file() {
        return Err(BundleError::MissingWasm(wasm));
    }
    let ui = root.join("ui");
    let staging = target_dir(&root).join("ui-dist-staging");
    reset_dir(&staging)?;
    bind(&wasm, &staging, profile)?;
    for name in STATIC_FILES {
        copy_file(&ui.join(name), &staging.join(name))?;
    }
    let assets = ui.join(ASSETS_DIR);
    if assets.is_dir() {
        copy_dir(&assets, &staging.join(ASSETS_DIR))?;
    }
    let dist = ui.join("dist");
    sync_dir(&staging, &dist)?;
    Ok(dist)
}

/// The workspace folder: two levels above this crate.
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .ancestors()
        .nth(2)
        .unwrap_or(manifest_dir)
        .to_path_buf()
}

/// `CARGO_TARGET_DIR` when set, else `<workspace>/target`.
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            }
        }
        _ => root.join("target"),
    }
}

/// The program named by `var` (set by cargo for the processes it runs), or `fallback`.
fn tool(var: &str, fallback: &str) -> OsString {
    std::env::var_os(var).unwrap_or_else(|| OsString::from(fallback))
}

/// Fails with the install command when the toolchain has no wasm standard library.
fn ensure_wasm_target() -> Result<(), BundleError> {
    let rustc = tool("RUSTC", "rustc");
    let output = Command::new(&rustc)
        .args(["--print", "sysroot"])
        .output()
        .map_err(|source| BundleError::Spawn {
            program: rustc.to_string_lossy().into_owned(),
            source,
        })?;
    if !output.status.success() {
        return Err(BundleError::Sysroot(
            String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        ));
    }
    let sysroot = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    let std_dir = sysroot
        .join("lib")
        .join("rustlib")
        .join(WASM_TARGET)
        .join("lib");
    if std_dir.is_dir() {
        Ok(())
    } else {
        Err(BundleError::MissingTarget(std_dir))
    }
}

/// `cargo build -p clienteling-ui --target wasm32-unknown-unknown [--release]`.
fn compile(root: &Path, profile: Profile) -> Result<(), BundleError> {
    let cargo = tool("CARGO", "cargo");
    let mut command = Command::new(&cargo);
    command
        .current_dir(root)
        .args(["build", "-p", UI_PACKAGE, "--target", WASM_TARGET]);
    if profile == Profile::Release {
        // The workspace's `strip = true` would also drop the wasm's `target_features`
        // section, which wasm-bindgen reads; symbols are dropped by `bind` instead.
        // Whole-program optimisation for size: the module falls from 1.04 MB to 0.70 MB
        // and WebKit's web process holds about 15 MB less once the inbox is shown (README,
        // start-up bench); a rebuild after a UI change took 35 s on the 2-core machine.
        command
            .arg("--release")
            .env("CARGO_PROFILE_RELEASE_STRIP", "debuginfo")
            .env("CARGO_PROFILE_RELEASE_LTO", "true")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "1")
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "s");
    }
    let status = command.status().map_err(|source| BundleError::Spawn {
        program: cargo.to_string_lossy().into_owned(),
        source,
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(BundleError::Compile)
    }
}

/// Writes `app.js` and `app_bg.wasm` for `<script type="module">` loading; `init()` with
/// no argument fetches `app_bg.wasm` beside `app.js` (the library omits that default
/// unless told, unlike the wasm-bindgen command).
fn bind(wasm: &Path, dist: &Path, profile: Profile) -> Result<(), BundleError> {
    let release = profile == Profile::Release;
    let mut bindgen = Bindgen::new();
    bindgen
        .input_path(wasm)
        .out_name(OUT_NAME)
        .typescript(false)
        .omit_default_module_path(false)
        .remove_name_section(release)
        .remove_producers_section(release)
        .web(true)
        .map_err(|e| BundleError::Bindgen(format!("{e:#}")))?
        .generate(dist)
        .map_err(|e| BundleError::Bindgen(format!("{e:#}")))
}

/// Empties `dir` (creating it when missing) so no file of an older build remains.
fn reset_dir(dir: &Path) -> Result<(), BundleError> {
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(|source| BundleError::File {
            action: "removing",
            path: dir.to_path_buf(),
            source,
        })?;
    }
    fs::create_dir_all(dir).map_err(|source| BundleError::File {
        action: "creating",
        path: dir.to_path_buf(),
        source,
    })
}

/// Makes `to` hold exactly the files of `from`: a file is written only when missing or
/// different in content, files and folders absent from `from` are removed, and nothing
/// else is touched (so modification times change only with content).
fn sync_dir(from: &Path, to: &Path) -> Result<(), BundleError> {
    let read_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| BundleError::File {
            action: "reading",
            path,
            source,
        }
    };
    if to.is_file() {
        fs::remove_file(to).map_err(|source| BundleError::File {
            action: "removing",
            path: to.to_path_buf(),
            source,
        })?;
    }
    fs::create_dir_all(to).map_err(|source| BundleError::File {
        action: "creating",
        path: to.to_path_buf(),
        source,
    })?;
    let mut produced = Vec::new();
    for entry in fs::read_dir(from).map_err(read_error(from))? {
        let entry = entry.map_err(read_error(from))?;
        let source = entry.path();
        let destination = to.join(entry.file_name());
        produced.push(entry.file_name());
        if source.is_dir() {
            sync_dir(&source, &destination)?;
        } else {
            write_if_changed(&source, &destination)?;
        }
    }
    for entry in fs::read_dir(to).map_err(read_error(to))? {
        let entry = entry.map_err(read_error(to))?;
        if produced.contains(&entry.file_name()) {
            continue;
        }
        let stale = entry.path();
        let removed = if stale.is_dir() {
            fs::remove_dir_all(&stale)
        } else {
            fs::remove_file(&stale)
        };
        removed.map_err(|source| BundleError::File {
            action: "removing",
            path: stale,
            source,
        })?;
    }
    Ok(())
}

/// Copies `from` over `to` unless `to` already holds the same bytes.
fn write_if_changed(from: &Path, to: &Path) -> Result<(), BundleError> {
    let content = fs::read(from).map_err(|source| BundleError::File {
        action: "reading",
        path: from.to_path_buf(),
        source,
    })?;
    if to.is_dir() {
        fs::remove_dir_all(to).map_err(|source| BundleError::File {
            action: "removing",
            path: to.to_path_buf(),
            source,
        })?;
    }
    if fs::read(to).is_ok_and(|existing| existing == content) {
        return Ok(());
    }
    fs::write(to, content).map_err(|source| BundleError::File {
        action: "writing",
        path: to.to_path_buf(),
        source,
    })
}

fn copy_file(from: &Path, to: &Path) -> Result<(), BundleError> {
    fs::copy(from, to)
        .map(|_| ())
        .map_err(|source| BundleError::File {
            action: "copying",
            path: from.to_path_buf(),
            source,
        })
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), BundleError> {
    let read_error = |source| BundleError::File {
        action: "reading",
        path: from.to_path_buf(),
        source,
    };
    fs::create_dir_all(to).map_err(|source| BundleError::File {
        action: "creating",
        path: to.to_path_buf(),
        source,
    })?;
    for entry in fs::read_dir(from).map_err(read_error)? {
        let entry = entry.map_err(read_error)?;
        let path = entry.path();
        let destination = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &destination)?;
        } else {
            copy_file(&path, &destination)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_map_to_cargo_artifact_folders() {
        assert_eq!(
            Profile::Dev.dir_name(),
            "debug",
            "cargo writes dev builds to debug/"
        );
        assert_eq!(
            Profile::Release.dir_name(),
            "release",
            "cargo writes release builds to release/"
        );
    }

    #[test]
    fn workspace_root_holds_the_ui_crate() {
        assert!(
            workspace_root().join("ui").join("Cargo.toml").is_file(),
            "the bundle is built from <workspace>/ui"
        );
    }

    /// Issue 8 (start-up): an unchanged UI must not rebuild the app that embeds it.
    #[test]
    fn syncing_an_unchanged_bundle_leaves_every_file_untouched() {
        let scratch = tempfile::tempdir().expect("a scratch folder");
        let staging = scratch.path().join("staging");
        let dist = scratch.path().join("dist");
        fs::create_dir_all(staging.join("assets")).expect("scratch folders");
        fs::write(staging.join("app.js"), "js").expect("a scratch file");
        fs::write(staging.join("assets").join("logo.svg"), "<svg/>").expect("a scratch asset");
        sync_dir(&staging, &dist).expect("first sync");
        let marker = std::time::SystemTime::UNIX_EPOCH;
        for file in [dist.join("app.js"), dist.join("assets").join("logo.svg")] {
            fs::File::options()
                .write(true)
                .open(&file)
                .and_then(|f| f.set_modified(marker))
                .expect("the modification time can be set");
        }
        sync_dir(&staging, &dist).expect("second sync");
        for file in [dist.join("app.js"), dist.join("assets").join("logo.svg")] {
            let modified = fs::metadata(&file)
                .and_then(|m| m.modified())
                .expect("a modification time");
            assert_eq!(
                modified,
                marker,
                "{} has the same content, so it is not written again",
                file.display()
            );
        }
    }

    /// Issue 8 (start-up): a changed file is written, a file no longer produced goes.
    #[test]
    fn syncing_a_changed_bundle_rewrites_changed_files_and_drops_stale_ones() {
        let scratch = tempfile::tempdir().expect("a scratch folder");
        let staging = scratch.path().join("staging");
        let dist = scratch.path().join("dist");
        fs::create_dir_all(&staging).expect("a scratch folder");
        fs::create_dir_all(dist.join("old-assets")).expect("a stale folder");
        fs::write(dist.join("old.js"), "stale").expect("a stale file");
        fs::write(dist.join("app.js"), "old").expect("an old file");
        fs::write(staging.join("app.js"), "new").expect("a new file");
        sync_dir(&staging, &dist).expect("sync");
        assert_eq!(
            fs::read_to_string(dist.join("app.js")).ok().as_deref(),
            Some("new"),
            "a file whose content changed is written"
        );
        assert!(
            !dist.join("old.js").exists() && !dist.join("old-assets").exists(),
            "files and folders the build no longer produces are removed"
        );
    }

    #[test]
    fn copying_assets_keeps_nested_folders() {
        let scratch = tempfile::tempdir().expect("a scratch folder");
        let from = scratch.path().join("from");
        let to = scratch.path().join("to");
        fs::create_dir_all(from.join("icons")).expect("scratch folders");
        fs::write(from.join("icons").join("logo.svg"), "<svg/>").expect("a scratch asset");
        copy_dir(&from, &to).expect("assets copy");
        assert_eq!(
            fs::read_to_string(to.join("icons").join("logo.svg"))
                .ok()
                .as_deref(),
            Some("<svg/>"),
            "nested assets arrive with their content"
        );
    }
}
