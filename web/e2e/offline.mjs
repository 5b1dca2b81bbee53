// The installed app opens with no network: served by its service worker, wasm included.
// Chromium via Playwright at an iPhone-sized viewport; screenshots (light and dark) of the
// screen go to docs/screenshots/. Run by `npm run e2e` after a build (web/dist).
import { mkdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { firstLoad } from "../scripts/first-load.mjs";
import { startJourney } from "./stack.mjs";

const PORT = 8841;
const URL_ = `http://127.0.0.1:${PORT}/`;
const SHOTS = new URL("../../docs/screenshots/", import.meta.url);
mkdirSync(SHOTS, { recursive: true });

// The budgets (scripts/first-load.mjs says what counts): the client wasm core at most
// 150 KB gzipped, leaving room for what is coming (signatures, key epochs, languages,
// attachments), and the whole first load (HTML, what it references, the core) under 300 KB.
// Statistics and exports are a second wasm module loaded on first use, outside both.
// The 150 KB target is not met yet (docs/benchmarks.md says what it takes, in gfms-sync and
// gfms-ledger); until it is, the core must not grow past its ceiling, and the run says so.
// The ceiling moved from 240 to 260 KB when lose-nothing (raw event storage, queued
// leaving), the first-ten-minutes screens and the relay contract (receipts, new error
// codes) landed: 233 -> 254 KB. Issue 12 brought it down to 221 KB (one JSON reader,
// events and splits without serde's Content buffer, one shared sort; first load 298 ->
// 265 KB) and the ceiling to 231 KB. The features of issue 15 (several payers, income,
// itemized bills, placeholders, payments, history, payment details) and push
// subscriptions added their events and facade calls: 247 KB, first load 293 KB, and the
// ceiling 256 KB.
// Member keys (issue 14: signed events, receipts no relay can forge, key epochs) cost
// ~80 KB gzipped (curve25519, SHA-512, HPKE, and the engine's new bookkeeping: see
// docs/benchmarks.md): 247 -> 320 KB, first load 293 -> 367 KB. Without them one lying
// relay can make a member lose a record for good and any member can write as another, so
// the lead chose to land them over the budget, with temporary ceilings that only move
// down: the 300 KB first load and the 150 KB target stand, and the run prints the distance.
// Size work after keys (an epoch's start as a plain id, one saved-epoch reader): 317 KB,
// first load 364 KB.
// Then three features landed together on the 317 KB: importing from Splitwise and
// Tricount (the parsers in a lazily loaded module; one facade call, applyImport: +3.6 KB),
// per-field edits that merge (expense_patched, rescale: +3.7 KB) and push for acks,
// "joined" and notification links (+1.4 KB first load, mostly script): 324.4 KB, first
// load 372.8 KB.
// Recurring expenses in the app (the ledger's `recurring` feature: the series' events,
// schedules and derived instances, their facade calls and history lines) added 16.2 KB
// of wasm: 340.6 KB. The app in four languages added 8.9 KB of script (the English
// catalog; French, German and Spanish are lazy chunks): first load 399.6 KB. Member keys'
// fixes for contested epochs and older members' acks (+0.8 KB) and the totals across
// groups (a lazy chunk; +0.2 KB of texts) then measured 341.2 KB and 400.5 KB. The ceilings
// sit under 1 KB above that, and still only move down.
// Member keys in the app (issue 14: the removed member's screen, safety codes, changes
// kept aside; script and English texts only, the facade call was there): first load
// 400.5 -> 401.7 KB (+1251 bytes), the client wasm unchanged. The first-load ceiling
// rose by that growth + 0.5 KB.
// Receipts in the core (issue 16: their ledger events, the chunk batches and what is in
// flight, eight facade calls with asking for a receipt again; docs/benchmarks.md): client
// wasm 349 388 -> 363 048 B (+13 660), first load 411 262 -> 425 219 B (+13 957), both
// measured before and after on the same machine. Both ceilings rose by that growth.
// Receipts in the app (issue 16: the blob store, the sync panel's and the list's receipt
// lines, answering others' requests, the English texts; the editor's receipts, the photo
// code and Settings' section are lazy chunks): the first load's script 62 171 B
// (h/rcore's) -> 63 922 B (+1751 B, measured on the merged build); the first-load ceiling
// rose by that + 0.5 KB.
// Shares pushed with their bytes (issue 17: the receiver opens a batch from k pushed
// shares with no request, Group::offer_share and its facade call) cost 2240 bytes of
// client wasm, 349 388 -> 351 628 B, first load 411 297 -> 413 740 B (+2443): both
// ceilings rose by that growth + 0.5 KB (h/inline).
const INLINE_PUSH_WASM = 2240 + 512;
// Private keys sealed at rest and the removed member's read-only copy (issue 14, h/keys3:
// script and texts; the read-only detail is a lazy chunk): first load +1059 B, which
// fitted under the ceiling of the time with 66 B to spare. Share bytes made again from
// the sealed batch and a split seed instead of saved, a round's batches merged together
// (issue 17, h/newcomer): client wasm +2084 B, first load +2094 B. Both measured on
// their branches against 983165d; the ceilings rose by that growth.
// Share requests in their simple form, with no CORS preflight (issue 17, h/fast: the
// envelope, the 405 fallback, the facade's call): client wasm 368 573 -> 369 365 B
// gzipped (+792), measured against ce5647f on the same machine with the same build
// (wasm-opt included). The core's ceiling rose by that growth + 0.5 KB (the script's
// change, a few lines in the sync driver, is inside it).
const SIMPLE_REQUESTS = 792 + 512;
const NEWCOMER_WASM = 2084;
// The listing that carries status and acks, status and acks in the simple form with
// their fallbacks for older relays (issue 17, h/quota), and the snapshot sealed in the
// receive phase (h/join): client wasm 369 254 -> 377 362 B gzipped (+8108), measured on
// the merged main (829aa9e) against the same machine's build of 194f06a (h/tidy). The
// core's ceiling rose by that growth + 0.5 KB; the first load (the view module) is
// unchanged.
const RIDING_WASM = 8108 + 512;
// Events kept aside within a byte bound that loses nothing a member wrote (h/aside), each
// event's text read once and saved states read and written without a copy per event
// (h/verify), and an import's records checked against one state (`add_expenses`,
// `record_settlements`): client wasm 377 362 -> 380 034 B gzipped (+2672), measured on
// main's build of 6d4f66d (CI's build of a046d67, before the import change: 379 133 B, so
// +1771 for the first two, +901 for the third). The core's ceiling rose by that growth
// + 0.5 KB; the first load (the view module) is unchanged.
const KEPT_ASIDE_WASM = 2672 + 512;
// The state kept and extended on each change instead of computed again (h/load: a tap at
// 10,000 events from ~30 ms to under 0.1 ms natively) and the probe's sweep with the
// pushed batches' acks (h/probe): client wasm 380 034 -> 383 039 B gzipped (+3005),
// measured on main's build of 164c715 (after h/load alone: ~381 030, so about +1000 for
// h/load and +2000 for h/probe). The core's ceiling rose by that growth + 0.5 KB; the
// first load (the view module) is unchanged by them.
const FOLD_PROBE_WASM = 3005 + 512;
// Issue 12, stage 2: the first load's only wasm is the first-screen module (client-wasm/view:
// the ledger and the saved state's reader; the app shows the current group from it) and
// the core is a lazily loaded chunk, fetched right after the first paint and precached by
// the service worker, so it still loads offline. The view module has the 150 KB target;
// the core keeps its ceiling as a lazily loaded file. The first load (SPLIT_FIRST_LOAD,
// measured on the split build: 209 574 B, of it the view module 145 379 B; it was 433 833 B
// with the core, whose growths the notes above record) has its own ceiling, 8 KB above
// that, well under the 300 KB budget; it moves only by measured growth.
const VIEW_WASM_TARGET = 150 * 1024;
const CLIENT_WASM_CEILING = 342 * 1024 + 13660 + INLINE_PUSH_WASM + NEWCOMER_WASM + SIMPLE_REQUESTS + RIDING_WASM + KEPT_ASIDE_WASM + FOLD_PROBE_WASM;
const FIRST_LOAD_BUDGET = 300 * 1024;
const SPLIT_FIRST_LOAD = 209574;
const FIRST_LOAD_CEILING = SPLIT_FIRST_LOAD + 8 * 1024;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const { browser, check, run } = await startJourney("offline", { web: PORT });
await run("the offline journey ran to the end", async () => {
  const size = firstLoad(new URL("../dist/", import.meta.url));
  const gz = (f) => gzipSync(readFileSync(new URL(`../dist/${f}`, import.meta.url)), { level: 9 }).length;
  {
    const { bytes, files, wasm, wasmBytes } = size;
    check(
      "the first load's wasm is the first-screen module, at most 150 KB gzipped",
      wasm.length === 1 && /gfms_view_bg-[^/]+\.wasm$/.test(wasm[0] ?? "") && wasmBytes <= VIEW_WASM_TARGET,
      `${kb(wasmBytes)} (${wasm.join(", ")})`,
    );
    check(
      `first load (shell + first-screen module) is under 300 KB gzipped, at most ${kb(FIRST_LOAD_CEILING)}`,
      bytes < FIRST_LOAD_BUDGET && bytes <= FIRST_LOAD_CEILING,
      `${kb(bytes)} over ${files.length + 1} files, ${kb(FIRST_LOAD_BUDGET - bytes)} to spare`,
    );
  }
  {
    const coreWasm = size.lazy.find((f) => /gfms_client_bg-[^/]+\.wasm$/.test(f));
    const coreChunk = size.lazy.find((f) => /^assets\/gfms_client-[^/]+\.js$/.test(f));
    const coreBytes = coreWasm ? gz(coreWasm) : Infinity;
    check(
      `the client core is a lazily loaded chunk, its wasm not past ${kb(CLIENT_WASM_CEILING)} gzipped`,
      Boolean(coreWasm && coreChunk) && !size.files.some((f) => f.includes("gfms_client")) && coreBytes <= CLIENT_WASM_CEILING,
      `${coreChunk ?? "no core chunk"}, ${coreWasm ?? "no core wasm"}: ${kb(coreBytes)}`,
    );
    const sw = readFileSync(new URL("../dist/sw.js", import.meta.url), "utf8");
    check("the service worker precaches the core", Boolean(coreWasm && coreChunk && sw.includes(coreWasm) && sw.includes(coreChunk)), "sw.js");
  }
  const reportsChunk = size.lazy.find((f) => /^assets\/gfms_reports-[^/]+\.js$/.test(f));
  check(
    "the reports module (statistics, exports) is outside the first load",
    Boolean(reportsChunk) && size.lazy.some((f) => /gfms_reports_bg-[^/]+\.wasm$/.test(f)) && !size.files.some((f) => f.includes("gfms_reports")),
    `${reportsChunk ?? "no reports chunk"}; lazy total ${kb(size.lazyBytes)}, of it wasm ${kb(size.lazyWasmBytes)}`,
  );
  const importChunk = size.lazy.find((f) => /^assets\/gfms_import-[^/]+\.js$/.test(f));
  check(
    "the import module (Splitwise, Tricount) is outside the first load",
    Boolean(importChunk) && size.lazy.some((f) => /gfms_import_bg-[^/]+\.wasm$/.test(f)) && !size.files.some((f) => f.includes("gfms_import")),
    importChunk ?? "no import chunk",
  );

  // iPhone launch screens: each linked image exists and has the pixel size its media query
  // names, and an iPhone 12–14 (390×844 @3) finds one in light and one in dark mode.
  {
    const html = readFileSync(new URL("../dist/index.html", import.meta.url), "utf8");
    const links = [...html.matchAll(/<link rel="apple-touch-startup-image" media="([^"]+)" href="\/([^"]+)"/g)];
    const wrong = [];
    for (const [, media, href] of links) {
      const [w, h, r] = ["device-width", "device-height", "-webkit-device-pixel-ratio"].map((f) => Number(new RegExp(`\\(${f}: (\\d+)`).exec(media)?.[1]));
      let size = "missing";
      try {
        const png = readFileSync(new URL(`../dist/${href}`, import.meta.url));
        size = `${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`;
      } catch {}
      if (size !== `${w * r}x${h * r}`) wrong.push(`${href}: ${size}, media wants ${w * r}x${h * r}`);
    }
    const iphone14 = ["light", "dark"].every((s) => links.some(([, m]) => m.includes("device-width: 390px") && m.includes("device-height: 844px") && m.includes(`prefers-color-scheme: ${s}`)));
    check("iPhone launch screens are linked and sized for their screens", links.length >= 2 && wrong.length === 0 && iphone14, wrong.join("; ") || `${links.length} launch screens`);
  }

  for (const scheme of ["light", "dark"]) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true, colorScheme: scheme });
    const page = await context.newPage();
    await page.goto(URL_);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await page.reload(); // now controlled by the service worker
    const controlled = await page.evaluate(() => navigator.serviceWorker.controller !== null);
    await context.setOffline(true);
    await page.reload();
    // the sharing core is named on the About screen
    await page.getByRole("button", { name: "About this app" }).click();
    await page.waitForFunction(() => !["", "loading…"].includes(document.querySelector("#kernel")?.textContent ?? ""), null, { timeout: 15000 });
    const kernel = await page.textContent("#kernel");
    await page.keyboard.press("Escape");
    const title = await page.textContent("h1");
    if (scheme === "light") {
      check("the service worker controls the page", controlled);
      check("offline reload shows the app", title === "GFMS", `h1 = ${title}`);
      check("offline reload loads the wasm core from the cache", kernel === "simd128", `kernel = ${kernel}`);
      const manifest = await page.evaluate(() => document.querySelector('link[rel="manifest"]')?.getAttribute("href"));
      check("a web manifest is linked", Boolean(manifest), manifest ?? "");
      const icon = await page.evaluate(() => fetch("/icons/apple-touch-icon.png").then((r) => r.ok && r.headers.get("content-type")));
      check("the apple-touch-icon is served offline", icon === "image/png", String(icon));
      // The reports module was never loaded online in this context: offline, it comes from
      // the service worker's precache, and its wasm instantiates and answers.
      const stats = await page.evaluate(async (chunk) => {
        try {
          const m = await import(`/${chunk}`);
          await m.default();
          const state = { settings: null, members: {}, expenses: {}, settlements: {}, relays: null };
          return JSON.parse(m.statistics(JSON.stringify(state), "{}")).total;
        } catch (e) {
          return String(e);
        }
      }, reportsChunk ?? "missing");
      check("offline, the reports module loads from the cache and answers", stats === 0, `total = ${stats}`);
      const csp = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute("content") ?? "");
      check("the page carries a Content-Security-Policy without inline scripts", csp.includes("script-src 'self' 'wasm-unsafe-eval'") && !csp.includes("unsafe-inline"), csp);
    }
    await page.waitForFunction(() => !document.body.textContent.includes("checking"), null, { timeout: 15000 });
    await page.screenshot({ path: new URL(`relays-offline-${scheme}.png`, SHOTS).pathname });
    await context.close();
  }
});
