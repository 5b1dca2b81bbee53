#!/usr/bin/env bash
# Installs every tool `make dev`, `make test` and `make bench` need, idempotently:
# each step checks first and skips what is already at the right version.
# Safe to run again and again; CI runs it on a fresh machine.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/env.sh
source "$ROOT/scripts/env.sh"

WASM_BINDGEN_VERSION=0.2.130
WORKER_BUILD_VERSION=0.8.7
WASM_PACK_VERSION=0.15.1
CARGO_DENY_VERSION=0.20.2

step() { printf '\n==> %s\n' "$*"; }
die() {
  printf '\nsetup: %s\n' "$1" >&2
  [ $# -gt 1 ] && printf 'setup: what to do: %s\n' "$2" >&2
  exit 1
}
have_version() { # have_version CMD EXPECTED -- true if `CMD --version` mentions EXPECTED
  command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -q -- "$2"
}

# --- Debian packages --------------------------------------------------------
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
command -v WebKitWebDriver >/dev/null 2>&1 || need_apt+=(webkit2gtk-driver)
command -v xvfb-run >/dev/null 2>&1 || need_apt+=(xvfb)
command -v xauth >/dev/null 2>&1 || need_apt+=(xauth)
if [ ${#need_apt[@]} -gt 0 ]; then
  step "apt-get install ${need_apt[*]} (browsers for the wasm and PWA tests)"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq || die "apt-get update failed" "check that Debian's package mirror is reachable"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null ||
    die "apt-get install ${need_apt[*]} failed" "install them by hand: apt-get install -y ${need_apt[*]}"
else
  step "browsers: chromium, chromedriver, WebKitWebDriver, xvfb already installed"
fi

# --- Rust ---------------------------------------------------------------------
command -v cargo >/dev/null 2>&1 || die "cargo not found" "install Rust with rustup (https://rustup.rs)"
if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown || die "could not add the wasm32 target" "run: rustup target add wasm32-unknown-unknown"
fi

if ! have_version wasm-bindgen "$WASM_BINDGEN_VERSION"; then
  step "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes)"
  # Not --locked: its lockfile pins a crate version the registry does not serve.
  cargo install -q wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force ||
    die "cargo install wasm-bindgen-cli failed" "run it by hand to see the error: cargo install wasm-bindgen-cli --version $WASM_BINDGEN_VERSION"
fi
if ! have_version worker-build "$WORKER_BUILD_VERSION"; then
  step "cargo install worker-build $WORKER_BUILD_VERSION (a few minutes)"
  cargo install -q --locked worker-build --version "$WORKER_BUILD_VERSION" --force ||
    die "cargo install worker-build failed" "run: cargo install --locked worker-build --version $WORKER_BUILD_VERSION"
fi
if ! have_version wasm-pack "$WASM_PACK_VERSION"; then
  step "cargo install wasm-pack $WASM_PACK_VERSION (a few minutes)"
  cargo install -q --locked wasm-pack --version "$WASM_PACK_VERSION" --force ||
    die "cargo install wasm-pack failed" "run: cargo install --locked wasm-pack --version $WASM_PACK_VERSION"
fi
if ! have_version cargo-deny "$CARGO_DENY_VERSION"; then
  step "cargo install cargo-deny $CARGO_DENY_VERSION (for make lint; several minutes)"
  cargo install -q --locked cargo-deny --version "$CARGO_DENY_VERSION" --force ||
    die "cargo install cargo-deny failed" "run: cargo install --locked cargo-deny --version $CARGO_DENY_VERSION"
fi

# --- npm --------------------------------------------------------------------------
command -v npm >/dev/null 2>&1 || die "npm not found" "install Node.js 20 or newer"
npm_ci() { # npm_ci DIR -- install from the committed lockfile unless node_modules matches it
  local dir="$1"
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || ! cmp -s "$dir/package-lock.json" "$dir/.npm-installed.lock" 2>/dev/null; then
    step "npm ci in ${dir#"$ROOT"/} (wrangler, esbuild, test tools)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci in $dir failed" "check the npm registry is reachable, then run: (cd $dir && npm ci)"
    cp "$dir/package-lock.json" "$dir/.npm-installed.lock"
  fi
}
npm_ci "$ROOT"
[ -f "$ROOT/web/package-lock.json" ] && npm_ci "$ROOT/web"

step "setup complete"
