#!/usr/bin/env bash
# Builds the Rust relay into relay-worker/build/ with worker-build, without downloads:
# wasm-bindgen and esbuild come from scripts/setup.sh, wasm-opt is skipped (--no-opt;
# cargo's release profile already optimises for size).
# Serialised with flock and skipped when up to date, because `wrangler dev` runs the
# [build] command once per relay and `make dev` starts three of them at once.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/env.sh"
cd "$ROOT/relay-worker"
mkdir -p build
exec 9>build/.lock
flock 9
stamp=build/.built
if [ -f "$stamp" ] && [ -z "$(find src Cargo.toml ../protocol ../Cargo.lock -newer "$stamp" -type f 2>/dev/null | head -1)" ]; then
  exit 0
fi
command -v worker-build >/dev/null || { echo "build-relay: worker-build not found; run scripts/setup.sh" >&2; exit 1; }
echo "==> building the relay (worker-build --release)" >&2
worker-build --release --no-opt >&2
touch "$stamp"
