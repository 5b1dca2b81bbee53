#!/usr/bin/env bash
# `make test`: installs what is missing, then runs every test layer. A layer fails the
# run if its command fails or if it ran no test. Logs go to target/test-logs/.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/lib.sh

bash scripts/setup.sh || die "setup failed (see above)" "fix the install it names, then run make test again"
source scripts/env.sh
# The tests' relays run as real workerd without wrangler dev's proxy (scripts/relay-mf.mjs:
# the same Worker, bindings, vars and persisted state; docs/latency.md "h/chain"): less CPU
# per request, and no wrangler dev registry shared between relay sets. `make dev` keeps
# wrangler dev (hot reload); GFMS_RELAYS_RUNNER=wrangler runs the tests its way.
export GFMS_RELAYS_RUNNER="${GFMS_RELAYS_RUNNER:-miniflare}"

LOGS="$ROOT/target/test-logs"
mkdir -p "$LOGS"
total=0
failed_layers=()
passed_layers=()

# layer NAME CMD... -- run one layer, tee its output, count its tests.
layer() {
  local name="$1"; shift
  local log="$LOGS/${name// /-}.log"
  step "test layer: $name"
  printf '    $ %s\n' "$*"
  local start=$SECONDS
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local n
  n=$(count_passed "$log")
  if [ "$rc" -ne 0 ]; then
    printf '\n--- layer "%s" FAILED (exit %s) after %ss; log: %s\n' "$name" "$rc" $((SECONDS - start)) "$log"
    failed_layers+=("$name")
  elif [ "$n" -eq 0 ]; then
    printf '\n--- layer "%s" FAILED: it ran no test; log: %s\n' "$name" "$log"
    failed_layers+=("$name")
  else
    printf '\n--- layer "%s": %s tests passed in %ss\n' "$name" "$n" $((SECONDS - start))
    passed_layers+=("$name")
    total=$((total + n))
  fi
}

layer "lint" bash scripts/lint.sh --count
# shellcheck disable=SC2046
layer "native" cargo test --workspace $(e2e_exclude) --features client-wasm/cli --color never
layer "wasm chromium" bash scripts/test-wasm.sh chromium
layer "wasm webkit" bash scripts/test-wasm.sh webkit
layer "relay" bash relay-worker/tests/run.sh
layer "web unit" bash -c 'cd web && npm test --silent'
layer "e2e" bash tests/run.sh

printf '\n==> summary\n'
for l in "${passed_layers[@]}"; do printf '    ok      %s\n' "$l"; done
for l in "${failed_layers[@]}"; do printf '    FAILED  %s\n' "$l"; done
printf 'layers: %s passed, %s failed\n' "${#passed_layers[@]}" "${#failed_layers[@]}"
printf 'tests: %s passed, %s failed\n' "$total" "${#failed_layers[@]}"
[ ${#failed_layers[@]} -eq 0 ]
