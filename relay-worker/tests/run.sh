#!/usr/bin/env bash
# Relay tests against three real local relays (workerd via wrangler dev) on 8797-8799:
#   a: share TTL of 4 s (the TTL tests), b: 600 s, c: 600 s and a registration key.
# Small limits make the 413 and 429 paths cheap to reach. Relays are always stopped.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
source scripts/env.sh

export GFMS_TEST_BASE_PORT=8797
export GFMS_TEST_RELAY_DIR="$ROOT/target/relay-tests"
export GFMS_TEST_RELAYS="http://127.0.0.1:8797,http://127.0.0.1:8798,http://127.0.0.1:8799"
export GFMS_TEST_TTL=4
export GFMS_TEST_MAX_SHARE_BYTES=65536
export GFMS_TEST_MAX_SHARES=50
export GFMS_TEST_REGISTRATION_KEY="friends-only"
export GFMS_TEST_B_ARGS="--ttl 600 --var MAX_SHARE_BYTES:65536 --var MAX_SHARES_PER_GROUP:50"
common=(--dir "$GFMS_TEST_RELAY_DIR" --base-port "$GFMS_TEST_BASE_PORT" --var MAX_SHARE_BYTES:65536 --var MAX_SHARES_PER_GROUP:50)

rm -rf "$GFMS_TEST_RELAY_DIR"
trap 'bash scripts/relays.sh stop --dir "$GFMS_TEST_RELAY_DIR" >/dev/null 2>&1 || true' EXIT
bash scripts/relays.sh start "${common[@]}" --only a --ttl 4
bash scripts/relays.sh start "${common[@]}" --only b --ttl 600
bash scripts/relays.sh start "${common[@]}" --only c --ttl 600 --var REGISTRATION_KEY:friends-only

node --test --test-concurrency=1 --test-reporter=spec relay-worker/tests/*.test.mjs
