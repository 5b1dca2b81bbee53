#!/usr/bin/env bash
# Sharing benchmark: ours against sharks and blahaj, natively and in wasm (V8 via Node,
# the engine of Chromium), plus the shipped wasm sizes. Writes docs/benchmarks.md.
# A measurement, not a test: nothing here passes or fails on a time.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
source scripts/lib.sh

OUT="$ROOT/target/bench"
mkdir -p "$OUT"

step "native sharing benchmark (cargo bench, about a minute)"
cargo bench -q -p gfms-shamir --bench sharing --color never >"$OUT/native.md"

step "wasm sharing benchmark (release, simd128, under Node's V8)"
CARGO_TARGET_DIR="$ROOT/target/bench-wasm" RUSTFLAGS="-C target-feature=+simd128" \
  cargo build -q --release --target wasm32-unknown-unknown -p gfms-bench-wasm --color never
wasm-bindgen --target nodejs --out-dir "$OUT/wasm" "$ROOT/target/bench-wasm/wasm32-unknown-unknown/release/gfms_bench_wasm.wasm"
# wasm-bindgen's nodejs output is CommonJS; the repo root says "type": "module".
echo '{"type": "commonjs"}' >"$OUT/wasm/package.json"
node client-wasm/bench/run.mjs "$OUT/wasm" >"$OUT/wasm.md"

step "sizes of what we ship"
bash scripts/build-web.sh >/dev/null
bash scripts/build-relay.sh
gz() { gzip -9 -c "$1" | wc -c; }
client_wasm=$(ls web/dist/assets/gfms_client_bg-*.wasm | head -1)
# The first load and the lazily loaded chunks, measured as web/e2e/offline.mjs checks them.
read -r shell_bytes lazy_bytes < <(node web/scripts/first-load.mjs)

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)
cat >docs/benchmarks.md <<MD
# Benchmarks

Written by \`make bench\` (sharing and sizes: \`scripts/bench-sharing.sh\`) on $(date -u +%Y-%m-%d): $cpu,
$(nproc) cores, $(rustc --version | cut -d' ' -f1-2), Node $(node --version). Each cell runs about
0.2 s; numbers move by ±10 % between runs on a shared machine. Measurements, never tests.

## Shamir sharing, native (x86_64)

Throughput in MiB of secret per second. "ours" is \`gfms-shamir\` with the best kernel here
and with the portable SWAR kernel; \`sharks\` 0.5 and \`blahaj\` 0.7 are the crates with the
same field and share format.

$(cat "$OUT/native.md")

## Shamir sharing, wasm (V8, as in Chromium; built with simd128 as the PWA is)

$(cat "$OUT/wasm.md")

## What bounds the split

A split of \`L\` bytes writes \`n · L\` bytes of shares and draws \`(k − 1) · L\` random bytes. The
field arithmetic is a few instructions per 16 bytes (split-nibble tables in SIMD registers),
so at 1 MiB the time goes to the random coefficients (ChaCha12 seeded from the OS; drawing
them straight from the OS generator ran at about 360 MiB/s here, slower than the whole split
now) and to first-touch page faults of the freshly allocated shares. Combining needs no
randomness and writes \`L\` bytes, so it runs near memory speed. In wasm the split is
bound by ChaCha12 itself, which runs there without SIMD (its SIMD backend covers x86 and
ARM, not wasm), at roughly 100 MiB/s; still 20-40× the other crates. \`sharks\` and \`blahaj\` pay a
log/exp table lookup and an allocation per field operation, and \`sharks\` draws coefficients
from \`1..=255\`, a bias we avoid.

## Sizes

| artefact | gzipped | budget |
| --- | ---: | ---: |
| relay worker wasm (\`relay-worker/build/index_bg.wasm\`) | $(gz relay-worker/build/index_bg.wasm) B | < 1 MB (free plan allows 3 MB) |
| client wasm (\`$(basename "$client_wasm")\`): sharing, sealing, ledger, sync engine | $(gz "$client_wasm") B | part of the first load |
| app first load: HTML, what it references, the wasm | $shell_bytes B | < 300 KB |
| chunks loaded when used (QR encoder, QR scanner) | $lazy_bytes B | – |
MD
step "wrote docs/benchmarks.md"
