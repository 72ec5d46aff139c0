#!/usr/bin/env bash
# Runs Clienteling Associate on this desktop: installs what is missing, builds the UI and
# the app, and opens the window with the mock backend embedded and demo data.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  cat >&2 <<'MSG'
No graphical display here (neither DISPLAY nor WAYLAND_DISPLAY is set), so the app window
cannot open. To run the mock backend alone instead:
    cargo run -p clienteling-mock-server -- --port 8787
and point an app on a machine with a display at it:
    CLIENTELING_BACKEND_URL=http://HOST:8787 bash scripts/app.sh
MSG
  exit 2
fi

setup_build
build_app
log "starting Clienteling Associate"
exec "$CARGO_TARGET_DIR/debug/clienteling-app" "$@"
