// Benchmark: from a tap on one phone to the record on the other, as users feel it. The
// built app in two Chromium pages (iPhone-sized contexts: Alice and Bob), push on, three
// real local relays (workerd) behind delay proxies (scripts/delay-proxy.mjs) at 0, 40 and
// 150 ms round-trip time. Alice taps "Save" on a new expense; the time runs until Bob's
// expense list shows it, with no one touching Bob's phone (his app hears the relay's push).
// Prints Markdown. A measurement, with one check free of timings: the taps' CORS
// preflights, counted at the proxies, must not grow with the taps (none before a share
// request, a listing, status or acks; any other route at most one per relay and phone);
// it fails the run otherwise.
//
// Each page's fetches are timed in the page (an init script wraps `fetch`), so each tap is
// also cut into legs: Alice's work before her first upload, from her upload to Bob's phone
// hearing of it (the put, the relay's push: the page's WebSocket messages are timed too),
// and Bob's work until his list shows the record (opening the batch from the shares the
// pushes carry, or rounds of requests when they carry none). Inside each leg the app's own
// steps (web/src/core/trace.ts: the write, its save's serialising, sealing and storing, the
// round's steps, the offered share's merge, the state read for the screen) are timed too,
// and two tables say where Alice's and Bob's milliseconds go (median per step, per RTT).
//
//   node web/e2e/bench-latency.mjs        (after scripts/build-web.sh; under the ports lock)
//   BENCH_TAPS=2 BENCH_RTTS=40 node web/e2e/bench-latency.mjs   (a quick look at one RTT)
import { mkdirSync, writeFileSync } from "node:fs";
import { ROOT, launchChromium, serveApp, sleep, startRelays, stopRelays } from "./stack.mjs";
import { createNetwork } from "../../scripts/delay-proxy.mjs";

const WEB = 8997;
const APP = `http://127.0.0.1:${WEB}/`;
const RELAY_BASE = 8991;
const PROXY_PORTS = [8994, 8995, 8996];
// BENCH_RTTS="40" runs one round-trip time only (a smaller reproduction).
const RTTS = (process.env.BENCH_RTTS ?? "0,40,150").split(",").map(Number);
const TAPS = Number(process.env.BENCH_TAPS ?? 9);
const RELAY_DIR = `${ROOT}target/e2e/bench-web-latency`;
mkdirSync(`${ROOT}target/bench`, { recursive: true });

const percentile = (v, p) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))];
};
const median = (v) => percentile(v, 50);
// A share put: `PUT …/shares/{sid}`, or its simple form, a POST there naming no member.
const isPut = (e) => /\/shares\/[0-9a-f]{32}(\?|$)/.test(e.url) && (e.method === "PUT" || (e.method === "POST" && !/[?&]member=/.test(e.url)));
const SHARE_ROUTE = "/v1/groups/{gid}/shares/{sid}";
/** The routes the app sends in their simple form: no preflight, ever. */
const SIMPLE_ROUTES = [SHARE_ROUTE, "/v1/groups/{gid}/shares", "/v1/groups/{gid}/status", "/v1/groups/{gid}/acks"];
/** Preflights per "port route" since `before` (both from the proxies' stats). */
const preflightsSince = (before) => {
  const now = network.stats().preflights;
  return Object.fromEntries(Object.entries(now).map(([k, n]) => [k, n - (before[k] ?? 0)]).filter(([, n]) => n > 0));
};
const total = (counts) => Object.values(counts).reduce((a, b) => a + b, 0);
const r0 = (x) => (x === undefined ? "–" : Math.round(x).toString());
const r1 = (x) => (x === undefined ? "–" : x.toFixed(1));

/**
 * A leg cut at its steps: `[label, ms since the step before]`, in order, from `from` to
 * `to` (both `{name, at}`). A step that comes again is numbered ("save: sealed #2").
 */
function cut(from, to, inside) {
  const seen = new Map();
  const all = [from, ...inside.filter((s) => s.at >= from.at && s.at <= to.at).sort((a, b) => a.at - b.at), to];
  const out = [];
  for (let i = 1; i < all.length; i++) {
    const n = (seen.get(all[i].name) ?? 0) + 1;
    seen.set(all[i].name, n);
    out.push([n > 1 ? `${all[i].name} #${n}` : all[i].name, all[i].at - all[i - 1].at]);
  }
  return out;
}

/**
 * Where a leg's milliseconds go: one row per step, its median ms (since the step before)
 * at each RTT over the taps that passed it, rows in the order the steps come.
 */
function stepTable(title, byRtt) {
  const labels = new Map(); // label -> [sum of positions, count]
  for (const legs of byRtt.values()) for (const leg of legs) leg.forEach(([l], i) => labels.set(l, [(labels.get(l)?.[0] ?? 0) + i / leg.length, (labels.get(l)?.[1] ?? 0) + 1]));
  const order = [...labels.entries()].sort((a, b) => a[1][0] / a[1][1] - b[1][0] / b[1][1]).map(([l]) => l);
  const rtts = [...byRtt.keys()];
  const lines = [`| ${title} | ${rtts.map((r) => `${r} ms RTT`).join(" | ")} |`, `| --- | ${rtts.map(() => "---:").join(" | ")} |`];
  for (const l of order) {
    const cells = rtts.map((r) => {
      const legs = byRtt.get(r);
      const ms = legs.map((leg) => leg.find(([x]) => x === l)?.[1]).filter((x) => x !== undefined);
      return ms.length === 0 ? "–" : `${r1(median(ms))}${ms.length < legs.length ? ` (${ms.length}/${legs.length})` : ""}`;
    });
    lines.push(`| ${l} | ${cells.join(" | ")} |`);
  }
  const totals = rtts.map((r) => r1(median(byRtt.get(r).map((leg) => leg.reduce((a, [, ms]) => a + ms, 0)))));
  lines.push(`| *all (median of the sums)* | ${totals.join(" | ")} |`);
  return lines;
}
// each RTT's taps cut at their steps: Alice's (tap → first upload), Bob's (first push or request → on screen)
const aliceLegs = new Map();
const bobLegs = new Map();

startRelays({ dir: RELAY_DIR, base: RELAY_BASE, web: WEB, ttl: 600, quiet: true });
const network = createNetwork({ rttMs: 0, log: `${ROOT}target/bench/web-latency.jsonl` });
const RELAYS = [];
for (let i = 0; i < 3; i++) RELAYS.push((await network.proxy(PROXY_PORTS[i], RELAY_BASE + i)).url);
const stopApp = await serveApp(WEB);
let browser;
const stopAll = async () => {
  await browser?.close().catch(() => {});
  stopApp();
  await network.close();
  stopRelays(RELAY_DIR);
};

browser = await launchChromium();

// Every fetch the app makes, with its start and end on the epoch clock (both pages run on
// this machine, so their clocks agree).
const TIMING = () => {
  // the app notes its steps here (web/src/core/trace.ts), on performance.now()
  globalThis.gfmsTrace = [];
  const real = globalThis.fetch.bind(globalThis);
  globalThis.__net = [];
  globalThis.fetch = async (url, init) => {
    const entry = { url: String(url), method: init?.method ?? "GET", start: performance.timeOrigin + performance.now(), end: 0 };
    globalThis.__net.push(entry);
    try {
      return await real(url, init);
    } finally {
      entry.end = performance.timeOrigin + performance.now();
    }
  };
  // Every push message, when it arrived and whether it carried the share's bytes.
  const RealSocket = globalThis.WebSocket;
  globalThis.__push = [];
  globalThis.WebSocket = class extends RealSocket {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener("message", (e) => {
        if (typeof e.data !== "string" || !e.data.startsWith("{")) return;
        const m = JSON.parse(e.data);
        globalThis.__push.push({ at: performance.timeOrigin + performance.now(), type: m.type, inline: typeof m.bytes === "string", size: m.bytes?.length ?? 0 });
      });
    }
  };
};

async function phone(name) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  await context.addInitScript(TIMING);
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error(`[${name}] page error: ${e.message}`));
  return { name, context, page };
}

async function syncNow({ page }) {
  await page.getByTestId("sync-indicator").click();
  await page.getByTestId("sync-now").click();
  await page.waitForFunction(() => document.querySelector('[data-testid="sync-now"]')?.hasAttribute("disabled") === false, null, { timeout: 60000 });
  await page.keyboard.press("Escape");
  await page.locator('[data-testid="sync-now"]').waitFor({ state: "detached", timeout: 5000 }).catch(() => {});
}

/** Waits until neither phone syncs and Alice has nothing on the way, for `calm` ms. */
async function quiet(phones, calm = 400) {
  const deadline = Date.now() + 60000;
  let since = 0;
  while (Date.now() < deadline) {
    const states = await Promise.all(phones.map((p) => p.page.getByTestId("sync-indicator").getAttribute("data-state")));
    const still = states.every((s) => s === "ok");
    if (still && since === 0) since = Date.now();
    if (!still) since = 0;
    if (since && Date.now() - since >= calm) return;
    await sleep(50);
  }
  const said = await Promise.all(phones.map(async (p) => `${p.name}: ${await p.page.getByTestId("sync-indicator").getAttribute("title")}`));
  throw new Error(`the phones did not settle within a minute (${said.join("; ")})`);
}

const out = [];
const rows = [];
let preflightsBefore;
// Every tap's requests on both phones, relative to the tap (ms), for a closer look.
const traces = [];
try {
  const alice = await phone("Alice");
  const bob = await phone("Bob");
  await alice.page.goto(APP);
  await alice.page.getByRole("button", { name: "New group" }).click();
  await alice.page.getByLabel("Group name").fill("Latency");
  await alice.page.getByLabel("Your name").fill("Alice");
  await alice.page.getByText("Advanced: where changes travel").click();
  await alice.page.getByLabel("Relays (one per line)").fill(RELAYS.join("\n"));
  await alice.page.getByRole("button", { name: "Create group" }).click();
  const link = await alice.page.getByTestId("invite-link").inputValue();
  await alice.page.getByRole("button", { name: /done|continue|go to/i }).first().click();
  await syncNow(alice);
  await bob.page.goto(link);
  await bob.page.getByLabel("Your name").fill("Bob");
  await bob.page.getByRole("button", { name: /^Join/ }).last().click();
  await bob.page.getByTestId("sync-indicator").waitFor();
  for (let i = 0; i < 2; i++) for (const p of [bob, alice]) await syncNow(p);
  // Both phones hold a push socket to each relay.
  for (let i = 0; i < 100 && network.stats().upgrades < 6; i++) await sleep(100);
  await quiet([alice, bob]);

  preflightsBefore = network.stats().preflights;
  for (const rtt of RTTS) {
    network.setRtt(rtt);
    aliceLegs.set(rtt, []);
    bobLegs.set(rtt, []);
    await sleep(300);
    const taps = [];
    for (let i = 0; i < TAPS; i++) {
      const shop = `Tap ${rtt}-${i}`;
      await bob.page.evaluate((shop) => {
        globalThis.__net = [];
        globalThis.__push = [];
        globalThis.gfmsTrace = [];
        globalThis.__seen = new Promise((resolve) => {
          const found = () => [...document.querySelectorAll('[data-testid="expense-row"]')].some((e) => e.textContent.includes(shop));
          const obs = new MutationObserver(() => {
            if (found()) {
              obs.disconnect();
              resolve(performance.timeOrigin + performance.now());
            }
          });
          obs.observe(document.body, { childList: true, subtree: true, characterData: true });
        });
      }, shop);
      await alice.page.getByTestId("add-expense").click();
      // The form as the app now has it (web/e2e/journey.mjs): the title is what the list shows.
      await alice.page.getByLabel("What was it?").fill(shop);
      await alice.page.getByLabel("Amount", { exact: true }).fill(`${(i + 1) * 3}.20`);
      await alice.page.evaluate(() => {
        globalThis.__net = [];
        globalThis.gfmsTrace = [];
        document.addEventListener("click", (e) => {
          if (e.target.closest?.('[data-testid="save-expense"]')) globalThis.__tap = performance.timeOrigin + performance.now();
        }, { capture: true, once: true });
      });
      const preflightsAtTap = network.stats().preflights;
      await alice.page.getByTestId("save-expense").click();
      const seen = await bob.page.evaluate(() => Promise.race([globalThis.__seen, new Promise((ok) => setTimeout(() => ok(null), 60000))]));
      const tap = await alice.page.evaluate(() => globalThis.__tap);
      const aliceNet = await alice.page.evaluate(() => globalThis.__net);
      const bobNet = (await bob.page.evaluate(() => globalThis.__net)).filter((e) => e.start <= (seen ?? Infinity));
      const bobPush = (await bob.page.evaluate(() => globalThis.__push)).filter((m) => m.type === "share_put" && m.at <= (seen ?? Infinity));
      // each page's steps on the epoch clock
      const steps = (p) => p.evaluate(() => (globalThis.gfmsTrace ?? []).map((s) => ({ name: s.name, at: performance.timeOrigin + s.at })));
      const aliceSteps = await steps(alice.page);
      const bobSteps = await steps(bob.page);
      const rel = (list) => list.map((e) => ({ m: e.method, u: e.url.replace(/^https?:\/\/[^/]+/, "").split("?")[0].replace(/[0-9a-f]{32}/g, "…"), s: Math.round(e.start - tap), e: Math.round(e.end - tap) }));
      const preflights = total(preflightsSince(preflightsAtTap));
      const relSteps = (list) => list.map((s) => `${Math.round((s.at - tap) * 10) / 10} ${s.name}`);
      traces.push({ rtt, i, seen: seen === null ? null : Math.round(seen - tap), preflights, alice: rel(aliceNet), bob: rel(bobNet), aliceSteps: relSteps(aliceSteps), bobSteps: relSteps([...bobSteps, ...bobPush.map((m) => ({ name: `push ${m.type}${m.inline ? " with bytes" : ""}`, at: m.at }))].sort((a, b) => a.at - b.at)) });
      if (seen === null) {
        taps.push({ total: undefined });
      } else {
        const firstPut = aliceNet.filter(isPut).map((e) => e.start).sort((a, b) => a - b)[0];
        // Bob's phone hears of the tap: the first "share put" push (before the relays
        // carried shares inline, his first request followed it at once).
        const bobFirst = [...bobPush.map((m) => m.at), ...bobNet.map((e) => e.start)].sort((a, b) => a - b)[0];
        const inline = bobPush.filter((m) => m.inline);
        // Bob's rounds each begin by listing every relay: count those list waves.
        const lists = bobNet.filter((e) => e.method === "GET" && /\/shares\?/.test(e.url)).map((e) => e.start).sort((a, b) => a - b);
        let rounds = 0;
        for (let j = 0; j < lists.length; j++) if (j === 0 || lists[j] - lists[j - 1] > 5) rounds++;
        const bobArrivals = [
          ...bobPush.map((m) => ({ name: `push: ${m.type}${m.inline ? " with bytes" : ""}`, at: m.at })),
          ...bobNet.map((e) => ({ name: `request: ${e.method} ${/\/shares\?/.test(e.url) ? "list" : /\/shares\//.test(e.url) ? "share" : e.url.split("?")[0].split("/").pop()}`, at: e.start })),
        ];
        if (Number.isFinite(firstPut)) aliceLegs.get(rtt).push(cut({ name: "tap", at: tap }, { name: "first upload starts", at: firstPut }, aliceSteps));
        bobLegs.get(rtt).push(cut({ name: "first push or request", at: bobFirst }, { name: "on screen", at: seen }, [...bobSteps, ...bobArrivals].filter((s) => s.at > bobFirst)));
        // Bob's own work: from the push whose share completed the batch (the one offered just
        // before it merged) to the screen; the pushes before it are the relays' spread
        const mergedAt = bobSteps.find((s) => s.name === "offer: merged")?.at;
        const kth = mergedAt === undefined ? undefined : Math.max(...inline.filter((m) => m.at <= mergedAt).map((m) => m.at));
        taps.push({ bobOwn: Number.isFinite(kth) ? seen - kth : undefined, spread: Number.isFinite(kth) ? kth - bobFirst : undefined, preflights, total: seen - tap, local: firstPut - tap, push: bobFirst - firstPut, bob: seen - bobFirst, bobRequests: bobNet.length, bobRounds: rounds, inline: inline.length, inlineChars: Math.max(0, ...inline.map((m) => m.size)) });
      }
      await quiet([alice, bob]);
    }
    const ok = taps.filter((t) => t.total !== undefined);
    const col = (k) => ok.map((t) => t[k]).filter((x) => Number.isFinite(x));
    rows.push({ rtt, taps: taps.length, missed: taps.length - ok.length, p50: percentile(col("total"), 50), p90: percentile(col("total"), 90), local: median(col("local")), push: median(col("push")), bob: median(col("bob")), bobOwn: median(col("bobOwn")), spread: median(col("spread")), bobRequests: median(col("bobRequests")), bobRounds: median(col("bobRounds")), preflights: col("preflights").reduce((a, b) => a + b, 0), inline: median(col("inline")), inlineChars: Math.max(0, ...col("inlineChars")) });
  }
} catch (e) {
  console.error(`bench-latency: ${e?.stack ?? e}`);
  process.exitCode = 1;
} finally {
  await stopAll();
  writeFileSync(`${ROOT}target/bench/web-latency-trace.json`, JSON.stringify(traces, null, 1));
}

out.push("| RTT ms | taps | p50 ms | p90 ms | target p50 (1.5 RTT + 30 ms) | Alice: tap → first upload | upload → Bob hears of it | Bob: first push or request → on screen | of which the pushes' spread (first → the one completing the batch) | Bob: that push → on screen | Bob's requests before | Bob's rounds before | pushes with bytes before | largest inline share (base64 chars) | CORS preflights, all taps |");
out.push("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const r of rows) {
  out.push(`| ${r.rtt} | ${r.taps}${r.missed ? ` (${r.missed} never arrived)` : ""} | ${r0(r.p50)} | ${r0(r.p90)} | ${r0(1.5 * r.rtt + 30)} | ${r0(r.local)} | ${r0(r.push)} | ${r0(r.bob)} | ${r0(r.spread)} | ${r0(r.bobOwn)} | ${r0(r.bobRequests)} | ${r0(r.bobRounds)} | ${r0(r.inline)} | ${r0(r.inlineChars)} | ${r0(r.preflights)} |`);
}
out.push("");
out.push("Where Alice's milliseconds go, tap → her first upload (median ms since the step before; (n/N): the taps that passed the step):");
out.push("");
out.push(...stepTable("Alice: step reached", aliceLegs));
out.push("");
out.push("Where Bob's milliseconds go, the first push (or request) → his list shows the record:");
out.push("");
out.push(...stepTable("Bob: step reached", bobLegs));
// The one pass/fail check (no timings in it): the taps send no preflight before a share
// request, a listing, a status or an ack request (their simple forms need none, issue
// 17); any other route (none is expected) at most one per relay, route and phone over
// every tap.
const seenPreflights = preflightsSince(preflightsBefore ?? {});
const tooMany = Object.entries(seenPreflights).filter(([k, n]) => SIMPLE_ROUTES.some((r) => k.endsWith(` ${r}`)) || n > 2);
out.push("");
out.push(`CORS preflights over all ${rows.reduce((a, r) => a + r.taps, 0)} taps, per relay (proxy port) and route: ${JSON.stringify(seenPreflights)}`);
if (tooMany.length > 0) {
  out.push(`**Preflight check failed**: ${tooMany.map(([k, n]) => `${k}: ${n}`).join(", ")} (a share request, a listing, status and acks must need none; any other route at most one per phone)`);
  process.exitCode = 1;
}
console.log(out.join("\n"));
