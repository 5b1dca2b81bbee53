#!/usr/bin/env bash
# `make bench`: runs the benchmarks and writes their results into docs/benchmarks.md.
# Benchmarks measure; they never pass or fail on a time.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/lib.sh
bash scripts/setup.sh
source scripts/env.sh

ran=0
# bench-sharing.sh writes the file anew and bench-sync.sh replaces everything after its
# marker, so bench-net.sh, which appends its own section at the end, runs last;
# bench-state.sh (after sharing, before sync) puts its section before sync's marker.
for bench in $(ls scripts/bench-*.sh | grep -v '/bench-net\.sh$') scripts/bench-net.sh; do
  [ -f "$bench" ] || continue
  step "benchmark: $bench"
  bash "$bench"
  ran=1
done
[ "$ran" -eq 1 ] || die "no benchmark script (scripts/bench-*.sh) found"
step "results written to docs/benchmarks.md"
