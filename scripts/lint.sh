#!/usr/bin/env bash
# rustfmt, clippy (native and wasm32, warnings are errors), TypeScript strict type checks, and
# the supply chain: cargo deny (advisories, licenses, bans, sources; deny.toml) and npm audit
# of the production dependencies (root and web/). A check whose data cannot be had from this
# machine (the RustSec database, npm's audit endpoint) is SKIPPED, says what went unchecked,
# and is never counted as passed. With --count it closes with an "N passed, N failed,
# N skipped" line so `make test` can count it.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
source scripts/lib.sh

pass=0 fail=0 skip=0 skipped=()
check() { # check NAME CMD... -- exit 0 passes, 77 is skipped (the command says why), else fails
  local name="$1" rc=0
  step "lint: $name"; shift
  "$@" || rc=$?
  case "$rc" in
    0) pass=$((pass + 1)) ;;
    77) skip=$((skip + 1)); skipped+=("$name"); printf 'lint SKIPPED: %s\n' "$name" ;;
    *) fail=$((fail + 1)); printf 'lint FAILED: %s\n' "$*" ;;
  esac
}
check "cargo fmt" cargo fmt --all --check
check "clippy (native)" cargo clippy --workspace --all-targets --features client-wasm/cli --color never -- -D warnings
check "clippy (wasm32, simd128)" env CARGO_TARGET_DIR="$ROOT/target/wasm-clippy" RUSTFLAGS="-C target-feature=+simd128" \
  cargo clippy --workspace $(e2e_exclude) --features client-wasm/lowlevel,client-wasm/recurring --all-targets --target wasm32-unknown-unknown --color never -- -D warnings
# The app's types of the facade's JSON are generated from the Rust types (ts-rs): fail
# when web/src/core/types.gen.ts is not what they generate now.
check "TypeScript types match the Rust types" cargo test -p client-wasm --features ts --test ts_types --color never
if [ -f web/package.json ]; then
  # The app imports the wasm client's generated bindings: build them first.
  check "tsc (web, strict)" bash -c 'bash scripts/build-web.sh --wasm >/dev/null && cd web && npm run --silent typecheck'
fi
check "cargo deny (licenses, bans, sources)" bash scripts/audit.sh deny
check "cargo deny (advisories)" bash scripts/audit.sh advisories
check "npm audit --omit=dev (root)" bash scripts/audit.sh npm .
[ -f web/package-lock.json ] && check "npm audit --omit=dev (web)" bash scripts/audit.sh npm web
[ "$skip" -gt 0 ] && printf '\nlint: skipped, NOT checked: %s\n' "$(IFS=';'; echo "${skipped[*]}")"
[ "${1:-}" = --count ] && printf 'lint: %s passed, %s failed, %s skipped\n' "$pass" "$fail" "$skip"
[ "$fail" -eq 0 ]
