#!/usr/bin/env bash
# rustfmt, clippy (native and wasm32, warnings are errors) and TypeScript strict type checks.
# With --count it closes with an "N passed, N failed" line so `make test` can count it.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
source scripts/lib.sh

pass=0 fail=0
check() { # check NAME CMD...
  step "lint: $1"; shift
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); printf 'lint FAILED: %s\n' "$*"; fi
}
check "cargo fmt" cargo fmt --all --check
check "clippy (native)" cargo clippy --workspace --all-targets --features client-wasm/cli --color never -- -D warnings
check "clippy (wasm32, simd128)" env CARGO_TARGET_DIR="$ROOT/target/wasm-clippy" RUSTFLAGS="-C target-feature=+simd128" \
  cargo clippy --workspace $(e2e_exclude) --features client-wasm/lowlevel --all-targets --target wasm32-unknown-unknown --color never -- -D warnings
# The app's types of the facade's JSON are generated from the Rust types (ts-rs): fail
# when web/src/core/types.gen.ts is not what they generate now.
check "TypeScript types match the Rust types" cargo test -p client-wasm --features ts --test ts_types --color never
if [ -f web/package.json ]; then
  # The app imports the wasm client's generated bindings: build them first.
  check "tsc (web, strict)" bash -c 'bash scripts/build-web.sh --wasm >/dev/null && cd web && npm run --silent typecheck'
fi
[ "${1:-}" = --count ] && printf 'lint: %s passed, %s failed\n' "$pass" "$fail"
[ "$fail" -eq 0 ]
