#!/usr/bin/env bash
# Smoke test of the whole stack: builds the wasm client for the web, starts three real
# relays (workerd) on 8827-8829, and runs tests/smoke/index.html in headless Chromium.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
source scripts/env.sh
source scripts/lib.sh

OUT="$ROOT/tests/.out/smoke"
PORT=8830
rm -rf "$OUT" && mkdir -p "$OUT/site"
step "building the wasm client for the smoke page"
cargo build --release --target wasm32-unknown-unknown -p client-wasm --features lowlevel --color never
wasm-bindgen --target web --out-dir "$OUT/site/pkg" "$ROOT/target/wasm32-unknown-unknown/release/gfms_client.wasm"
cp tests/smoke/index.html tests/smoke/smoke.js "$OUT/site/"

# These relays run under `wrangler dev`, as `make dev` runs them: the one layer that keeps
# that path tested (the other tests' relays run without its proxy: scripts/test.sh).
export GFMS_RELAYS_RUNNER=wrangler
trap 'bash scripts/relays.sh stop --dir "$OUT/relays" >/dev/null 2>&1 || true' EXIT
bash scripts/relays.sh start --dir "$OUT/relays" --base-port 8827 --origins "http://127.0.0.1:$PORT"
node tests/smoke/smoke.mjs "$OUT/site" "http://127.0.0.1:8827,http://127.0.0.1:8828,http://127.0.0.1:8829" "$PORT" "$OUT/relays"
