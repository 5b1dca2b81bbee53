// Every route and error code of the v1 API, against real local relays.
import { test } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import {
  RELAYS, MAX_SHARE_BYTES, MAX_SHARES, REGISTRATION_KEY, call, newGroup, id, put, get, list, status, ack, b64url, needsKey,
} from "./lib.mjs";

const [A, B, C] = RELAYS;
const bytes = (n, fill = 7) => new Uint8Array(n).fill(fill);

test("health reports version, TTL and limits", async () => {
  const { status: code, json } = await call(A, "GET", "/v1/health");
  assert.equal(code, 200);
  assert.equal(json.service, "gfms-relay");
  assert.equal(json.api, "v1");
  assert.equal(typeof json.ttl_seconds, "number");
  assert.equal(json.max_share_bytes, MAX_SHARE_BYTES);
  assert.equal(json.registration_required, false);
  assert.equal((await call(C, "GET", "/v1/health")).json.registration_required, REGISTRATION_KEY !== "");
});

test("registration stores one token per group id: idempotent, 409 for another token", async () => {
  const g = await newGroup(A);
  const again = await call(A, "POST", `/v1/groups/${g.gid}`, { body: { token_sha256: g.tokenSha256 } });
  assert.deepEqual([again.status, again.json], [200, { created: false }]);
  const other = await call(A, "POST", `/v1/groups/${g.gid}`, { body: { token_sha256: "00".repeat(32) } });
  assert.equal(other.status, 409);
  assert.equal(other.json.error, "conflict");
});

test("a relay with a registration key refuses groups without it (403)", { skip: !REGISTRATION_KEY }, async () => {
  const body = { token_sha256: "11".repeat(32) };
  const missing = await call(C, "POST", `/v1/groups/${id()}`, { body });
  assert.deepEqual([missing.status, missing.json.error], [403, "forbidden"]);
  const wrong = await call(C, "POST", `/v1/groups/${id()}`, { body: { ...body, registration_key: "guess" } });
  assert.equal(wrong.status, 403);
  const right = await call(C, "POST", `/v1/groups/${id()}`, { body: { ...body, registration_key: REGISTRATION_KEY } });
  assert.equal(right.status, 201);
});

test("put, list, fetch, status, ack: a share is transferred, then gone", async () => {
  const g = await newGroup(A);
  const [bob, carol] = [id(), id()];
  const sid = id();
  const created = await put(g, sid, bytes(100), [bob, carol]);
  assert.equal(created.status, 201);
  assert.equal(created.json.created, true);
  assert.ok(created.json.expires_at > Date.now());

  const listed = await list(g, bob);
  assert.deepEqual(listed.json.shares.map((s) => s.id), [sid]);
  assert.equal(listed.json.shares[0].size, 100);

  const fetched = await get(g, sid, bob);
  assert.equal(fetched.status, 200);
  assert.equal(fetched.json.data, b64url(bytes(100)));
  assert.deepEqual((await list(g, bob)).json.shares, [], "a fetched share is no longer new for bob");
  assert.equal((await list(g, carol)).json.shares.length, 1, "but still for carol");
  assert.equal((await list(g, id())).json.shares.length, 0, "a stranger to the share does not see it");

  const st = await status(g, [sid, id()]);
  assert.equal(st.json.shares[0].live, true);
  assert.equal(st.json.shares[0].fetch_count, 1);
  assert.deepEqual(st.json.shares[0].fetchers, [bob]);
  assert.equal(st.json.shares[1].live, false);

  const first = await ack(g, bob, [sid]);
  assert.deepEqual(first.json, { acked: [sid], deleted: [], unknown: [], ignored: [] });
  const second = await ack(g, carol, [sid]);
  assert.deepEqual(second.json.deleted, [sid], "every recipient acked: deleted at once");
  assert.equal((await get(g, sid, carol)).status, 404);
  assert.equal((await status(g, [sid])).json.shares[0].live, false);
});

test("the sender can delete early", async () => {
  const g = await newGroup(B);
  const sid = id();
  await put(g, sid, bytes(10), [id()]);
  const del = await call(B, "DELETE", `/v1/groups/${g.gid}/shares/${sid}`, { token: g.token });
  assert.deepEqual([del.status, del.json], [200, { deleted: true }]);
  const again = await call(B, "DELETE", `/v1/groups/${g.gid}/shares/${sid}`, { token: g.token });
  assert.deepEqual(again.json, { deleted: false });
});

test("a re-put of the same bytes refreshes; other bytes under the same id conflict", async () => {
  const g = await newGroup(A);
  const sid = id();
  const first = await put(g, sid, bytes(20));
  await new Promise((ok) => setTimeout(ok, 20));
  const again = await put(g, sid, bytes(20));
  assert.equal(again.status, 200);
  assert.equal(again.json.created, false);
  assert.ok(again.json.expires_at > first.json.expires_at);
  const other = await put(g, sid, bytes(20, 9));
  assert.deepEqual([other.status, other.json.error], [409, "conflict"]);
});

test("auth: missing token, wrong token and relay A's token at relay B are refused (401)", async () => {
  const ga = await newGroup(A);
  const gb = await newGroup(B);
  const sid = id();
  await put(gb, sid, bytes(5));
  const path = `/v1/groups/${gb.gid}/shares/${sid}?member=${id()}`;
  for (const token of [undefined, "00".repeat(32), "not-hex", ga.token]) {
    const res = await call(B, "GET", path, { token });
    assert.deepEqual([res.status, res.json.error], [401, "unauthorized"], `token ${token}`);
  }
  // The same group id registered at A with A's token: B still does not accept it.
  await call(B, "POST", `/v1/groups/${ga.gid}`, { body: { token_sha256: gb.tokenSha256, ...(needsKey(B) ? { registration_key: REGISTRATION_KEY } : {}) } });
  const cross = await call(B, "GET", `/v1/groups/${ga.gid}/shares?member=${id()}`, { token: ga.token });
  assert.equal(cross.status, 401);
});

test("malformed requests get 400 with a clear code", async () => {
  const g = await newGroup(A);
  const cases = [
    [await call(A, "GET", `/v1/groups/XYZ/shares?member=${id()}`, { token: g.token }), "bad_id"],
    [await call(A, "GET", `/v1/groups/${g.gid}/shares?member=short`, { token: g.token }), "bad_id"],
    [await call(A, "GET", `/v1/groups/${g.gid}/shares`, { token: g.token }), "bad_request"],
    [await call(A, "GET", `/v1/groups/${g.gid}/shares?member=${id()}&cursor=zz`, { token: g.token }), "bad_request"],
    [await call(A, "PUT", `/v1/groups/${g.gid}/shares/${id()}`, { token: g.token, raw: "{not json" }), "bad_json"],
    [await call(A, "PUT", `/v1/groups/${g.gid}/shares/${id()}`, { token: g.token, body: { data: "!!", recipients: [] } }), "bad_request"],
    [await call(A, "PUT", `/v1/groups/${g.gid}/shares/${id()}`, { token: g.token, body: { data: "AA", recipients: [], extra: 1 } }), "bad_json"],
    [await call(A, "POST", `/v1/groups/${g.gid}/acks`, { token: g.token, body: { member: id(), shares: ["nope"] } }), "bad_json"],
    [await call(A, "POST", `/v1/groups/${id()}`, { body: { token_sha256: "short" } }), "bad_json"],
  ];
  for (const [res, code] of cases) assert.deepEqual([res.status, res.json.error], [400, code]);
});

test("unknown group, share and route are 404; a wrong method is 405", async () => {
  const g = await newGroup(A);
  assert.equal((await call(A, "GET", `/v1/groups/${id()}/shares?member=${id()}`, { token: g.token })).status, 404);
  assert.equal((await get(g, id(), id())).status, 404);
  assert.equal((await call(A, "GET", "/v1/nothing")).status, 404);
  assert.equal((await call(A, "GET", "/")).status, 404);
  const wrong = await call(A, "PATCH", `/v1/groups/${g.gid}/shares/${id()}`, { token: g.token });
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get("allow"), "PUT, GET, DELETE, POST");
});

test("oversized shares get 413 and a full group gets 429", async () => {
  const g = await newGroup(A);
  const big = await put(g, id(), bytes(MAX_SHARE_BYTES + 1));
  assert.deepEqual([big.status, big.json.error], [413, "too_large"]);
  const huge = await call(A, "PUT", `/v1/groups/${g.gid}/shares/${id()}`, { token: g.token, raw: "x".repeat(4 * MAX_SHARE_BYTES) });
  assert.equal(huge.status, 413);
  for (let i = 0; i < MAX_SHARES; i++) assert.equal((await put(g, id(), bytes(1))).status, 201);
  const over = await put(g, id(), bytes(1));
  assert.deepEqual([over.status, over.json.error], [429, "quota_exceeded"]);
});

test("listing pages through many shares with a cursor", async () => {
  const g = await newGroup(B);
  const member = id();
  const ids = [];
  for (let i = 0; i < 7; i++) {
    const sid = id();
    ids.push(sid);
    await put(g, sid, bytes(3));
  }
  const seen = [];
  let cursor = null;
  do {
    const res = await list(g, member, `&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
    assert.ok(res.json.shares.length <= 3);
    seen.push(...res.json.shares.map((s) => s.id));
    cursor = res.json.next_cursor;
  } while (cursor);
  assert.deepEqual([...seen].sort(), [...ids].sort());
});

test("CORS: preflight and answers allow the configured origin only", async () => {
  const origin = "http://127.0.0.1:5173";
  const pre = await fetch(`${A}/v1/groups/${id()}/shares/${id()}`, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": "PUT", "access-control-request-headers": "authorization, content-type" },
  });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get("access-control-allow-origin"), origin);
  assert.match(pre.headers.get("access-control-allow-methods"), /PUT/);
  assert.match(pre.headers.get("access-control-allow-headers"), /authorization/);
  // A preflight for a path the relay will refuse still succeeds, so the browser sends the
  // request and the app reads the relay's 400 or 404 instead of a network failure.
  for (const path of ["/v1/groups/XYZ/shares", "/v1/nothing"]) {
    const bad = await fetch(`${A}${path}`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "GET" } });
    assert.equal(bad.status, 204, path);
    assert.equal(bad.headers.get("access-control-allow-origin"), origin);
  }
  const evil = await fetch(`${A}/v1/health`, { method: "OPTIONS", headers: { origin: "https://evil.example" } });
  assert.equal(evil.status, 403);
  assert.equal(evil.headers.get("access-control-allow-origin"), null);
  const plain = await fetch(`${A}/v1/health`, { headers: { origin } });
  assert.equal(plain.headers.get("access-control-allow-origin"), origin);
});

test("WebSocket push announces new and deleted shares, authenticated by subprotocol", async () => {
  const g = await newGroup(A);
  const member = id();
  const url = `${A.replace("http", "ws")}/v1/groups/${g.gid}/ws?member=${member}`;
  const refused = new WebSocket(url, ["gfms.v1", `bearer.${"00".repeat(32)}`]);
  const refusal = await new Promise((ok) => {
    refused.on("unexpected-response", (_req, res) => ok(res.statusCode));
    refused.on("open", () => ok("open"));
    refused.on("error", () => ok("error"));
  });
  assert.equal(refusal, 401);

  const ws = new WebSocket(url, ["gfms.v1", `bearer.${g.token}`]);
  const messages = [];
  await new Promise((ok, fail) => {
    ws.on("open", ok);
    ws.on("error", fail);
  });
  assert.equal(ws.protocol, "gfms.v1");
  ws.on("message", (m) => messages.push(JSON.parse(m.toString())));
  const sid = id();
  await put(g, sid, bytes(4), [member]);
  await call(A, "DELETE", `/v1/groups/${g.gid}/shares/${sid}`, { token: g.token });
  for (let i = 0; i < 50 && messages.length < 2; i++) await new Promise((ok) => setTimeout(ok, 50));
  ws.close();
  assert.deepEqual(messages, [
    { type: "share_put", id: sid, bytes: b64url(bytes(4)) },
    { type: "share_deleted", id: sid, reason: "deleted" },
  ]);
});
