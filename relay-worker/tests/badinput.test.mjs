// A bounded, seeded bad-input run against a real local relay (127.0.0.1 only): at least
// 10,000 generated requests, every one wrong in some way — random paths and methods,
// bad ids, bad or missing tokens, random headers, bad JSON, truncated, oversized and
// wrongly shaped bodies. Every answer must be a 4xx, and the shares stored before the
// run must be intact after it.
import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { RELAYS, MAX_SHARE_BYTES, newGroup, id, put, get, status, b64url, call, prng } from "./lib.mjs";

const B = RELAYS[1];
const COUNT = 10_000;
const IN_FLIGHT = 12;

function generator(rand, g, sid) {
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const int = (n) => Math.floor(rand() * n);
  const junk = (n) => Array.from({ length: n }, () => String.fromCharCode(32 + int(95))).join("");
  const hexish = () => pick([id(), id().toUpperCase(), id().slice(1), id() + "0", "zz".repeat(16), "", "%00", "..", junk(int(40))]);
  const badId = () => pick([id().toUpperCase(), id().slice(2), "zz".repeat(16), "..%2f..", junk(8), "-1"]);
  const member = () => pick([badId(), ""]);
  const badToken = () => pick(["", "Bearer", `Bearer ${"00".repeat(32)}`, `Bearer ${g.token.slice(2)}`, `Basic ${g.token}`, `bearer ${g.token}x`, junk(30)]);
  const validPut = JSON.stringify({ data: b64url(new Uint8Array([1, 2, 3])), recipients: [id()] });
  const badBody = () =>
    pick([
      validPut.slice(0, int(validPut.length - 1)), // truncated
      junk(int(200)),
      "null", "[]", "{}", "1e999", '"str"',
      JSON.stringify({ data: 5, recipients: [] }),
      JSON.stringify({ data: "AA", recipients: "x" }),
      JSON.stringify({ data: "A=", recipients: [] }),
      JSON.stringify({ data: "AA", recipients: [badId()] }),
      JSON.stringify({ member: badId(), shares: [] }),
      JSON.stringify({ shares: Array.from({ length: 300 }, id) }),
      "[".repeat(5000),
      JSON.stringify({ data: "AA", recipients: [], extra: true }),
    ]);
  const groupPath = (tail) => `/v1/groups/${g.gid}${tail}`;
  return () => {
    switch (int(9)) {
      case 0: // random path and method
        return { method: pick(["GET", "POST", "PUT", "DELETE", "PATCH"]), path: "/" + Array.from({ length: int(5) }, () => pick(["v1", "v2", "groups", "shares", junk(5), hexish()])).join("/") + pick(["", "/x"]) };
      case 1: // bad ids in otherwise good routes
        return { method: pick(["GET", "PUT", "DELETE"]), path: `/v1/groups/${badId()}/shares/${pick([badId(), sid])}`, token: g.token };
      case 2: // bad or missing token on a real group
        return { method: pick(["GET", "DELETE"]), path: groupPath(`/shares/${sid}?member=${id()}`), auth: badToken() };
      case 3: // bad bodies with the right token
        return { method: pick(["PUT", "POST"]) === "PUT" ? "PUT" : "POST", path: pick([groupPath(`/shares/${id()}`), groupPath("/acks"), groupPath("/status")]), token: g.token, raw: badBody(), forceMethodFor: true };
      case 4: // bad query strings
        return { method: "GET", path: groupPath(pick([`/shares?member=${member()}`, `/shares?member=${id()}&cursor=${junk(6)}`, `/shares?member=${id()}&limit=${junk(3)}x`, `/shares/${sid}`, `/shares/${sid}?member=${member()}`])), token: g.token };
      case 5: // oversized bodies (bounded in number)
        return int(20) === 0
          ? { method: "PUT", path: groupPath(`/shares/${id()}`), token: g.token, raw: JSON.stringify({ data: "A".repeat(Math.ceil(MAX_SHARE_BYTES * 1.5)), recipients: [] }) }
          : { method: "PUT", path: groupPath(`/shares/${id()}`), token: g.token, raw: JSON.stringify({ data: "AAAA".repeat(MAX_SHARE_BYTES / 3 + 10), recipients: [] }) };
      case 6: // unknown groups and wrong methods
        return { method: pick(["PATCH", "POST", "PUT"]), path: pick([`/v1/health`, groupPath("/ws"), groupPath("/shares")]), token: g.token };
      case 7: // random headers on a protected route
        return { method: "GET", path: groupPath(`/shares?member=${id()}`), headers: { [pick(["x-" + junk(3).replace(/[^a-z]/gi, "a"), "content-type", "origin"])]: junk(10).replace(/[^\x20-\x7e]/g, "") }, auth: badToken() };
      default: // registration with bad bodies or the wrong token hash
        return { method: "POST", path: pick([groupPath(""), `/v1/groups/${badId()}`]), raw: pick([badBody(), JSON.stringify({ token_sha256: "11".repeat(32) })]) };
    }
  };
}

async function send(relay, req) {
  const headers = { ...(req.headers ?? {}) };
  if (req.token) headers.authorization = `Bearer ${req.token}`;
  if (req.auth !== undefined && req.auth !== "") headers.authorization = req.auth;
  if (req.raw !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(relay + req.path, { method: req.method, headers, body: req.raw });
  await res.arrayBuffer();
  return res.status;
}

function truncatedRequest(port, text) {
  return new Promise((ok) => {
    const socket = net.connect(port, "127.0.0.1", () => {
      socket.write(text);
      setTimeout(() => socket.destroy(), 20);
    });
    socket.on("close", ok);
    socket.on("error", ok);
  });
}

test(`${COUNT} generated bad requests get only 4xx and leave stored shares intact`, { timeout: 240_000 }, async () => {
  const g = await newGroup(B);
  const kept = Array.from({ length: 5 }, (_, i) => ({ sid: id(), data: new Uint8Array(64).fill(i + 1) }));
  const member = id();
  for (const k of kept) assert.equal((await put(g, k.sid, k.data, [member])).status, 201);
  const before = (await status(g, kept.map((k) => k.sid))).json;

  const next = generator(prng(0x5eed), g, kept[0].sid);
  const statuses = new Map();
  const bad = [];
  let sent = 0;
  async function worker() {
    while (sent < COUNT) {
      sent++;
      const req = next();
      let code;
      try {
        code = await send(B, req);
      } catch (e) {
        code = `network error: ${e.message}`;
      }
      statuses.set(code, (statuses.get(code) ?? 0) + 1);
      if (!(typeof code === "number" && code >= 400 && code < 500) && bad.length < 10) bad.push({ code, ...req, raw: req.raw?.slice(0, 80) });
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const port = Number(new URL(B).port);
  await Promise.all([
    truncatedRequest(port, `PUT /v1/groups/${g.gid}/shares/${id()} HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\nAuthorization: Bearer ${g.token}\r\n\r\n{"data":"AA`),
    truncatedRequest(port, "GET /v1/heal"),
    truncatedRequest(port, "\x00\x01\x02garbage\r\n\r\n"),
  ]);
  console.log("answers by status:", Object.fromEntries(statuses));
  assert.deepEqual(bad, [], "every generated request must get a 4xx");
  assert.ok(sent >= COUNT);

  const health = await call(B, "GET", "/v1/health");
  assert.equal(health.status, 200, "the relay still answers");
  for (const k of kept) {
    const res = await get(g, k.sid, member);
    assert.equal(res.status, 200);
    assert.equal(res.json.data, b64url(k.data), "stored bytes unchanged");
  }
  const after = (await status(g, kept.map((k) => k.sid))).json;
  for (const [i, s] of after.shares.entries()) {
    assert.equal(s.live, true);
    assert.deepEqual(s.recipients, before.shares[i].recipients);
    assert.deepEqual(s.fetchers, [member], "only the check itself fetched");
    assert.deepEqual(s.ackers, []);
  }
});
