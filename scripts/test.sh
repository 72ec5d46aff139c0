#!/usr/bin/env bash
# Runs every test: formatting, lints (native and wasm), unit and integration tests, the
# mock backend's API tests, the end-to-end UI tests driving the real app under Xvfb, and a
# type check of the app for Android. Installs what is missing first.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
started=$SECONDS

setup_tests

log "formatting"
cargo fmt --all --check

build_app

log "lints"
cargo clippy --workspace --all-targets --exclude clienteling-ui -- -D warnings
cargo clippy -p clienteling-domain --all-targets --features phone-metadata -- -D warnings
cargo clippy -p clienteling-ui --target wasm32-unknown-unknown -- -D warnings

log "android type check"
CC_aarch64_linux_android="clang --target=aarch64-linux-android24 -isystem /usr/aarch64-linux-gnu/include" \
AR_aarch64_linux_android=llvm-ar-14 \
  cargo clippy -p clienteling-app --target aarch64-linux-android -- -D warnings

log "domain tests with the phone metadata"
cargo test -p clienteling-domain --features phone-metadata

log "tests (end-to-end ones under Xvfb)"
export CLIENTELING_APP_BIN="$CARGO_TARGET_DIR/debug/clienteling-app"
xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
  cargo test --workspace -- --test-threads=2

log "all tests passed in $((SECONDS - started)) s"
