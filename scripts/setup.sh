#!/usr/bin/env bash
# Installs what a fresh machine lacks to build and test paper-search, and skips what is there.
#
#   scripts/setup.sh           everything the demo and the tests need
#   scripts/setup.sh --build   only what a build needs (no browsers, no wasm-pack)
#
# Debian 12 with rustup and Node 20 is assumed (see README.md). Every step checks first, so a
# second run costs a few seconds.
set -euo pipefail

cd "$(dirname "$0")/.."
only_build=false
[ "${1:-}" = "--build" ] && only_build=true

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }

# The command-line tools (wasm-bindgen-cli, geckodriver, wasm-pack) are compiled from crates.io:
# none of the registries set-up uses ships them prebuilt (their npm packages download binaries
# from GitHub when installed). Compiled as cargo install does by default (opt-level 3,
# each in a target directory of its own) they took 32 minutes on 2 cores; unoptimized (but for
# wasm-bindgen's wasm passes, below), in one shared target directory where their common crates
# are built once, 2 min 36 s. Otherwise they drive browsers, serve files and run cargo: nothing
# bound by their own speed. The directory goes when set-up ends.
tools_target=""
install_tool() {
  if [ -z "$tools_target" ]; then
    tools_target=$(mktemp -d "${TMPDIR:-/tmp}/paper-search-tools.XXXXXX")
    # shellcheck disable=SC2064
    trap "rm -rf '$tools_target'" EXIT
  fi
  CARGO_TARGET_DIR="$tools_target" CARGO_PROFILE_RELEASE_OPT_LEVEL=0 CARGO_PROFILE_RELEASE_DEBUG=0 \
    CARGO_PROFILE_RELEASE_INCREMENTAL=false cargo install "$@"
}

export PATH="$HOME/.cargo/bin:$PATH"

# The wasm-bindgen CLI must equal the crate version exactly (Cargo.lock is the source of truth).
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    say "adding the $component component"
    rustup component add "$component"
  fi
done

want=$(wasm_bindgen_version)
if [ -z "$want" ]; then
  echo "setup: Cargo.lock names no wasm-bindgen version; run 'cargo generate-lockfile'" >&2
  exit 1
fi
if ! have wasm-bindgen || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$want" ] ||
   ! have wasm-bindgen-test-runner; then
  say "installing wasm-bindgen-cli $want (about a minute, once)"
  # Not --locked: the CLI's own lockfile wants a crate release the registry here lacks.
  # Its wasm reading and writing (walrus, wasmparser, wasm-encoder, gimli, the CLI's own
  # support crate, their hash maps) is optimized: unoptimized it takes 8 s instead of 2 s over a
  # test module; the rest of the tool only starts a browser and serves files.
  optimized=()
  for crate in walrus wasmparser wasm-encoder gimli wasm-bindgen-cli-support hashbrown indexmap; do
    optimized+=(--config "profile.release.package.$crate.opt-level=2")
  done
  install_tool wasm-bindgen-cli --version "$want" --force "${optimized[@]}"
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/esbuild ] || [ ! -d node_modules/playwright-core ] ||
   [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (binaryen's wasm-opt, esbuild, playwright-core)"
  npm ci --no-audit --no-fund --loglevel=error
fi

$only_build && exit 0

apt_missing=()
have chromium || apt_missing+=(chromium)
have chromedriver || apt_missing+=(chromium-driver)
have firefox-esr || apt_missing+=(firefox-esr)
if [ ${#apt_missing[@]} -gt 0 ]; then
  say "installing ${apt_missing[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
fi

if ! have geckodriver; then
  say "installing geckodriver (drives Firefox for the second-engine wasm tests)"
  install_tool geckodriver --version 0.37.1
fi

if ! have wasm-pack; then
  say "installing wasm-pack (for users who run 'wasm-pack test')"
  install_tool wasm-pack --locked
fi

say "ready"
