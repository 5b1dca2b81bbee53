#!/usr/bin/env bash
# Runs the wasm-bindgen-test suites of the client crates in a real browser engine:
#   scripts/test-wasm.sh chromium   headless Chromium via wasm-pack + chromedriver
#   scripts/test-wasm.sh webkit     WebKitGTK (iPhone Safari's engine) via WebKitWebDriver under Xvfb
# Each crate runs twice: built with wasm SIMD (simd128, what the PWA ships) and without
# (the portable scalar path), so both code paths are tested in both engines.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
source scripts/lib.sh

engine="${1:?usage: test-wasm.sh chromium|webkit}"
# The crates with browser tests: those whose sources mention wasm_bindgen_test.
mapfile -t crates < <(grep -rl --include='*.rs' 'wasm_bindgen_test_configure' client-wasm | sed -E 's#/(src|tests)/.*##' | sort -u)
[ ${#crates[@]} -gt 0 ] || die "no crate has browser tests (wasm_bindgen_test_configure!)"

for simd in on off; do
  if [ "$simd" = on ]; then export RUSTFLAGS="-C target-feature=+simd128"; else export RUSTFLAGS=""; fi
  # Separate target dirs so switching RUSTFLAGS does not rebuild everything each time.
  export CARGO_TARGET_DIR="$ROOT/target/wasm-test-simd-$simd"
  for dir in "${crates[@]}"; do
    pkg=$(sed -nE 's/^name = "(.*)"/\1/p' "$dir/Cargo.toml" | head -1)
    step "$pkg in $engine (simd128 $simd)"
    case "$engine" in
      chromium)
        wasm-pack --log-level warn test --headless --chrome --chromedriver /usr/bin/chromedriver --mode no-install "$dir"
        ;;
      webkit)
        SAFARIDRIVER=/usr/bin/WebKitWebDriver \
          CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
          xvfb-run -a cargo test --color never --target wasm32-unknown-unknown -p "$pkg"
        ;;
      *) die "unknown engine $engine" "use chromium or webkit" ;;
    esac
  done
done
