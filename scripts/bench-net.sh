#!/usr/bin/env bash
# Latency as users feel it and the free plan counted: GFMS against real local relays
# (workerd) behind delay proxies (scripts/delay-proxy.mjs) at 0, 40 and 150 ms RTT.
#   1. tests/e2e/benches/latency.rs: sync rounds wave by wave, the gfms CLI, a newcomer
#      catching up with 1,000 and 10,000 events (native engine and driver);
#   2. web/e2e/bench-latency.mjs: a tap on one phone to the record on the other (the
#      built app in two Chromium pages, push on);
#   3. tests/e2e/benches/quota: a compressed day of a five-member group, counted per
#      relay against Cloudflare's free plan.
# Writes its section at the end of docs/benchmarks.md (between its two markers; what
# precedes and follows is kept). Measurements, never tests. It opens ports: on a shared
# machine run it (or `make bench`) under `flock /tmp/gfms-ports.lock`.
# The relays run as workerd under Miniflare's API (scripts/relay-mf.mjs), not `wrangler
# dev`, whose proxy worker adds a second workerd and ~2-6 ms to every request here
# (docs/latency.md, "h/chain"); GFMS_RELAYS_RUNNER=wrangler measures with wrangler dev.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
source scripts/lib.sh
export GFMS_RELAYS_RUNNER="${GFMS_RELAYS_RUNNER:-miniflare}"
if [ "$GFMS_RELAYS_RUNNER" = miniflare ]; then
  runner_says="run through Miniflare's API without \`wrangler dev\`'s proxy: \`scripts/relay-mf.mjs\`"
else
  runner_says="run by \`wrangler dev\`, whose proxy adds a workerd hop to every request"
fi

OUT="$ROOT/target/bench"
mkdir -p "$OUT"
# The relay harness prints its start and stop lines; keep only the benchmarks' output.
quiet_relays() { grep -v -E '^(relay [a-c] ready|stopped relay)'; }

step "the gfms CLI (debug build, as \`make cli\` makes it)"
cargo build -q -p client-wasm --features cli --bin gfms --color never

step "latency benchmark: rounds, CLI, newcomer at 0/40/150 ms RTT (relays on 8951-8953, proxies 8954-8956)"
cargo bench -q -p gfms-e2e --bench latency --color never | quiet_relays >"$OUT/net-latency.md"

step "tap to the other phone: the built app in two Chromium pages (relays 8991-8993, proxies 8994-8996, app 8997)"
bash scripts/build-web.sh >/dev/null
node web/e2e/bench-latency.mjs >"$OUT/net-web.md"

step "a compressed day of a five-member group, counted per relay (relays 8961-8963, proxies 8964-8966; about 5 minutes)"
cargo bench -q -p gfms-e2e --bench quota --color never | quiet_relays >"$OUT/net-quota.md"

begin="<!-- bench-net: written by scripts/bench-net.sh -->"
end="<!-- /bench-net -->"
[ -f docs/benchmarks.md ] || die "docs/benchmarks.md is missing: run make bench"
awk -v m="$begin" '$0 == m { exit } { print }' docs/benchmarks.md >"$OUT/net-before.md"
awk -v m="$end" 'found { print } $0 == m { found = 1 }' docs/benchmarks.md >"$OUT/net-after.md"
{
  printf '%s\n\n' "$(cat "$OUT/net-before.md")"
  echo "$begin"
  cat <<MD
## Over a phone's network, and inside the free plan

Written by \`scripts/bench-net.sh\` on $(date -u +%Y-%m-%d), on the machine above. Loopback
costs nothing per round trip; phones reach relays over 40–200 ms. Here each of three real
local relays (workerd, $runner_says) sits behind a delay proxy (\`scripts/delay-proxy.mjs\`) that holds
every request and every answer RTT/2, and the first request on a new connection one more
RTT (the TCP handshake; a real relay behind TLS 1.3 costs one more still). Only latency is
modelled, not bandwidth or loss; relays and clients still share the machine's two cores.
Targets and what reaching them needs: [docs/latency.md](latency.md).

### Tap on one phone → the record on the other

The built app in two Chromium pages (iPhone-sized), push on. Alice taps **Save**; the
clock stops when Bob's expense list shows it, no one touching Bob's phone. The legs are
timed inside the pages (fetch and the push sockets' messages wrapped by the benchmark):
Alice's work before her first upload (IndexedDB, seal, split, save), her upload to Bob's
phone hearing of it (the put's way to the relay, the relay's push to Bob), and Bob's work
until his list shows the record: opening the batch from the shares the pushes carry
(relays push a share of up to 8 KiB with its bytes), or rounds of requests when they
carry none. "Before" counts Bob's requests, rounds and pushes with bytes until then. Between taps
the benchmark waits until both phones say "Up to date": Alice's phone gets there when the
relays push Bob's acks (\`share_acked\`); before they did, a tap at 40 ms RTT left her
"Sending" until the 15-minute safety round and the benchmark could not finish.

$(cat "$OUT/net-web.md")

$(cat "$OUT/net-latency.md")

A "wave" is one \`Step::Requests\` of the engine: its requests go out together (the native
driver carries them concurrently, at most six per relay, as the app's \`Promise.all\` and a
browser's six connections per host do), so a wave costs one RTT however many requests it
holds. A round costs about waves × RTT plus the machine's own work (the "0 ms" rows), not
requests × RTT. The CLI is a new process per command: its connections are new, so each
pays the handshake on top.

### Inside the free plan

$(cat "$OUT/net-quota.md")

How the counts were made: every request crossing a delay proxy is logged (method, route,
status, the relay's JSON answer of each PUT, POST and DELETE), the phones count their own
requests by what triggered the round, and a preflight is added where Safari would send one
(each request carries \`authorization\`, so each distinct URL is preflighted, and WebKit
keeps a preflight 600 s). Each route is then mapped to the Durable Object operations its
code performs (share bytes are rows of the object's \`share_bytes\` table; the relay uses
no KV) (\`relay-worker/src/glue/mod.rs\`, \`glue/object.rs\`):

| route | Worker req | DO req | of which the bytes' row | DO SQLite rows read / written |
| --- | ---: | ---: | --- | --- |
| \`OPTIONS\` (preflight), \`GET /v1/health\` | 1 | 0 | – | – |
| \`POST /v1/groups/{gid}\` (register) | 1 | 1 | – | 1 / 1 if created |
| \`PUT …/shares/{sid}\` | 1 | 1 | 1 written | 5 / 3, +1 when the alarm moves earlier |
| \`GET …/shares/{sid}\` (200) | 1 | 1 | 1 read | 3 / 1 (the fetch is recorded) |
| \`DELETE …/shares/{sid}\` | 1 | 1 | 1 written (even if gone) | 2 / 1, or 3 / 3 if it existed |
| \`GET …/shares\` (list) | 1 | 1 | – | 1 + every share row the group holds / 0 |
| \`POST …/acks\` (n ids) | 1 | 1 | – | 1 + n / n (acks never complete a share: the engine puts no recipient list) |
| \`POST …/status\` (n ids) | 1 | 1 | – | 1 + n / 0 |
| \`GET …/ws\` (upgrade) | 1 | 1 | – | 1 / 0 |
| DO alarm (expiry sweep) | 0 | 1 | 1 written per expired share | every row + 2 per expired / 3 per expired, +1 for the next alarm |

Alarms are not requests, so they are replayed from the expiry times the relay returned on
each put. Outgoing WebSocket messages are free; the app's pings (one per socket every 30 s)
are answered by the platform's auto-response without waking the object, and not counted. Durable Object
duration is the relay's own time per request (as the proxy saw it) × 128 MB, an upper
bound: hibernation stops billing between requests. Limits and prices, checked on
$(date -u +%Y-%m-%d) in Cloudflare's documentation: [Workers pricing and free limits](https://developers.cloudflare.com/workers/platform/pricing/)
(100,000 requests/day free; paid \$5/month with 10 M requests, then \$0.30/M; a WebSocket
upgrade is one request), [KV pricing](https://developers.cloudflare.com/kv/platform/pricing/)
(free: 100,000 reads, 1,000 writes, 1,000 deletes, 1,000 lists per day; paid: 10 M reads
then \$0.50/M, 1 M writes/deletes/lists then \$5/M),
[Durable Objects pricing](https://developers.cloudflare.com/durable-objects/platform/pricing/)
(free: 100,000 requests/day including alarm invocations, 13,000 GB-s/day; SQLite storage
5 M rows read and 100,000 rows written per day, each \`setAlarm\` and each delete a row
written; paid: 1 M requests then \$0.15/M, 400,000 GB-s then \$12.50/M, 25 G rows read,
50 M rows written then \$1/M), WebKit's and Chromium's preflight caps on
[MDN](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Access-Control-Max-Age).
MD
  echo "$end"
  if [ -s "$OUT/net-after.md" ]; then
    cat "$OUT/net-after.md"
  fi
} >"$OUT/benchmarks.md"
mv "$OUT/benchmarks.md" docs/benchmarks.md
step "wrote the network section of docs/benchmarks.md"
