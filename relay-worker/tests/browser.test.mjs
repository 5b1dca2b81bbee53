// Every answer a relay gives carries CORS headers for allowed origins (issue 13 #14),
// seen the way the app sees it: a page in headless Chromium, served from an allowed
// origin on 127.0.0.1, provokes each error class with fetch and must read the status
// and the JSON body, never a network failure. The same page from an origin the relays
// do not allow must be refused by the browser.
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { chromium } from "playwright-core";
import {
  RELAYS, PAGE_PORT, MAX_SHARES, MAX_MEMBERS, TTL_SECONDS, LIFETIME_SECONDS, call, newGroup, id, put, get, b64url,
  loseBytes, sleep,
} from "./lib.mjs";

const [A, B, C] = RELAYS;
const PAGE = `<!doctype html><meta charset="utf-8"><title>relay CORS probe</title>
<script>
  // What the app does: fetch, then read the status, a header and the JSON body.
  window.probe = async (url, init) => {
    try {
      const res = await fetch(url, init);
      const text = await res.text();
      let body = null;
      try { body = JSON.parse(text); } catch { body = text; }
      return { status: res.status, body, retryAfter: res.headers.get("retry-after") };
    } catch (e) {
      return { networkError: String(e) };
    }
  };
</script>`;

function servePage() {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(PAGE);
  });
  return new Promise((ok) => server.listen(PAGE_PORT, "127.0.0.1", () => ok(server)));
}

const auth = (g) => ({ authorization: `Bearer ${g.token}` });
const json = (g, body) => ({
  headers: { ...auth(g), "content-type": "application/json" },
  body: typeof body === "string" ? body : JSON.stringify(body),
});
const share = (n, fill = 7) => b64url(new Uint8Array(n).fill(fill));

test("Browser: every error class reaches a page on an allowed origin with its status and JSON body", { timeout: 120_000 }, async () => {
  const server = await servePage();
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true });
  try {
    // Set up what the cases need, from Node.
    const [ga, gb, full] = [await newGroup(A), await newGroup(B), await newGroup(B)];
    const aging = id(); // relay A caps a share id's life: it answers 410 later
    const agingPut = await put(ga, aging, new Uint8Array(8).fill(1));
    const [held, unreadable, broken, crowded] = [id(), id(), id(), id()];
    for (const sid of [held, unreadable, broken, crowded]) await put(gb, sid, new Uint8Array(8).fill(2));
    loseBytes(1, unreadable, "entry");
    loseBytes(1, broken, "blob");
    for (let i = 0; i < MAX_MEMBERS; i++) await get(gb, crowded, id());
    for (let i = 0; i < MAX_SHARES; i++) await put(full, id(), new Uint8Array([1]));
    const limit = (await call(B, "GET", "/v1/health")).json.max_body_bytes;

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${PAGE_PORT}/`);
    const probe = (url, init = {}) => page.evaluate(([u, i]) => window.probe(u, i), [url, init]);
    const groups = (g) => `${g.relay}/v1/groups/${g.gid}`;
    const cases = [
      ["201 created (preflight for PUT)", 201, null, `${groups(gb)}/shares/${id()}`, { method: "PUT", ...json(gb, { data: share(4), recipients: [] }) }],
      ["400 bad_request", 400, "bad_request", `${groups(gb)}/shares`, { headers: auth(gb) }],
      ["400 bad_id", 400, "bad_id", `${B}/v1/groups/XYZ/shares?member=${id()}`, { headers: auth(gb) }],
      ["400 bad_json", 400, "bad_json", `${groups(gb)}/status`, { method: "POST", ...json(gb, "{not json") }],
      ["401 unauthorized", 401, "unauthorized", `${groups(gb)}/shares?member=${id()}`, { headers: { authorization: `Bearer ${"00".repeat(32)}` } }],
      ["403 forbidden", 403, "forbidden", `${C}/v1/groups/${id()}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token_sha256: "11".repeat(32) }) }],
      ["404 not_found", 404, "not_found", `${B}/v1/nothing`, {}],
      ["404 unknown_group", 404, "unknown_group", `${B}/v1/groups/${id()}/shares?member=${id()}`, { headers: auth(gb) }],
      ["405 method_not_allowed", 405, "method_not_allowed", `${B}/v1/health`, { method: "POST" }],
      ["409 conflict", 409, "conflict", `${groups(gb)}/shares/${held}`, { method: "PUT", ...json(gb, { data: share(8, 9), recipients: [] }) }],
      ["413 too_large", 413, "too_large", `${groups(gb)}/status`, { method: "POST", ...json(gb, " ".repeat(limit + 1)) }],
      ["429 quota_exceeded (shares)", 429, "quota_exceeded", `${groups(full)}/shares/${id()}`, { method: "PUT", ...json(full, { data: share(1), recipients: [] }) }],
      ["429 quota_exceeded (members)", 429, "quota_exceeded", `${groups(gb)}/shares/${crowded}?member=${id()}`, { headers: auth(gb) }],
      ["503 retry (bytes not readable)", 503, "retry", `${groups(gb)}/shares/${unreadable}?member=${id()}`, { headers: auth(gb) }],
      ["503 retry (storage failed)", 503, "retry", `${groups(gb)}/shares/${broken}?member=${id()}`, { headers: auth(gb) }],
      ["200 acks (the route that was blocked)", 200, null, `${groups(gb)}/acks`, { method: "POST", ...json(gb, { member: id(), shares: [held] }) }],
    ];
    const failures = [];
    for (const [name, status, code, url, init] of cases) {
      const got = await probe(url, init);
      if (got.networkError || got.status !== status || (code && got.body?.error !== code)) failures.push({ name, got });
      if (status === 503 && got.retryAfter !== "1") failures.push({ name, got, why: "Retry-After not readable" });
    }
    // 410: wait until the aging share passes its lifetime ceiling.
    const ceiling = agingPut.json.expires_at - TTL_SECONDS * 1000 + LIFETIME_SECONDS * 1000;
    await sleep(Math.max(0, ceiling + 300 - Date.now()));
    const gone = await probe(`${groups(ga)}/shares/${aging}`, { method: "PUT", ...json(ga, { data: b64url(new Uint8Array(8).fill(1)), recipients: [] }) });
    if (gone.status !== 410 || gone.body?.error !== "gone") failures.push({ name: "410 gone", got: gone });
    assert.deepEqual(failures, []);

    // The same page from an origin the relays do not allow: the browser refuses.
    const other = await context.newPage();
    await other.goto(`http://localhost:${PAGE_PORT}/`);
    const refused = await other.evaluate((u) => window.probe(u, {}), `${B}/v1/health`);
    assert.match(refused.networkError ?? "", /TypeError/, "a relay answer without CORS is a network error to the app");
  } finally {
    await browser.close();
    await new Promise((ok) => server.close(ok));
  }
});
