// Hard to abuse (issue 17): registration floods, idle groups, made-up pseudonyms,
// re-puts for ever, and bodies that never end. Real local relays, 127.0.0.1 only.
import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { randomInt } from "node:crypto";
import {
  RELAYS, MAX_MEMBERS, TTL_SECONDS, LIFETIME_SECONDS, IDLE_SECONDS, call, newGroup, registerGroup, id, put, get, status, ack,
  kvKeys, holdsBytes, sleep,
} from "./lib.mjs";

const [A, B] = RELAYS;
const ORIGIN = "http://127.0.0.1:5173";
const bytes = (n, fill = 7) => new Uint8Array(n).fill(fill);
/** A documentation address (TEST-NET-3), different in each run. */
const testNet = () => `203.0.113.${randomInt(1, 255)}`;

test("Hostile client: a registration flood from one network gets 429 rate_limited (with Retry-After and CORS)", async () => {
  const ip = testNet();
  const codes = [];
  for (let i = 0; i < 10; i++) codes.push((await newGroup(B, { register: false }).then((g) => registerGroup(g, { ip }))).status);
  assert.deepEqual(codes, Array(10).fill(201), "ten new groups a minute are fine");
  const flooded = await newGroup(B, { register: false });
  const over = await registerGroup(flooded, { ip, headers: { origin: ORIGIN } });
  assert.deepEqual([over.status, over.json.error], [429, "rate_limited"]);
  assert.equal(over.headers.get("retry-after"), "60");
  assert.equal(over.headers.get("access-control-allow-origin"), ORIGIN);
  // Only creations count: an existing group answers as before, and other networks register.
  const existing = await newGroup(B, { ip: "198.51.100.7" });
  assert.equal((await registerGroup(existing, { ip })).status, 200);
  assert.equal((await registerGroup(flooded, { ip: "2001:db8:5::1" })).status, 201);
});

test("Forgetful relay: a group idle for GROUP_IDLE_SECONDS is removed (404 unknown_group, bytes gone) and can register again", { timeout: 60_000 }, async () => {
  const g = await newGroup(A);
  const busy = await newGroup(A);
  const sid = id();
  await put(g, sid, bytes(8));
  const started = Date.now();
  // The busy group keeps working meanwhile and stays.
  while (Date.now() - started < (IDLE_SECONDS + 3) * 1000) {
    assert.equal((await status(busy, [id()])).status, 200);
    await sleep(2_000);
  }
  let gone;
  for (let i = 0; i < 20; i++) {
    gone = await call(A, "GET", `/v1/groups/${g.gid}/shares?member=${id()}`, { token: g.token });
    if (gone.status === 404) break;
    await sleep(250);
  }
  assert.deepEqual([gone.status, gone.json.error], [404, "unknown_group"]);
  assert.ok(!holdsBytes(kvKeys(0), sid), "its bytes left KV");
  assert.equal((await status(busy, [id()])).status, 200, "an active group stays");
  assert.equal((await registerGroup(g)).status, 201, "the client registers again");
});

test("Misbehaving member: made-up pseudonyms fill a share's lists only up to the member cap", async () => {
  const g = await newGroup(B);
  const sid = id();
  await put(g, sid, bytes(8));
  const members = Array.from({ length: MAX_MEMBERS }, id);
  for (const m of members) assert.equal((await get(g, sid, m)).status, 200);
  const extra = await get(g, sid, id());
  assert.deepEqual([extra.status, extra.json.error], [429, "quota_exceeded"]);
  assert.equal((await get(g, sid, members[0])).status, 200, "members already counted still fetch");
  const acks = await Promise.all(Array.from({ length: MAX_MEMBERS + 5 }, () => ack(g, id(), [sid])));
  assert.equal(acks.filter((a) => a.json.acked.length === 1).length, MAX_MEMBERS);
  assert.equal(acks.filter((a) => a.json.ignored.length === 1).length, 5);
  const st = (await status(g, [sid])).json.shares[0];
  assert.deepEqual([st.fetchers.length, st.ackers.length], [MAX_MEMBERS, MAX_MEMBERS]);
});

test("re-puts cannot keep a share id alive past its lifetime ceiling: 410 gone", { timeout: 30_000 }, async () => {
  const g = await newGroup(A);
  const sid = id();
  const first = await put(g, sid, bytes(8));
  const ceiling = first.json.expires_at - TTL_SECONDS * 1000 + LIFETIME_SECONDS * 1000;
  let last = first;
  while (Date.now() < ceiling - 1_500) {
    await sleep(1_000);
    last = await put(g, sid, bytes(8));
    assert.equal(last.status, 200);
    assert.ok(last.json.expires_at <= ceiling + 50, "never past the ceiling");
  }
  await sleep(ceiling + 300 - Date.now());
  const over = await put(g, sid, bytes(8));
  assert.deepEqual([over.status, over.json.error], [410, "gone"]);
});

/**
 * Sends raw HTTP on its own connection; resolves with the answer (status line, text,
 * body) and whether the request body was still being sent when it came.
 */
function rawRequest(port, head, writeBody = async () => {}) {
  return new Promise((ok, fail) => {
    let answer = null;
    let sending = true;
    const socket = net.connect(port, "127.0.0.1", async () => {
      socket.write(head);
      try {
        await writeBody(socket, () => answer !== null);
      } catch {
        // the relay closed the connection while we sent: fine once it has answered
      }
      sending = false;
    });
    let text = "";
    socket.on("data", (d) => {
      text += d.toString();
      const end = text.indexOf("\r\n\r\n");
      const length = Number(/content-length: (\d+)/i.exec(text)?.[1] ?? 0);
      if (answer === null && end >= 0 && text.length >= end + 4 + length) {
        answer = { statusLine: text.split("\r\n")[0], text, body: text.slice(end + 4), stillSending: sending };
        setTimeout(() => socket.destroy(), 200);
        ok(answer);
      }
    });
    socket.on("error", (e) => (answer === null ? fail(e) : undefined));
    setTimeout(() => (socket.destroy(), fail(new Error(`no answer within 20 s: ${text}`))), 20_000).unref();
  });
}

/**
 * A chunked body of up to `total` bytes, 16 KiB at a time, until the relay answers; then
 * the body is ended (wrangler dev's local proxy stalls later requests behind a body
 * left open; Cloudflare does not, and the relay has stopped reading long before).
 */
const chunkedBody = (total) => async (socket, answered) => {
  const chunk = "[".repeat(16 * 1024);
  for (let sent = 0; sent < total && !answered(); sent += chunk.length) {
    socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    await sleep(2);
  }
  socket.write("0\r\n\r\n");
};

// How much the relay read before refusing is in its 413 message ("request body is N
// bytes"): at most the limit and one chunk, however much the client sends.
test("Hostile client: a body with no Content-Length, or a lying one, is cut off at the limit", { timeout: 90_000 }, async () => {
  const g = await newGroup(B);
  const limit = (await call(B, "GET", "/v1/health")).json.max_body_bytes;
  const port = Number(new URL(B).port);
  const head = (extra) =>
    `PUT /v1/groups/${g.gid}/shares/${id()} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${g.token}\r\n` +
    `Content-Type: application/json\r\nOrigin: ${ORIGIN}\r\n${extra}\r\n`;
  const readBeforeRefusing = (res) => Number(/request body is (\d+) bytes/.exec(res.body)?.[1]);
  const huge = 20 * limit;
  // wrangler dev's local proxy may answer the first request after a client left
  // mid-body with 503 "worker restarted" unless it is a GET, which it retries: one health
  // check between cases (Cloudflare has no such proxy).
  const settle = async () => assert.equal((await call(B, "GET", "/v1/health")).status, 200, "the relay still answers");
  // No Content-Length at all: chunked.
  const chunked = await rawRequest(port, head("Transfer-Encoding: chunked\r\n"), chunkedBody(huge));
  assert.match(chunked.statusLine, / 413 /, chunked.text);
  assert.ok(chunked.stillSending, "answered before the body ended");
  assert.match(chunked.text, /access-control-allow-origin: http:\/\/127\.0\.0\.1:5173/i);
  const read = readBeforeRefusing(chunked);
  assert.ok(read > limit && read < 2 * limit, `stopped reading at ${read} bytes`);
  await settle();
  // A Content-Length that lies low, with the chunked body after it.
  const lying = await rawRequest(port, head("Content-Length: 10\r\nTransfer-Encoding: chunked\r\n"), chunkedBody(huge));
  assert.match(lying.statusLine, / 4\d\d /, lying.text);
  assert.ok(lying.stillSending, "answered before the body ended");
  await settle();
  // A Content-Length over the limit: refused on the header, before the body is read.
  const declared = await rawRequest(port, head(`Content-Length: ${huge}\r\n`), chunkedBody(0));
  assert.match(declared.statusLine, / 413 /, declared.text);
  assert.equal(readBeforeRefusing(declared), huge, "the declared size, nothing read");
  await settle();
});
