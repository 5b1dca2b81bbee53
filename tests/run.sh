#!/usr/bin/env bash
# The end-to-end layer of `make test`: everything that needs several parts running at once.
#  1. smoke: a web page loads the wasm client, which splits a secret, sends one share to
#     each of three real local relays, reads them back and rebuilds it (tests/smoke/).
#  2. native e2e: `gfms` CLI clients against three real local relays (tests/e2e/).
#  3. browser e2e: the PWA in Chromium (Playwright) and WebKit (WebDriver) (web/e2e/).
#  4. the delay proxy the latency benchmarks put in front of relays (tests/net/).
# Each part starts and stops its own relays on its own ports.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
source scripts/lib.sh

ran=0
if [ -f tests/smoke/run.sh ]; then
  step "e2e: smoke (page -> wasm -> three relays -> wasm)"
  bash tests/smoke/run.sh
  ran=1
fi
if [ -f tests/e2e/Cargo.toml ]; then
  step "e2e: native clients (library and gfms CLI) against real relays"
  cargo build -p client-wasm --features cli --bin gfms --color never
  cargo test -p gfms-e2e --color never -- --test-threads=1
  ran=1
fi
if grep -q '"e2e"' web/package.json 2>/dev/null; then
  step "e2e: the PWA in Chromium and WebKit"
  (cd web && npm run --silent e2e)
  step "e2e: the app as tested is fit to publish; make deploy-app refuses what it must"
  node scripts/check-dist.mjs web/dist "http://127.0.0.1:8787,http://127.0.0.1:8788,http://127.0.0.1:8789"
  for bad in "" "https://only-one.example" "http://relay.example,https://b.example" "javascript:alert(1),https://b.example"; do
    if RELAYS="$bad" bash scripts/deploy-app.sh >/dev/null 2>&1; then
      die "deploy-app accepted RELAYS='$bad'"
    fi
  done
  ran=1
fi
if compgen -G "tests/net/*.test.mjs" >/dev/null; then
  step "e2e: the delay proxy (delays, passes bodies and WebSockets, closes cleanly)"
  node --test --test-concurrency=1 --test-reporter=spec tests/net/*.test.mjs
  ran=1
fi
[ "$ran" -eq 1 ] || die "no end-to-end test suite found"
