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
reports_wasm=$(ls web/dist/assets/gfms_reports_bg-*.wasm | head -1)
# The first load and what loads when used, measured as web/e2e/offline.mjs checks them.
read -r shell_bytes lazy_bytes client_bytes lazy_wasm_bytes < <(node web/scripts/first-load.mjs)

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
ARM, not wasm); still 50-150× the other crates from 1 KiB on. \`sharks\` and \`blahaj\` pay a
log/exp table lookup and an allocation per field operation, and \`sharks\` draws coefficients
from \`1..=255\`, a bias we avoid.

## Sizes

| artefact | gzipped | budget |
| --- | ---: | ---: |
| relay worker wasm (\`relay-worker/build/index_bg.wasm\`) | $(gz relay-worker/build/index_bg.wasm) B | < 1 MB (free plan allows 3 MB) |
| client wasm (\`$(basename "$client_wasm")\`): sharing, sealing, ledger, sync engine | $client_bytes B | ≤ 150 KB (153600 B) |
| app first load: HTML, what it references, the client wasm | $shell_bytes B | < 300 KB |
| loaded when used: reports module (\`$(basename "$reports_wasm")\`: statistics, CSV and JSON export) | $lazy_wasm_bytes B | – |
| loaded when used, in all: reports module and its glue, QR encoder, QR scanner | $lazy_bytes B | – |

### Where the client wasm's bytes go

Measured by hand with \`twiggy top\` (the name section kept only to measure) on the module as
wasm-bindgen writes it, before wasm-opt; bytes, uncompressed. "Before" is the single module
of 2026-11-25 (869 015 B, 260 250 B gzipped, first load 297 598 B); "after" is the client
core and the reports module of the split (2026-11-30).

| part | before | after: client core | after: reports module (lazy) |
| --- | ---: | ---: | ---: |
| serde, serde_json: derived (de)serializers, the JSON reader/writer, buffering of internally tagged enums | 277 276 | 267 553 | 165 767 |
| alloc: BTreeMap, Vec, String code, once per element type | 220 891 | 215 639 | 40 658 |
| core: formatting (numbers and floats in error messages), sorting per element type, str | 142 180 | 135 183 | 74 086 |
| data (strings, tables) | 68 602 | 55 078 | 51 082 |
| gfms-sync | 40 443 | 40 442 | – |
| gfms-ledger | 16 432 | 12 909 | 9 000 |
| gfms-shamir | 11 228 | 11 292 | – |
| gfms-seal, RustCrypto (chacha20poly1305, sha2, hkdf) | 21 924 | 21 924 | – |
| facades (client-wasm, gfms-reports) and wasm-bindgen, js-sys glue | 26 639 | 25 886 | 7 731 |
| csv, csv-core | 5 003 | – | 5 000 |
| dlmalloc (the allocator), std | 9 424 | 9 395 | 8 765 |
| other (base64, uuid, hex, rand_chacha, getrandom, wasm tables, …) | 28 897 | 28 089 | 10 096 |
| total | 868 939 | 823 390 | 372 185 |

Our own code is small; the bulk is generic code instantiated for our types: every type
that crosses JSON gets its own deserializer per JSON reader (\`from_str\` and \`from_slice\`
are two), internally tagged enums (\`#[serde(tag = …)]\`: events, splits) buffer every value
into serde's \`Content\` and deserialize it again (about 65 KB of the serde row), and every
map and sort is compiled once per element type. What was tried, gzipped size of the client
wasm (gzip -9):

| change | client wasm gzipped | kept |
| --- | ---: | --- |
| one module, \`opt-level = "z"\`, LTO, one codegen unit (before) | 260 241 B | – |
| \`opt-level = "s"\` instead | 265 271 B | no |
| \`-C llvm-args=-inline-threshold=0\` | 264 087 B | no |
| gfms-shamir at \`opt-level = "z"\` too (it keeps 3 for speed) | no change | no |
| \`panic = "abort"\` | no change: it is already the wasm32-unknown-unknown target's strategy (its target spec says so); dropping panic messages too needs a nightly build-std | – |
| statistics and exports in the lazily loaded reports module | 237 904 B | yes |
| wasm-opt -Oz (npm binaryen 132), as is | 290 123 B (raw −12 %) | no |
| wasm-opt -Oz \`--one-caller-inline-max-function-size=0\` | 232 146 B (raw −10 %) | yes |
| the facade's JSON built from plain structs, not \`serde_json::json!\` (no \`serde_json::Value\` and its second serializer) | −3 028 B | yes |
| the same with \`--converge\` | 231 061 B, twice the time | no |
| one JSON reader: \`from_slice\` where the sync engine, the ledger import and the facade use \`from_str\` (experiment, not in the tree) | −4 300 B | for gfms-sync and gfms-ledger to take |

The client wasm is not yet within its 150 KB budget: the rest is in how gfms-sync and
gfms-ledger serialise (one reader everywhere, events and splits without serde's
\`Content\` buffering, fewer distinct map and list types in the saved state, or a compact
binary form for the saved state and the wire).
MD
step "wrote docs/benchmarks.md"
