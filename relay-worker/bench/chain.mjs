#!/usr/bin/env node
// What the local chain in front of one relay costs: GET /v1/health (the Worker answers it
// without the Durable Object) and a status request (one Durable Object hop), each N times
// on one kept-alive connection (node:http, less client overhead than fetch), against a
// relay started by scripts/relays.sh. Prints the p50 and p90 and the CPU that the relay's
// whole process group (the runner and its workerd processes: /proc) spent per request,
// in all and by process.
// A measurement, never a test. Run it (it opens ports) under the lock, e.g.
//
//   flock /tmp/gfms-ports.lock bash -c 'for r in wrangler miniflare; do
//     GFMS_RELAYS_RUNNER=$r bash scripts/relays.sh start --dir target/chain --only a --base-port 8931
//     node relay-worker/bench/chain.mjs target/chain a 8931
//     bash scripts/relays.sh stop --dir target/chain; done'
import http from "node:http";
import { randomBytes, createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";

const [dir, name, port, n = "200"] = process.argv.slice(2);
if (!dir || !name || !port) throw new Error("usage: chain.mjs RELAY_DIR a|b|c PORT [N]");
const N = Number(n);
const WARM = 20;
const TICKS_PER_MS = 100 / 1000; // USER_HZ is 100 on Linux

/** User + system CPU ticks of each process in the relay's process group, by pid and name. */
function groupTicks() {
  const pgid = readFileSync(`${dir}/${name}.pid`, "utf8").trim();
  const ticks = new Map();
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (f[2] === pgid) ticks.set(`${comm} ${pid}`, Number(f[11]) + Number(f[12]));
    } catch {}
  }
  return ticks;
}

/** CPU ms per request between two groupTicks(), in all and by process. */
function cpuPerRequest(before, after, n) {
  const by = [...after].map(([k, t]) => [k, (t - (before.get(k) ?? 0)) / TICKS_PER_MS / n]);
  const all = by.reduce((sum, [, ms]) => sum + ms, 0);
  const busy = by.filter(([, ms]) => ms >= 0.05).map(([k, ms]) => `${k.split(" ")[0]} ${ms.toFixed(2)}`);
  return `${all.toFixed(2)} | ${busy.join(", ")}`;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function request(method, path, body, headers = {}) {
  return new Promise((ok, fail) => {
    const req = http.request({ host: "127.0.0.1", port, method, path, agent, headers }, (res) => {
      res.resume();
      res.on("end", () => ok(res.statusCode));
    });
    req.on("error", fail);
    req.end(body);
  });
}

async function measure(label, once) {
  for (let i = 0; i < WARM; i++) await once();
  const times = [];
  const cpu0 = groupTicks();
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    const status = await once();
    times.push(performance.now() - t);
    if (status >= 300) throw new Error(`${label} answered ${status}`);
  }
  const cpu = cpuPerRequest(cpu0, groupTicks(), N);
  times.sort((a, b) => a - b);
  const p = (q) => times[Math.floor((N - 1) * q)].toFixed(2);
  console.log(`| ${label} | ${p(0.5)} | ${p(0.9)} | ${cpu} |`);
}

const token = randomBytes(32);
const gid = randomBytes(16).toString("hex");
const auth = { authorization: `Bearer ${token.toString("hex")}`, "content-type": "application/json" };
const registered = await request("POST", `/v1/groups/${gid}`, JSON.stringify({ token_sha256: createHash("sha256").update(token).digest("hex") }), { "content-type": "application/json" });
if (registered !== 201) throw new Error(`register answered ${registered}`);
const statusBody = JSON.stringify({ shares: [randomBytes(16).toString("hex")] });

console.log("| request (one kept-alive connection) | p50 ms | p90 ms | relay CPU ms / request | of which, by process |\n| --- | ---: | ---: | ---: | --- |");
await measure("GET /v1/health (no Durable Object)", () => request("GET", "/v1/health"));
await measure("POST status (one Durable Object hop)", () => request("POST", `/v1/groups/${gid}/status`, statusBody, auth));
agent.destroy();
