#!/usr/bin/env bash
# Relay tests against three real local relays (workerd via wrangler dev) on 8797-8799:
#   a: share TTL of 4 s (the TTL tests), b: 600 s, c: 600 s, a registration key and
#   the production share limit of 1 MiB.
# Small limits make the 413 and 429 paths cheap to reach (8 members a share at most);
# relay a also keeps records of
# expired shares for 6 s, caps a share id's life at 8 s and removes groups idle for 20 s.
# Relays are always stopped.
# Arguments, if any, name the test files to run (default: every relay-worker/tests/*.test.mjs);
# ones starting with -- go to node (e.g. --test-name-pattern=Racing).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
source scripts/env.sh

export GFMS_TEST_BASE_PORT=8797
export GFMS_TEST_RELAY_DIR="$ROOT/target/relay-tests"
export GFMS_TEST_RELAYS="http://127.0.0.1:8797,http://127.0.0.1:8798,http://127.0.0.1:8799"
export GFMS_TEST_TTL=4
export GFMS_TEST_RETENTION=6
export GFMS_TEST_LIFETIME=8
export GFMS_TEST_IDLE=20
export GFMS_TEST_MAX_SHARE_BYTES=65536
export GFMS_TEST_MAX_SHARES=50
export GFMS_TEST_REGISTRATION_KEY="friends-only"
export GFMS_TEST_MAX_MEMBERS=8
# The browser test serves its page from this origin; the CORS tests also use the app's.
export GFMS_TEST_PAGE_PORT=8796
export GFMS_TEST_ORIGINS="http://127.0.0.1:5173,http://127.0.0.1:$GFMS_TEST_PAGE_PORT"
# Web Push: every relay has a (test-only) VAPID key; relay b also forwards to the loopback
# stand-in for a push service on GFMS_TEST_PUSH_PORT, at most 5 notifications a minute.
export GFMS_TEST_VAPID_PRIVATE_KEY="BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc"
export GFMS_TEST_PUSH_PORT=8794
export GFMS_TEST_PUSH_RATE=5
push_b=(--var "PUSH_TEST_ORIGIN:http://127.0.0.1:$GFMS_TEST_PUSH_PORT" --var "PUSH_RATE_PER_MINUTE:$GFMS_TEST_PUSH_RATE")
limits=(--var "VAPID_PRIVATE_KEY:$GFMS_TEST_VAPID_PRIVATE_KEY" --var MAX_SHARE_BYTES:65536 --var MAX_SHARES_PER_GROUP:50 --var MAX_MEMBERS_PER_GROUP:8 --origins "$GFMS_TEST_ORIGINS")
export GFMS_TEST_B_ARGS="--ttl 600 ${limits[*]} ${push_b[*]}"
common=(--dir "$GFMS_TEST_RELAY_DIR" --base-port "$GFMS_TEST_BASE_PORT" "${limits[@]}")

rm -rf "$GFMS_TEST_RELAY_DIR"
trap 'bash scripts/relays.sh stop --dir "$GFMS_TEST_RELAY_DIR" >/dev/null 2>&1 || true' EXIT
bash scripts/relays.sh start "${common[@]}" --only a --ttl 4 --var RECEIPT_RETENTION_SECONDS:6 \
  --var MAX_SHARE_LIFETIME_SECONDS:8 --var GROUP_IDLE_SECONDS:20
bash scripts/relays.sh start "${common[@]}" --only b --ttl 600 "${push_b[@]}"
# Relay c stores shares up to the production limit (1 MiB): a share at the limit in SQLite.
bash scripts/relays.sh start "${common[@]}" --only c --ttl 600 --var REGISTRATION_KEY:friends-only \
  --var MAX_SHARE_BYTES:1048576

files=() node_args=()
for arg in "$@"; do
  case "$arg" in --*) node_args+=("$arg") ;; *) files+=("$arg") ;; esac
done
[ ${#files[@]} -gt 0 ] || files=(relay-worker/tests/*.test.mjs)
node --test --test-concurrency=1 --test-reporter=spec "${node_args[@]}" "${files[@]}"
