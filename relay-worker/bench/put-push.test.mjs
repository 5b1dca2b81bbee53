// The relay's own put → push, with no delay proxy in between: how long one local relay
// (workerd, under the runner GFMS_RELAYS_RUNNER names: scripts/relays.sh) takes from a
// small share's PUT to the push on a member's socket, against a request that never
// reaches the Durable Object (GET /v1/health) and a status request (one Durable Object
// hop). Explains the relays' part of the tap → other phone figures (docs/latency.md). A
// measurement, never a test; it asserts nothing but that the requests succeed. Run (it
// opens ports; on a shared machine under the lock):
//
//   flock /tmp/gfms-ports.lock bash relay-worker/tests/run.sh relay-worker/bench/put-push.test.mjs
//
// Both runners interleaved: `flock /tmp/gfms-ports.lock bash relay-worker/bench/runners.sh put-push`.
import { test } from "node:test";
import { randomBytes } from "node:crypto";
import WebSocket from "ws";
import { RELAYS, newGroup, id, put, call } from "../tests/lib.mjs";

/** Puts measured (under relay b's share limit per group); the first 5 warm up. */
const N = 45;
const WARM = 5;

const p = (a, q) => a.slice().sort((x, y) => x - y)[Math.floor((a.length - 1) * q)].toFixed(1);

test("put → push at one local relay", async () => {
  const relay = RELAYS[1];
  const g = await newGroup(relay);
  const member = id();
  const ws = new WebSocket(`${relay.replace("http", "ws")}/v1/groups/${g.gid}/ws?member=${member}`, ["gfms.v1", `bearer.${g.token}`]);
  await new Promise((ok, fail) => {
    ws.on("open", ok);
    ws.on("error", fail);
  });
  const waiting = new Map();
  ws.on("message", (m) => waiting.get(JSON.parse(m.toString()).id)?.(performance.now()));
  const pushed = [], answered = [], health = [], status = [];
  for (let i = 0; i < N; i++) {
    const sid = id();
    const heard = new Promise((ok) => waiting.set(sid, ok));
    const t0 = performance.now();
    const r = await put(g, sid, randomBytes(300), [member]);
    const t1 = performance.now();
    if (r.status !== 201) throw new Error(`put answered ${r.status}`);
    const t2 = await heard;
    let t = performance.now();
    await call(relay, "GET", "/v1/health");
    const t3 = performance.now();
    const s = await call(relay, "POST", `/v1/groups/${g.gid}/status`, { token: g.token, body: { shares: [id()] } });
    if (s.status !== 200) throw new Error(`status answered ${s.status}`);
    if (i >= WARM) {
      pushed.push(t2 - t0);
      answered.push(t1 - t0);
      health.push(t3 - t);
      status.push(performance.now() - t3);
    }
  }
  ws.close();
  console.log("| what | p50 ms | p90 ms |\n| --- | ---: | ---: |");
  for (const [name, a] of [["put → push on the member's socket", pushed], ["put → its answer", answered], ["GET /v1/health (no Durable Object)", health], ["POST status (one Durable Object hop)", status]]) {
    console.log(`| ${name} | ${p(a, 0.5)} | ${p(a, 0.9)} |`);
  }
});
