#!/usr/bin/env bash
# Builds the wasm client and its lazily loaded reports module for the browser (with wasm
# SIMD, which Safari 16.4+ runs) into web/src/wasm/, then the app into web/dist/.
# VITE_GFMS_RELAYS sets the default relays.
#   scripts/build-web.sh            wasm + app
#   scripts/build-web.sh --wasm     wasm only (for `npm run dev` and the unit tests)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
source scripts/lib.sh

step "building the wasm client, the reports and the import modules (release, simd128)"
# Size over speed for the first load (budgets: the client wasm <= 150 KB and the first
# load < 300 KB, gzipped; web/e2e/offline.mjs checks both); gfms-shamir keeps opt-level 3
# through its package override in Cargo.toml. Statistics and exports are a second module
# (client-wasm/reports) the app loads on first use; the Splitwise / Tricount parsers a
# third (client-wasm/import), loaded when the user opens Import. The first-screen module
# (client-wasm/view, issue 12's split) is the only wasm in the first load: the app shows the
# current group from it while the core (a lazily loaded chunk, precached) loads; the unit
# tests check it against the core (docs/architecture.md, docs/benchmarks.md).
# Panic locations name source files: the builder's cargo home stays out of what ships.
# The app's features of the client (client-wasm/Cargo.toml): recurring expenses.
APP_FEATURES="client-wasm/recurring"
REGISTRY_SRC="${CARGO_HOME:-$HOME/.cargo}/registry/src"
CARGO_TARGET_DIR="$ROOT/target/web" RUSTFLAGS="-C target-feature=+simd128 --remap-path-prefix=$REGISTRY_SRC=/crates" \
  CARGO_PROFILE_RELEASE_OPT_LEVEL=z cargo build --release --target wasm32-unknown-unknown -p client-wasm -p gfms-reports -p gfms-import -p gfms-view \
  --features "$APP_FEATURES" --color never
for module in gfms_client gfms_reports gfms_import gfms_view; do
  wasm-bindgen --target web --remove-name-section --remove-producers-section --out-dir web/src/wasm \
    "$ROOT/target/web/wasm32-unknown-unknown/release/$module.wasm"
done
[ "${1:-}" = --wasm ] && exit 0

# wasm-opt (npm binaryen) for what ships: -Oz alone makes the file smaller but gzips it
# larger (it inlines every function with one caller into huge bodies that compress worse);
# without that inlining it saves about 10 % raw and 2-3 % gzipped (docs/benchmarks.md).
# The features are those rustc's wasm32 target enables, plus simd128.
step "wasm-opt -Oz (binaryen)"
for module in gfms_client gfms_reports gfms_import gfms_view; do
  wasm-opt -Oz --one-caller-inline-max-function-size=0 \
    --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-multivalue --enable-reference-types \
    "web/src/wasm/${module}_bg.wasm" -o "web/src/wasm/${module}_bg.wasm"
done

step "building the app (vite)"
(cd web && npm run --silent build)
