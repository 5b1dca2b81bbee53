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
for bench in scripts/bench-*.sh; do
  [ -f "$bench" ] || continue
  step "benchmark: $bench"
  bash "$bench"
  ran=1
done
[ "$ran" -eq 1 ] || die "no benchmark script (scripts/bench-*.sh) found"
step "results written to docs/benchmarks.md"
