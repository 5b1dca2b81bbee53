// A listing that carries status and acks, and status and acks in their simple form
// (issue 17, docs/protocol.md): POST …/shares?member=M with {status, acks, receipts}
// answers what GET …/shares, POST …/status and POST …/acks would, in one request; the
// token comes in Authorization (classic) or as the body's `token` (simple: text/plain,
// no preflight), checked alike and in the same order.
import { test } from "node:test";
import assert from "node:assert/strict";
import { RELAYS, call, newGroup, id, put, get, list, status, ack, b64url } from "./lib.mjs";

const [, B] = RELAYS;
const bytes = (n, fill = 7) => new Uint8Array(n).fill(fill);
const TEXT = { "content-type": "text/plain;charset=UTF-8" };

/** A POST listing; `simple`: the token in the body instead of Authorization. */
const posted = (g, member, body, { simple = true, token = g.token, headers = {}, raw, query = "" } = {}) =>
  call(g.relay, "POST", `/v1/groups/${g.gid}/shares?member=${member}${query}`, {
    ...(simple ? { raw: raw ?? JSON.stringify({ ...body, token }), headers: { ...TEXT, ...headers } } : { token, body, raw, headers }),
  });
/** A status or ack request in the simple form. */
const simplePost = (g, route, body, { token = g.token, headers = {}, raw } = {}) =>
  call(g.relay, "POST", `/v1/groups/${g.gid}/${route}`, { raw: raw ?? JSON.stringify({ ...body, token }), headers: { ...TEXT, ...headers } });

const withoutTimes = (s) => ({ ...s, expires_at: s.expires_at > 0 });

test("a POST listing answers the page, the status of the shares it names and its acks: what three requests answered", async () => {
  for (const simple of [true, false]) {
    const g = await newGroup(B);
    const [alice, bob] = [id(), id()];
    const [mine, theirs, held] = [id(), id(), id()];
    await put(g, mine, bytes(4), [bob]);
    await put(g, theirs, bytes(5));
    await put(g, held, bytes(6));
    await get(g, mine, bob);
    const receipt = b64url(bytes(64, 3));
    const answer = await posted(g, bob, { status: [mine, id()], acks: [held], receipts: [{ share: held, receipt }] }, { simple });
    assert.equal(answer.status, 200, JSON.stringify(answer.json));
    assert.deepEqual(answer.json.shares.map((s) => s.id), [theirs], "the acked share is left out, as is the fetched one");
    assert.deepEqual(answer.json.acks, { acked: [held], deleted: [], unknown: [], ignored: [] });
    const separate = await status(g, [mine]);
    assert.deepEqual(answer.json.status.map(withoutTimes)[0], withoutTimes(separate.json.shares[0]));
    assert.equal(answer.json.status[0].fetch_count, 1);
    assert.deepEqual(answer.json.status[1].live, false, "an unknown id, as status answers it");
    assert.deepEqual((await status(g, [held])).json.shares[0].receipts, [receipt], "the receipt is kept");
    // An empty POST listing is a plain one, with empty parts.
    const plain = await posted(g, alice, {}, { simple });
    assert.deepEqual([plain.json.shares.length, plain.json.status, plain.json.acks.acked], [2, [], []], "the share for Bob alone is not listed to Alice");
  }
});

test("older clients: the GET listing is unchanged and carries no status or acks", async () => {
  const g = await newGroup(B);
  await put(g, id(), bytes(3));
  const res = await list(g, id());
  assert.equal(res.status, 200);
  assert.deepEqual(Object.keys(res.json).sort(), ["next_cursor", "shares"]);
});

test("Thief and Hostile client: a bad, missing or another group's token in the new forms is 401, an unknown group 404 first, and nothing is acked", async () => {
  const [g, other] = [await newGroup(B), await newGroup(B)];
  const [bob, sid] = [id(), id()];
  await put(g, sid, bytes(3));
  const unknown = { ...g, gid: id() };
  const wrong = "00".repeat(32);
  const routes = [
    ["listing", (grp, opts) => posted(grp, bob, { acks: [sid] }, opts)],
    ["status", (grp, opts) => simplePost(grp, "status", { shares: [sid] }, opts)],
    ["acks", (grp, opts) => simplePost(grp, "acks", { member: bob, shares: [sid] }, opts)],
  ];
  for (const [what, send] of routes) {
    const cases = [
      ["wrong token", await send(g, { token: wrong }), [401, "unauthorized"]],
      ["another group's token", await send(g, { token: other.token }), [401, "unauthorized"]],
      ["no token", await send(g, { raw: JSON.stringify({ shares: [sid], member: bob }) }), [401, "unauthorized"]],
      ["a token that is not a string", await send(g, { token: 7 }), [401, "unauthorized"]],
      ["a body that is not JSON", await send(g, { raw: "[[[" }), [401, "unauthorized"]],
      ["unknown group, before the token", await send(unknown, { token: wrong }), [404, "unknown_group"]],
    ];
    for (const [why, res, expected] of cases) assert.deepEqual([res.status, res.json?.error], expected, `${what}: ${why}`);
  }
  assert.deepEqual((await status(g, [sid])).json.shares[0].ackers, [], "no refused request acked");
  // The classic listing with a wrong Authorization is refused alike.
  const classic = await posted(g, bob, { acks: [sid] }, { simple: false, token: wrong });
  assert.deepEqual([classic.status, classic.json.error], [401, "unauthorized"]);
});

test("Hostile client: once the token passed, the shape is checked as on the classic routes", async () => {
  const g = await newGroup(B);
  const health = (await call(B, "GET", "/v1/health")).json;
  const bob = id();
  const cases = [
    ["unknown field", await posted(g, bob, { status: [], extra: 1 }), [400, "bad_json"]],
    ["malformed id", await posted(g, bob, { status: ["XYZ"] }), [400, "bad_json"]],
    ["too many ids", await posted(g, bob, { status: Array.from({ length: health.max_ids_per_request + 1 }, id) }), [400, "bad_request"]],
    ["a receipt for a share not acked", await posted(g, bob, { acks: [id()], receipts: [{ share: id(), receipt: b64url(bytes(64)) }] }), [400, "bad_request"]],
    ["no member", await call(B, "POST", `/v1/groups/${g.gid}/shares`, { raw: JSON.stringify({ token: g.token }), headers: TEXT }), [400, "bad_request"]],
    ["an ack naming no member", await simplePost(g, "acks", { shares: [] }), [400, "bad_json"]],
    ["a bad cursor", await posted(g, bob, {}, { query: "&cursor=nope" }), [400, "bad_request"]],
  ];
  for (const [why, res, expected] of cases) assert.deepEqual([res.status, res.json?.error], expected, why);
});

test("Lying member's ack, checked as on POST …/acks: an ack in the listing by a member the share does not name is ignored", async () => {
  const g = await newGroup(B);
  const [bob, mallory, sid] = [id(), id(), id()];
  await put(g, sid, bytes(3), [bob]);
  const res = await posted(g, mallory, { acks: [sid] });
  assert.deepEqual(res.json.acks.ignored, [sid]);
  assert.deepEqual((await status(g, [sid])).json.shares[0].ackers, []);
  const ok = await posted(g, bob, { acks: [sid] });
  assert.deepEqual([ok.json.acks.acked, ok.json.acks.deleted], [[sid], [sid]], "the last recipient's ack deletes, as on the classic route");
});

test("Hostile page: the new forms from an origin the relay does not allow are 403 before the body is read, and record nothing", async () => {
  const g = await newGroup(B);
  const [bob, sid] = [id(), id()];
  await put(g, sid, bytes(3));
  const evil = { origin: "https://evil.example" };
  for (const res of [
    await posted(g, bob, { acks: [sid] }, { headers: evil }),
    await simplePost(g, "acks", { member: bob, shares: [sid] }, { headers: evil }),
    await simplePost(g, "status", { shares: [sid] }, { headers: evil }),
    await simplePost(g, "status", {}, { headers: evil, raw: "x".repeat(2_000_000) }),
  ]) {
    assert.deepEqual([res.status, res.json.error], [403, "forbidden"]);
    assert.equal(res.headers.get("access-control-allow-origin"), null);
  }
  assert.deepEqual((await status(g, [sid])).json.shares[0].ackers, []);
  const origin = "http://127.0.0.1:5173";
  const allowed = await posted(g, bob, { status: [sid] }, { headers: { origin } });
  assert.equal(allowed.status, 200);
  assert.equal(allowed.headers.get("access-control-allow-origin"), origin);
  // The classic ack (Authorization) still works for the CLI.
  assert.equal((await ack(g, bob, [sid])).status, 200);
});
