// Relay load benchmark: request latency and throughput of one real local relay (workerd)
// under a bounded number of concurrent clients, for each route a sync round uses.
// Prints a Markdown table. A measurement, never a test: nothing here passes or fails.
//
//   GFMS_TEST_RELAYS=URL,URL,URL node relay-worker/bench/load.mjs
//
// Only 127.0.0.1 relays are accepted, and every run is bounded in count.
import { randomBytes } from "node:crypto";
import { RELAYS, newGroup, id, put, get, list, ack, status } from "../tests/lib.mjs";

const relay = RELAYS[0];
if (!new URL(relay).hostname.startsWith("127.")) throw new Error(`load only local relays, not ${relay}`);

const OPS = Number(process.env.GFMS_BENCH_OPS ?? "400");
const CONCURRENCY = [1, 4, 16];
const SIZES = [1024, 64 * 1024];
const MEMBERS = 3;

/** Runs `op(i)` for i in 0..count with `concurrency` in flight; returns latencies in ms. */
async function drive(count, concurrency, op) {
  const latencies = [];
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const t0 = performance.now();
      const res = await op(i);
      latencies.push(performance.now() - t0);
      if (res.status >= 400) failed++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wall = performance.now() - t0;
  if (failed > 0) throw new Error(`${failed} of ${count} requests failed`);
  return { latencies, wall };
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (v) => (v < 10 ? v.toFixed(2) : v.toFixed(1));

const rows = [];
function record(route, size, concurrency, { latencies, wall }) {
  const sorted = [...latencies].sort((a, b) => a - b);
  rows.push(
    `| ${route} | ${size ? `${size / 1024} KiB` : "–"} | ${concurrency} | ${latencies.length} | ` +
      `${Math.round((latencies.length * 1000) / wall)} | ${ms(pct(sorted, 50))} | ${ms(pct(sorted, 95))} | ${ms(pct(sorted, 99))} |`,
  );
}

for (const size of SIZES) {
  for (const concurrency of CONCURRENCY) {
    // One group per run, so the share counts of runs do not add up; members as a group has.
    const g = await newGroup(relay);
    const members = Array.from({ length: MEMBERS }, id);
    const sids = Array.from({ length: OPS }, id);
    const data = randomBytes(size);
    const count = size >= 64 * 1024 ? Math.min(OPS, 100) : OPS;

    record("PUT share", size, concurrency, await drive(count, concurrency, (i) => put(g, sids[i], data, members)));
    record("GET share", size, concurrency, await drive(count, concurrency, (i) => get(g, sids[i], members[i % MEMBERS])));
    if (size === SIZES[0]) {
      record("GET list", 0, concurrency, await drive(Math.min(count, 100), concurrency, (i) => list(g, members[i % MEMBERS], "&limit=50")));
      record("POST status (50 ids)", 0, concurrency, await drive(Math.min(count, 100), concurrency, (i) => status(g, sids.slice((i * 50) % count, ((i * 50) % count) + 50))));
    }
    // Every member acks every share; the last ack deletes it (KV delete included).
    record("POST ack", size, concurrency, await drive(count * MEMBERS, concurrency, (i) => ack(g, members[i % MEMBERS], [sids[Math.floor(i / MEMBERS)]])));
  }
}

console.log("| route | share | clients | requests | req/s | p50 ms | p95 ms | p99 ms |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const row of rows) console.log(row);
