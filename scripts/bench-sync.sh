#!/usr/bin/env bash
# Sync and relay benchmark against real local relays (workerd) on 127.0.0.1: the sync
# engine's rounds as a member waits for them (tests/e2e/benches/sync.rs) and the relay's
# request latency under a bounded number of clients (relay-worker/bench/load.mjs), and
# the relay against a minimal JavaScript Worker doing the same KV work
# (relay-worker/bench/relay-vs-baseline.mjs).
# Appends (or replaces) its section of docs/benchmarks.md. Measurements, never tests.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
source scripts/lib.sh

OUT="$ROOT/target/bench"
DIR="$ROOT/target/bench/relays"
mkdir -p "$OUT"

step "sync benchmark (engine + native driver, three relays on 8931-8933)"
# The harness prints the relays' start and stop lines; keep only the benchmark's output.
cargo bench -q -p gfms-e2e --bench sync --color never |
  grep -v -E '^(relay [a-c] ready|stopped relay)' >"$OUT/sync.md"

step "relay load benchmark (one relay on 8941, at most 16 clients)"
rm -rf "$DIR"
stop_baseline() {
  [ -f "$DIR/baseline.pid" ] || return 0
  kill -- "-$(cat "$DIR/baseline.pid")" 2>/dev/null || true
  rm -f "$DIR/baseline.pid"
}
trap 'bash scripts/relays.sh stop --dir "$DIR" >/dev/null 2>&1 || true; stop_baseline' EXIT
bash scripts/relays.sh start --dir "$DIR" --base-port 8941 --ttl 600 >/dev/null
GFMS_TEST_RELAYS="http://127.0.0.1:8941,http://127.0.0.1:8942,http://127.0.0.1:8943" \
  node relay-worker/bench/load.mjs >"$OUT/load.md"

step "the relay against a minimal JavaScript Worker doing the same KV put and get (on 8944)"
# setsid: its own process group, whose CPU time the benchmark reads and which is stopped whole.
(exec setsid npx wrangler dev -c relay-worker/bench/baseline/wrangler.toml --ip 127.0.0.1 --port 8944 \
  --inspector-port 9944 --persist-to "$DIR/baseline" --show-interactive-dev-session=false \
  --log-level warn >"$DIR/baseline.log" 2>&1 </dev/null) &
echo $! >"$DIR/baseline.pid"
for _ in $(seq 1 240); do
  curl -fsS -o /dev/null -X PUT --data x "http://127.0.0.1:8944/kv/ready" 2>/dev/null && break
  sleep 0.5
done
GFMS_BENCH_RELAY="http://127.0.0.1:8941" GFMS_BENCH_RELAY_PGID="$(cat "$DIR/a.pid")" \
GFMS_BENCH_BASELINE="http://127.0.0.1:8944" GFMS_BENCH_BASELINE_PGID="$(cat "$DIR/baseline.pid")" \
  node relay-worker/bench/relay-vs-baseline.mjs >"$OUT/baseline.md"

marker="<!-- bench-sync: written by scripts/bench-sync.sh -->"
[ -f docs/benchmarks.md ] || die "docs/benchmarks.md is missing: run make bench"
# Keep what precedes this section; replace the section itself.
awk -v m="$marker" '$0 == m { exit } { print }' docs/benchmarks.md >"$OUT/before.md"
{
  # (without its trailing blank lines, so that rerunning changes nothing else)
  printf '%s\n\n' "$(cat "$OUT/before.md")"
  echo "$marker"
  cat <<MD
## Sync over real relays

Written by \`scripts/bench-sync.sh\` on $(date -u +%Y-%m-%d): the sync engine with the native
driver (blocking HTTP, one request at a time) and three relays under workerd on the same
2-core machine, so every number includes three local relay processes competing for the
CPU; state is saved to disk (atomic write + rename) at every step a crash must survive.
Over the internet add one round-trip time per request in a round. k = 2, n = 3.
"Bytes put" counts the request bodies sent to the relays (JSON, the share in base64): a
share is the sealed batch padded to a size bucket (powers of two from 256 B to 64 KiB, then
64 KiB steps; see \`docs/share-format.md\`), so a lone expense costs a 1 KiB bucket per relay
and larger batches amortise it; batches over 256 KiB go as several chunks.

$(cat "$OUT/sync.md")

## One relay under load

Each route of one relay (workerd, local KV and SQLite Durable Object), driven by 1, 4 or 16
concurrent clients from Node on the same machine. All clients of a run share one group, so
they contend on its Durable Object, as the members of a busy group would. "POST ack" is
one member acknowledging one share; every third ack is the last one and deletes the share.
The client and the relay share the two cores, so this bounds what one group gets from a
local relay, not what Cloudflare's edge would serve.

$(cat "$OUT/load.md")

## The relay against a minimal Worker

The same relay and a minimal JavaScript Worker that only stores a request body in KV and
reads it back (\`relay-worker/bench/baseline/\`), both under \`wrangler dev\` (the same
workerd, local KV) on this machine in this run, driven by 4 concurrent clients from Node,
alternating so both see the same conditions. The relay's PUT also checks the token,
decides the put in the group's Durable Object before writing KV and reads the index
again after; its GET checks the index, reads KV and counts the fetcher. CPU is the user +
system time of each Worker's whole \`wrangler dev\` process group (workerd and its local
proxy) per request, so both pay the same local overhead; on Cloudflare only the Worker's
own CPU counts. Each relay request runs twice (the Worker, then the group's Durable
Object) and writes the index as well as KV; the baseline runs once and writes KV only.

$(cat "$OUT/baseline.md")
MD
} >"$OUT/benchmarks.md"
mv "$OUT/benchmarks.md" docs/benchmarks.md
step "wrote the sync section of docs/benchmarks.md"
