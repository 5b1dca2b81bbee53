// The relay against the least a Worker can do for the same work: storing 1 KiB in KV and
// reading it back. Both run under wrangler dev (the same workerd build, local KV) on this
// machine in the same run, driven by the same clients; the relay also authenticates,
// keeps its index in a Durable Object and counts fetchers. Prints a Markdown table:
// requests per second and CPU per request (user + system time of the Worker's whole
// wrangler dev process group, so both pay the same local proxy). A measurement, never
// a test.
//
//   GFMS_BENCH_RELAY=URL GFMS_BENCH_RELAY_PGID=N GFMS_BENCH_BASELINE=URL GFMS_BENCH_BASELINE_PGID=N \
//     node relay-worker/bench/relay-vs-baseline.mjs
import { createHash, randomBytes } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";

const RELAY = process.env.GFMS_BENCH_RELAY;
const BASELINE = process.env.GFMS_BENCH_BASELINE;
for (const url of [RELAY, BASELINE]) {
  if (!url || !new URL(url).hostname.startsWith("127.")) throw new Error(`local URLs only, not ${url}`);
}
const OPS = Number(process.env.GFMS_BENCH_OPS ?? "600");
const CONCURRENCY = 4;
const SIZE = 1024;
const CLK_TCK = 100; // Linux USER_HZ

/** CPU seconds used so far by every process in a process group. */
function groupCpu(pgid) {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    let stat;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / CLK_TCK;
}

async function drive(count, op) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const res = await op(i);
      await res.arrayBuffer();
      if (res.status >= 400) throw new Error(`request ${i}: ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

async function measure(pgid, count, op) {
  const cpu0 = groupCpu(pgid);
  const t0 = performance.now();
  await drive(count, op);
  const wall = (performance.now() - t0) / 1000;
  return { count, rps: count / wall, cpuMs: ((groupCpu(pgid) - cpu0) * 1000) / count };
}

const hex = (b) => Buffer.from(b).toString("hex");
const data = randomBytes(SIZE);

// The relay: one registered group, shares put and fetched by a member.
const token = randomBytes(32);
const gid = hex(randomBytes(16));
const member = hex(randomBytes(16));
const auth = { authorization: `Bearer ${hex(token)}`, "content-type": "application/json" };
const reg = await fetch(`${RELAY}/v1/groups/${gid}`, {
  method: "POST",
  body: JSON.stringify({ token_sha256: createHash("sha256").update(token).digest("hex") }),
});
if (reg.status !== 201) throw new Error(`register: ${reg.status}`);
const putBody = JSON.stringify({ data: data.toString("base64url"), recipients: [] });
const relayPut = (ids) => (i) => fetch(`${RELAY}/v1/groups/${gid}/shares/${ids[i]}`, { method: "PUT", headers: auth, body: putBody });
const relayGet = (ids) => (i) => fetch(`${RELAY}/v1/groups/${gid}/shares/${ids[i]}?member=${member}`, { headers: auth });
const basePut = (ids) => (i) => fetch(`${BASELINE}/kv/${ids[i]}`, { method: "PUT", body: data });
const baseGet = (ids) => (i) => fetch(`${BASELINE}/kv/${ids[i]}`);
const fresh = (n) => Array.from({ length: n }, () => hex(randomBytes(16)));

// Warm both up (JIT, wasm compile, first KV and Durable Object accesses).
for (const [put, get] of [[relayPut, relayGet], [basePut, baseGet]]) {
  const ids = fresh(40);
  await drive(ids.length, put(ids));
  await drive(ids.length, get(ids));
}

const pgids = { relay: Number(process.env.GFMS_BENCH_RELAY_PGID), baseline: Number(process.env.GFMS_BENCH_BASELINE_PGID) };
const results = {};
// The relay's group quota bounds how many shares one group holds: delete as we go by
// running the puts in rounds of at most 400 fresh shares.
const rounds = Math.ceil(OPS / 400);
for (const [name, put, get] of [["relay", relayPut, relayGet], ["baseline", basePut, baseGet], ["relay", relayPut, relayGet], ["baseline", basePut, baseGet]]) {
  for (let r = 0; r < rounds; r++) {
    const ids = fresh(Math.min(400, OPS - r * 400));
    for (const [op, fn] of [["PUT", put], ["GET", get]]) {
      const m = await measure(pgids[name], ids.length, fn(ids));
      const key = `${name} ${op}`;
      const acc = (results[key] ??= { count: 0, seconds: 0, cpu: 0 });
      acc.count += m.count;
      acc.seconds += m.count / m.rps;
      acc.cpu += (m.cpuMs * m.count) / 1000;
    }
    if (name === "relay") {
      for (const sid of ids) await fetch(`${RELAY}/v1/groups/${gid}/shares/${sid}`, { method: "DELETE", headers: auth });
    }
  }
}

const row = (key) => {
  const r = results[key];
  return { rps: r.count / r.seconds, cpu: (r.cpu * 1000) / r.count, count: r.count };
};
console.log("| worker | op (1 KiB) | requests | req/s | CPU ms / request | CPU vs baseline |");
console.log("| --- | --- | ---: | ---: | ---: | ---: |");
for (const op of ["PUT", "GET"]) {
  const base = row(`baseline ${op}`);
  for (const name of ["relay", "baseline"]) {
    const r = row(`${name} ${op}`);
    const label = name === "relay" ? "relay (Rust/wasm: auth, Durable Object index, KV)" : "baseline (JavaScript: KV only)";
    console.log(`| ${label} | ${op} | ${r.count} | ${Math.round(r.rps)} | ${r.cpu.toFixed(2)} | ${(r.cpu / base.cpu).toFixed(1)}× |`);
  }
}
