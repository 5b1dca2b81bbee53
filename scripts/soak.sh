#!/usr/bin/env bash
# `make soak`: the simulated-relay property test (client-wasm/sync/tests/simulated.rs)
# with many more random schedules than `make test` runs: writes, crashes at any request
# or save point, lost responses, a clock past the TTL, joins, leaves, removals, relay-set
# changes, newer-version events, and relays that go down, lie, forget or lose the group.
# Release build (the engine is the same code; the schedules run ~10x faster), bounded by
# SOAK_TIMEOUT seconds. Usage: make soak [PROPTEST_CASES=20000] [SOAK_TIMEOUT=1800]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/lib.sh
source scripts/env.sh

cases="${PROPTEST_CASES:-20000}"
limit="${SOAK_TIMEOUT:-1800}"
step "soak: $cases random schedules against simulated relays (at most ${limit}s)"
start=$SECONDS
PROPTEST_CASES="$cases" timeout "$limit" \
  cargo test --release -p gfms-sync --test simulated --color never -- --nocapture \
  || die "the soak failed or ran past ${limit}s" "proptest prints the minimal failing schedule above; it is saved in client-wasm/sync/tests/simulated.proptest-regressions"
printf 'soak: %s schedules in %ss\n' "$cases" $((SECONDS - start))
