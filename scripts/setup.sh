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
  say "installing wasm-bindgen-cli $want (a few minutes, once)"
  # Not --locked: the CLI's own lockfile wants a crate release the registry here lacks.
  cargo install wasm-bindgen-cli --version "$want" --force
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] ||
   [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (binaryen's wasm-opt, playwright-core)"
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
  cargo install geckodriver --version 0.37.1
fi

if ! have wasm-pack; then
  say "installing wasm-pack (for users who run 'wasm-pack test')"
  cargo install wasm-pack --locked
fi

say "ready"
