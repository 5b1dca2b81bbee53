#!/usr/bin/env bash
# The two local relay runners side by side (scripts/relays.sh, GFMS_RELAYS_RUNNER): the
# same benchmark with `wrangler dev` then with scripts/relay-mf.mjs, ROUNDS times
# interleaved (A B A B: a shared machine's load moves both alike), `uptime` before each.
#
#   bash relay-worker/bench/runners.sh [put-push] [tap] [newcomer]   (default: all three)
#
#   put-push  relay-worker/bench/put-push.test.mjs: GET /v1/health, status, put -> push
#   tap       web/e2e/bench-latency.mjs at BENCH_RTTS (default 0,40), BENCH_TAPS (default 5)
#   newcomer  the latency bench's newcomer at GFMS_BENCH_EVENTS (default 10000) and
#             GFMS_BENCH_RTT (default 0,40)
# ROUNDS (default 2) sets how many A B pairs. Needs the app built (scripts/build-web.sh)
# for tap. A measurement, never a test. It opens ports: run it under
# `flock /tmp/gfms-ports.lock`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
source scripts/env.sh

benches=("$@")
[ ${#benches[@]} -gt 0 ] || benches=(put-push tap newcomer)
rounds="${ROUNDS:-2}"

run() { # run BENCH: one benchmark with the runner in GFMS_RELAYS_RUNNER
  case "$1" in
    put-push) bash relay-worker/tests/run.sh relay-worker/bench/put-push.test.mjs 2>&1 | grep -E '^\|' ;;
    tap) BENCH_RTTS="${BENCH_RTTS:-0,40}" BENCH_TAPS="${BENCH_TAPS:-5}" node web/e2e/bench-latency.mjs ;;
    newcomer)
      GFMS_BENCH_ONLY=newcomer GFMS_BENCH_EVENTS="${GFMS_BENCH_EVENTS:-10000}" GFMS_BENCH_RTT="${GFMS_BENCH_RTT:-0,40}" \
        cargo bench -q -p gfms-e2e --bench latency --color never 2>&1 | grep -v -E '^(relay [a-c] ready|stopped relay)'
      ;;
    *) echo "runners.sh: unknown benchmark $1 (put-push, tap, newcomer)" >&2; exit 2 ;;
  esac
}

for bench in "${benches[@]}"; do
  for round in $(seq 1 "$rounds"); do
    for runner in wrangler miniflare; do
      printf '\n### %s, runner %s, round %s\n\n%s\n\n' "$bench" "$runner" "$round" "$(uptime)"
      GFMS_RELAYS_RUNNER="$runner" run "$bench"
    done
  done
done
