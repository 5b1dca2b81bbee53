// The decisions docs/protocol.md states for a second client (issue 13 #12), each
// checked against real local relays.
import { test } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import {
  RELAYS, TTL_SECONDS, MAX_SHARE_BYTES, call, newGroup, id, put, get, list, status, ack, del, b64url, sleep,
} from "./lib.mjs";

const [A, B] = RELAYS;
const bytes = (n, fill = 7) => new Uint8Array(n).fill(fill);

test("unknown group: 404 unknown_group whatever the token, before any token check", async () => {
  const g = await newGroup(B);
  const gid = id();
  for (const token of [undefined, "00".repeat(32), g.token]) {
    const res = await call(B, "GET", `/v1/groups/${gid}/shares?member=${id()}`, { token });
    assert.deepEqual([res.status, res.json.error], [404, "unknown_group"], `token ${token}`);
  }
  const share = await get(g, id(), id());
  assert.deepEqual([share.status, share.json.error], [404, "not_found"], "an unknown share in a known group");
});

test("DELETE of a share never put, or already deleted, answers 200 deleted:false", async () => {
  const g = await newGroup(B);
  assert.deepEqual((await del(g, id())).json, { deleted: false });
  const sid = id();
  await put(g, sid, bytes(3));
  assert.deepEqual((await del(g, sid)).json, { deleted: true });
  const again = await del(g, sid);
  assert.deepEqual([again.status, again.json], [200, { deleted: false }]);
});

test("Hostile client: ids inside bodies are bad_json, in the path or query bad_id; too many ids or recipients is bad_request", async () => {
  const g = await newGroup(B);
  const inBody = await status(g, ["XYZ"]);
  assert.deepEqual([inBody.status, inBody.json.error], [400, "bad_json"]);
  const inQuery = await get(g, id(), "XYZ");
  assert.deepEqual([inQuery.status, inQuery.json.error], [400, "bad_id"]);
  const health = (await call(B, "GET", "/v1/health")).json;
  const manyIds = await status(g, Array.from({ length: health.max_ids_per_request + 1 }, id));
  assert.deepEqual([manyIds.status, manyIds.json.error], [400, "bad_request"]);
  const manyRecipients = await put(g, id(), bytes(3), Array.from({ length: health.max_recipients + 1 }, id));
  assert.deepEqual([manyRecipients.status, manyRecipients.json.error], [400, "bad_request"]);
  const empty = await put(g, id(), new Uint8Array(0));
  assert.deepEqual([empty.status, empty.json.error], [400, "bad_request"], "an empty share is refused");
});

test("list: limit is clamped to 1..max_list_page; a non-number is bad_request", async () => {
  const g = await newGroup(B);
  const member = id();
  for (let i = 0; i < 3; i++) await put(g, id(), bytes(2));
  const zero = await list(g, member, "&limit=0");
  assert.equal(zero.json.shares.length, 1);
  assert.ok(zero.json.next_cursor);
  const huge = await list(g, member, "&limit=999999");
  assert.equal(huge.json.shares.length, 3);
  assert.equal(huge.json.next_cursor, null);
  assert.equal((await list(g, member, "&limit=-1")).json.error, "bad_request");
});

test("status of a share never put: live false, zero counters, empty lists", async () => {
  const g = await newGroup(B);
  const sid = id();
  assert.deepEqual((await status(g, [sid])).json.shares[0], {
    id: sid, live: false, fetch_count: 0, fetchers: [], ackers: [], recipients: [], expires_at: 0, receipts: [],
  });
});

test("Misbehaving member: a non-recipient's fetch is 404 and its ack is ignored, neither recorded", async () => {
  const g = await newGroup(B);
  const [bob, mallory] = [id(), id()];
  const sid = id();
  await put(g, sid, bytes(5), [bob]);
  assert.equal((await get(g, sid, mallory)).status, 404);
  const acked = await ack(g, mallory, [sid]);
  assert.deepEqual(acked.json, { acked: [], deleted: [], unknown: [], ignored: [sid] });
  const st = (await status(g, [sid])).json.shares[0];
  assert.deepEqual([st.fetchers, st.ackers, st.live], [[], [], true]);
});

test("an id acked twice in one request is answered once; racing final acks delete once", async () => {
  const g = await newGroup(B);
  const [bob, carol] = [id(), id()];
  const sid = id();
  await put(g, sid, bytes(5), [bob, carol]);
  const twice = await ack(g, bob, [sid, sid]);
  assert.deepEqual(twice.json.acked, [sid]);
  const racing = await Promise.all(Array.from({ length: 6 }, () => ack(g, carol, [sid])));
  assert.deepEqual(racing.flatMap((r) => r.json.deleted), [sid], "exactly one answer claims the deletion");
  assert.ok(racing.every((r) => r.json.acked.includes(sid)));
});

test("a re-put whose recipients have all acked stores nothing and says complete", async () => {
  const g = await newGroup(B);
  const [bob, carol] = [id(), id()];
  const sid = id();
  await put(g, sid, bytes(5), [bob, carol]);
  await ack(g, bob, [sid]);
  // Carol was removed from the group: the sender's re-send names only Bob.
  const reput = await put(g, sid, bytes(5), [bob]);
  assert.deepEqual([reput.status, reput.json.complete, reput.json.expires_at], [200, true, 0]);
  assert.equal((await get(g, sid, bob)).status, 404);
  const again = await put(g, sid, bytes(5), [bob]);
  assert.equal(again.json.complete, true, "still complete: the record remembers the acks");
});

test("a re-put after expiry answers 201 (the relay stores bytes again) and keeps who acked", async () => {
  const g = await newGroup(A);
  const [bob, carol] = [id(), id()];
  const sid = id();
  const first = await put(g, sid, bytes(5), [bob, carol]);
  assert.equal(first.status, 201);
  await ack(g, bob, [sid]);
  await sleep(first.json.expires_at + 300 - Date.now());
  assert.equal((await get(g, sid, carol)).status, 404, "expired");
  const reput = await put(g, sid, bytes(5), [bob, carol]);
  assert.deepEqual([reput.status, reput.json.created], [201, true]);
  const st = (await status(g, [sid])).json.shares[0];
  assert.deepEqual([st.live, st.ackers], [true, [bob]]);
  const other = await put(g, sid, bytes(5, 9), [bob, carol]);
  assert.equal(other.status, 409, "an id stays bound to its bytes while its record is kept");
});

test("WebSocket: share_put reaches the share's addressees only; share_deleted, with its reason, every socket, also on expiry", async () => {
  const g = await newGroup(A);
  const [bob, carol] = [id(), id()];
  const open = (member) =>
    new Promise((ok, fail) => {
      const ws = new WebSocket(`${A.replace("http", "ws")}/v1/groups/${g.gid}/ws?member=${member}`, ["gfms.v1", `bearer.${g.token}`]);
      ws.messages = [];
      ws.on("message", (m) => ws.messages.push(JSON.parse(m.toString())));
      ws.on("open", () => ok(ws));
      ws.on("error", fail);
    });
  const [toBob, toCarol] = await Promise.all([open(bob), open(carol)]);
  const [forBob, expiring] = [id(), id()];
  await put(g, forBob, bytes(4), [bob]);
  await ack(g, bob, [forBob]);
  const put2 = await put(g, expiring, bytes(4));
  await sleep(put2.json.expires_at - Date.now() + TTL_SECONDS * 250);
  for (let i = 0; i < 40 && toCarol.messages.length < 3; i++) await sleep(100);
  toBob.close();
  toCarol.close();
  const inline = b64url(bytes(4));
  assert.deepEqual(toBob.messages, [
    { type: "share_put", id: forBob, bytes: inline },
    { type: "share_deleted", id: forBob, reason: "acked" },
    { type: "share_put", id: expiring, bytes: inline },
    { type: "share_deleted", id: expiring, reason: "expired" },
  ]);
  assert.deepEqual(toCarol.messages, [
    { type: "share_deleted", id: forBob, reason: "acked" },
    { type: "share_put", id: expiring, bytes: inline },
    { type: "share_deleted", id: expiring, reason: "expired" },
  ]);
});

test("WebSocket: share_put carries the bytes of a share up to 8 KiB, to its addressees only, never to another group's sockets", async () => {
  // Issue 17: the receiver reads a small share from the push, with no request.
  const LIMIT = 8 * 1024;
  const [g, other] = [await newGroup(A), await newGroup(A)];
  const [bob, carol] = [id(), id()];
  const open = (group, member) =>
    new Promise((ok, fail) => {
      const ws = new WebSocket(`${A.replace("http", "ws")}/v1/groups/${group.gid}/ws?member=${member}`, ["gfms.v1", `bearer.${group.token}`]);
      ws.messages = [];
      ws.on("message", (m) => ws.messages.push(JSON.parse(m.toString())));
      ws.on("open", () => ok(ws));
      ws.on("error", fail);
    });
  // Bob's socket in the other group: the same member pseudonym, another group.
  const [toBob, toCarol, elsewhere] = await Promise.all([open(g, bob), open(g, carol), open(other, bob)]);
  const [small, large] = [id(), id()];
  const atLimit = bytes(LIMIT, 3);
  await put(g, small, atLimit, [bob]);
  await put(g, large, bytes(LIMIT + 1, 3), [bob]);
  for (let i = 0; i < 40 && toBob.messages.length < 2; i++) await sleep(50);
  await sleep(200); // anything that would wrongly arrive elsewhere
  for (const ws of [toBob, toCarol, elsewhere]) ws.close();
  assert.deepEqual(toBob.messages, [
    { type: "share_put", id: small, bytes: b64url(atLimit) },
    { type: "share_put", id: large },
  ]);
  assert.deepEqual(toCarol.messages, [], "not addressed to Carol");
  assert.deepEqual(elsewhere.messages, [], "another group's socket hears nothing");
  // An inline delivery is no fetch: the share stays listed to Bob until he fetches or acks.
  assert.deepEqual((await list(g, bob)).json.shares.map((s) => s.id).sort(), [small, large].sort());
  assert.equal((await status(g, [small])).json.shares[0].fetch_count, 0);
  await ack(g, bob, [small]);
  assert.deepEqual((await list(g, bob)).json.shares.map((s) => s.id), [large], "acked: not listed again");
});

test("health reports every limit a client needs, the request-body limit included", async () => {
  const h = (await call(B, "GET", "/v1/health")).json;
  for (const key of [
    "ttl_seconds", "max_share_bytes", "max_body_bytes", "max_shares_per_group", "max_bytes_per_group",
    "max_ids_per_request", "max_recipients", "max_list_page", "max_members_per_group",
    "max_share_lifetime_seconds", "receipt_retention_seconds", "group_idle_seconds",
  ]) {
    assert.equal(typeof h[key], "number", key);
  }
  assert.ok(h.max_body_bytes > (h.max_share_bytes * 4) / 3);
  const g = await newGroup(B);
  const big = await call(B, "POST", `/v1/groups/${g.gid}/status`, { token: g.token, raw: "x".repeat(h.max_body_bytes + 1) });
  assert.deepEqual([big.status, big.json.error], [413, "too_large"]);
  const fits = await call(B, "POST", `/v1/groups/${g.gid}/status`, { token: g.token, raw: " ".repeat(h.max_body_bytes - 20) + `{"shares":[]}` });
  assert.equal(fits.status, 200, "a body of exactly the limit is read");
  assert.equal(b64url(bytes(1)), "Bw");
});

// The simple form of a share request (issue 17): POST on the share's URL, the token, the
// method and a put's body in a text/plain body, so a browser sends it with no preflight.
const TEXT = { "content-type": "text/plain;charset=UTF-8" };
const simple = (g, sid, method, { body, token = g.token, member, headers = {}, raw } = {}) =>
  call(g.relay, "POST", `/v1/groups/${g.gid}/shares/${sid}${member ? `?member=${member}` : ""}`, {
    raw: raw ?? JSON.stringify({ token, method, ...(body ? { body } : {}) }),
    headers: { ...TEXT, ...headers },
  });
const putBody = (b, recipients = []) => ({ data: b64url(b), recipients });

test("simple form: a put, a fetch and a delete sent as POSTs with the token in the body do what the classic ones do", async () => {
  const g = await newGroup(B);
  const [sid, bob] = [id(), id()];
  const stored = await simple(g, sid, "PUT", { body: putBody(bytes(5), [bob]) });
  assert.deepEqual([stored.status, stored.json.created], [201, true]);
  const classic = await get(g, sid, bob);
  const fetched = await simple(g, sid, "GET", { member: bob });
  assert.deepEqual([fetched.status, fetched.json.data], [200, classic.json.data]);
  assert.equal(classic.json.data, b64url(bytes(5)));
  assert.equal((await status(g, [sid])).json.shares[0].fetch_count, 1, "one member, counted once in either form");
  const refreshed = await simple(g, sid, "PUT", { body: putBody(bytes(5), [bob]) });
  assert.deepEqual([refreshed.status, refreshed.json.created], [200, false]);
  assert.deepEqual((await simple(g, sid, "DELETE")).json, { deleted: true });
  assert.equal((await get(g, sid, bob)).status, 404);
});

test("Hostile client: whatever the classic form refuses, the simple form refuses with the same status and code", async () => {
  const [g, other] = [await newGroup(B), await newGroup(B)];
  const limit = (await call(B, "GET", "/v1/health")).json.max_body_bytes;
  const [bob, mallory, held, theirs] = [id(), id(), id(), id()];
  await put(g, held, bytes(5), [bob]);
  await put(other, theirs, bytes(6));
  const wrong = "00".repeat(32);
  const unknown = { ...g, gid: id() };
  const classicPut = (grp, sid, body, token = grp.token) =>
    call(grp.relay, "PUT", `/v1/groups/${grp.gid}/shares/${sid}`, { token, body });
  // [what, classic answer, simple answer, expected status and code]
  const cases = [
    ["wrong token", await classicPut(g, id(), putBody(bytes(3)), wrong), await simple(g, id(), "PUT", { body: putBody(bytes(3)), token: wrong }), [401, "unauthorized"]],
    ["no token", await call(B, "GET", `/v1/groups/${g.gid}/shares/${held}?member=${bob}`), await simple(g, held, "GET", { member: bob, raw: JSON.stringify({ method: "GET" }) }), [401, "unauthorized"]],
    ["another group's token", await classicPut(g, id(), putBody(bytes(3)), other.token), await simple(g, id(), "PUT", { body: putBody(bytes(3)), token: other.token }), [401, "unauthorized"]],
    ["a body that is not JSON, with no token in it", await call(B, "PUT", `/v1/groups/${g.gid}/shares/${id()}`, { raw: "[[[" }), await simple(g, id(), "PUT", { raw: "[[[" }), [401, "unauthorized"]],
    ["unknown group, before the token", await classicPut(unknown, id(), putBody(bytes(3))), await simple(unknown, id(), "PUT", { body: putBody(bytes(3)) }), [404, "unknown_group"]],
    ["another group's share id in the path", await get(g, theirs, bob), await simple(g, theirs, "GET", { member: bob }), [404, "not_found"]],
    ["another share's id in the body", await classicPut(g, id(), { ...putBody(bytes(3)), id: theirs }), await simple(g, id(), "PUT", { body: { ...putBody(bytes(3)), id: theirs } }), [400, "bad_json"]],
    ["a non-recipient's fetch", await get(g, held, mallory), await simple(g, held, "GET", { member: mallory }), [404, "not_found"]],
    ["other bytes under a held id", await classicPut(g, held, putBody(bytes(5, 9), [bob])), await simple(g, held, "PUT", { body: putBody(bytes(5, 9), [bob]) }), [409, "conflict"]],
    ["a share over max_share_bytes", await classicPut(g, id(), putBody(bytes(MAX_SHARE_BYTES + 1))), await simple(g, id(), "PUT", { body: putBody(bytes(MAX_SHARE_BYTES + 1)) }), [413, "too_large"]],
    ["a body over max_body_bytes", await call(B, "PUT", `/v1/groups/${g.gid}/shares/${id()}`, { token: g.token, raw: "x".repeat(limit + 1) }), await simple(g, id(), "PUT", { raw: "x".repeat(limit + 1) }), [413, "too_large"]],
    ["data that is not base64url", await classicPut(g, id(), { data: "***", recipients: [] }), await simple(g, id(), "PUT", { body: { data: "***", recipients: [] } }), [400, "bad_request"]],
    ["a malformed member", await get(g, held, "XYZ"), await simple(g, held, "GET", { member: "XYZ" }), [400, "bad_id"]],
  ];
  for (const [what, c, s, expected] of cases) {
    assert.deepEqual([c.status, c.json?.error], expected, `${what}: classic`);
    assert.deepEqual([s.status, s.json?.error], expected, `${what}: simple`);
  }
  // Lying relay's counterpart: a share id that does not match its bytes' header is
  // nothing a relay can see (the header is sealed): both forms store it alike, and the
  // receiver refuses it (client-wasm/sync/tests/offered_shares.rs, replaying_relay.rs).
  const mismatched = [await classicPut(g, id(), putBody(bytes(7, 3))), await simple(g, id(), "PUT", { body: putBody(bytes(7, 3)) })];
  assert.deepEqual(mismatched.map((r) => r.status), [201, 201]);
  // Nothing the refused requests named was stored or counted.
  const st = (await status(g, [held])).json.shares[0];
  assert.deepEqual([st.fetchers, st.live], [[], true]);
});

test("Hostile page: a simple request from an origin the relay does not allow is 403 and stores nothing; an allowed origin gets its answer with CORS", async () => {
  const g = await newGroup(B);
  const [evil, fine] = [id(), id()];
  const refused = await simple(g, evil, "PUT", { body: putBody(bytes(3)), headers: { origin: "https://evil.example" } });
  assert.deepEqual([refused.status, refused.json.error], [403, "forbidden"]);
  assert.equal(refused.headers.get("access-control-allow-origin"), null);
  assert.equal((await status(g, [evil])).json.shares[0].live, false);
  const origin = "http://127.0.0.1:5173";
  const allowed = await simple(g, fine, "PUT", { body: putBody(bytes(3)), headers: { origin } });
  assert.equal(allowed.status, 201);
  assert.equal(allowed.headers.get("access-control-allow-origin"), origin);
});

test("a simple envelope of another shape is bad_json once the token passed", async () => {
  const g = await newGroup(B);
  for (const envelope of [{ method: "PATCH" }, { method: "PUT" }, { method: "GET", body: {} }, { method: "DELETE", share: id() }]) {
    const res = await simple(g, id(), "", { raw: JSON.stringify({ token: g.token, ...envelope }) });
    assert.deepEqual([res.status, res.json.error], [400, "bad_json"], JSON.stringify(envelope));
  }
});
