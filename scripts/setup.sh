#!/usr/bin/env bash
# Installs what building, running and testing the app needs, skipping what is present.
# Sourced by scripts/app.sh and scripts/test.sh; safe to run again.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root (or sudo) to run: $*" >&2; return 1; fi
}

# ensure_apt PKG... : installs the Debian packages that are missing.
ensure_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing system packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# ensure_target TRIPLE... : adds missing rustup targets.
ensure_target() {
  local installed
  installed="$(rustup target list --installed)"
  for t in "$@"; do
    grep -qx "$t" <<<"$installed" || { log "adding rust target $t"; rustup target add "$t"; }
  done
}

# ensure_cargo_tool BIN CRATE VERSION : installs a cargo tool at that version if missing.
ensure_cargo_tool() {
  local bin="$1" crate="$2" version="$3"
  if ! command -v "$bin" >/dev/null || ! cargo install --list | grep -qx "$crate v$version:"; then
    log "installing $crate $version (cargo install)"
    CARGO_TARGET_DIR="$CARGO_TARGET_DIR/tools" cargo install --locked "$crate@$version"
  fi
}

BUILD_PACKAGES=(build-essential pkg-config curl wget file libwebkit2gtk-4.1-dev libxdo-dev
  libssl-dev libayatana-appindicator3-dev librsvg2-dev libsoup-3.0-dev
  libjavascriptcoregtk-4.1-dev)
TEST_PACKAGES=(xvfb xauth webkit2gtk-driver imagemagick xdotool x11-utils fonts-dejavu-core
  dbus clang llvm-14 libc6-dev-arm64-cross)

setup_build() {
  command -v cargo >/dev/null || { echo "cargo is required (https://rustup.rs)" >&2; exit 1; }
  ensure_apt "${BUILD_PACKAGES[@]}"
  ensure_target wasm32-unknown-unknown
}

setup_tests() {
  setup_build
  ensure_apt "${TEST_PACKAGES[@]}"
  ensure_target aarch64-linux-android
  ensure_cargo_tool tauri-driver tauri-driver 2.1.0
}

# build_app : the UI into ui/dist, then the desktop app (debug profile, assets embedded).
build_app() {
  log "building the UI (wasm)"
  cargo xtask build-ui --release
  log "building the app"
  cargo build -p clienteling-app
}
