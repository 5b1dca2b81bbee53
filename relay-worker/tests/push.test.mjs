// Web Push forwarding (issue 17): a member's app encrypts a notification per RFC 8291;
// the relay signs with its VAPID key and forwards it, storing nothing. A loopback
// stand-in for a push service (relay b's PUSH_TEST_ORIGIN) receives the request.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { createCipheriv, createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { RELAYS, RELAY_DIR, call, newGroup, b64url } from "./lib.mjs";

const [A, B] = RELAYS;
const PORT = Number(process.env.GFMS_TEST_PUSH_PORT ?? "8794");
const RATE = Number(process.env.GFMS_TEST_PUSH_RATE ?? "5");
const STAND_IN = `http://127.0.0.1:${PORT}`;
const TEXT = "Bob added Pizza €32.40";

/** What the stand-in push service received. */
let received = [];
let server;
before(async () => {
  server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      received.push({ url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(201).end();
    });
  });
  await new Promise((ok) => server.listen(PORT, "127.0.0.1", ok));
});
after(() => server.close());

const info = (label) => Buffer.from(`Content-Encoding: ${label}\0`);

/** A subscriber (the recipient's browser): its key pair and auth secret. */
function subscriber() {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  return { ecdh, p256dh: ecdh.getPublicKey(), auth: randomBytes(16) };
}

/** The sending member's side of RFC 8291 (what web/src/push/webpush.ts does). */
function encrypt(sub, text) {
  const sender = createECDH("prime256v1");
  sender.generateKeys();
  const salt = randomBytes(16);
  const shared = sender.computeSecret(sub.p256dh);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), sub.p256dh, sender.getPublicKey()]);
  const ikm = Buffer.from(hkdfSync("sha256", shared, sub.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync("sha256", ikm, salt, info("aes128gcm"), 16));
  const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, info("nonce"), 12));
  const c = createCipheriv("aes-128-gcm", cek, nonce);
  const sealed = Buffer.concat([c.update(Buffer.concat([Buffer.from(text), Buffer.of(2)])), c.final(), c.getAuthTag()]);
  const rs = Buffer.alloc(4);
  rs.writeUInt32BE(4096);
  return Buffer.concat([salt, rs, Buffer.of(65), sender.getPublicKey(), sealed]);
}

/** The subscriber's browser: decrypts an aes128gcm body with its private key. */
function decrypt(sub, body) {
  const salt = body.subarray(0, 16);
  const idlen = body[20];
  const senderPublic = body.subarray(21, 21 + idlen);
  const shared = sub.ecdh.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), sub.p256dh, senderPublic]);
  const ikm = Buffer.from(hkdfSync("sha256", shared, sub.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync("sha256", ikm, salt, info("aes128gcm"), 16));
  const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, info("nonce"), 12));
  const record = body.subarray(21 + idlen);
  const d = createDecipheriv("aes-128-gcm", cek, nonce);
  d.setAuthTag(record.subarray(record.length - 16));
  const plain = Buffer.concat([d.update(record.subarray(0, record.length - 16)), d.final()]);
  assert.equal(plain[plain.length - 1], 2, "last-record delimiter");
  return plain.subarray(0, plain.length - 1).toString();
}

const forward = (g, endpoint, payload, extra = {}) =>
  call(g.relay, "POST", `/v1/groups/${g.gid}/push`, { token: g.token, body: { endpoint, payload: b64url(payload), ...extra } });

/** Every file of a relay's state directory, and its log, that contains `needle`. */
function filesContaining(relayIndex, needle) {
  const hits = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = `${dir}/${name}`;
      if (statSync(path).isDirectory()) walk(path);
      else if (readFileSync(path).includes(needle)) hits.push(path);
    }
  };
  walk(`${RELAY_DIR}/${"abc"[relayIndex]}`);
  const log = `${RELAY_DIR}/${"abc"[relayIndex]}.log`;
  assert.ok(statSync(log).isFile(), "the relay's log is where run.sh puts it");
  if (readFileSync(log).includes(needle)) hits.push(log);
  return hits;
}

test("Curious relay and push service: the stand-in receives a VAPID-signed aes128gcm body that only the subscriber decrypts; the relay keeps no plaintext", async () => {
  received = [];
  const health = await call(B, "GET", "/v1/health");
  const vapidPublic = health.json.vapid_public_key;
  assert.equal(Buffer.from(vapidPublic, "base64url").length, 65, "health publishes the VAPID key");
  const g = await newGroup(B);
  const sub = subscriber();
  const res = await forward(g, `${STAND_IN}/sub/bob`, encrypt(sub, TEXT), { ttl: 120 });
  assert.deepEqual([res.status, res.json], [200, { status: 201 }]);
  assert.equal(received.length, 1);
  const got = received[0];
  assert.equal(got.url, "/sub/bob");
  assert.equal(got.headers["content-encoding"], "aes128gcm");
  assert.equal(got.headers["ttl"], "120");
  assert.equal(decrypt(sub, got.body), TEXT);
  assert.ok(!got.body.includes(Buffer.from("Pizza")), "ciphertext on the wire");
  // RFC 8292: an ES256 JWT for the push service's origin, verifiable with the published key.
  const m = /^vapid t=([^,]+), k=(.+)$/.exec(got.headers.authorization);
  assert.ok(m, got.headers.authorization);
  assert.equal(m[2], vapidPublic);
  const [h, c, s] = m[1].split(".");
  const claims = JSON.parse(Buffer.from(c, "base64url").toString());
  assert.equal(claims.aud, STAND_IN);
  assert.ok(claims.exp > Date.now() / 1000 && claims.exp <= Date.now() / 1000 + 24 * 3600);
  const point = Buffer.from(vapidPublic, "base64url");
  const key = createPublicKey({
    key: { kty: "EC", crv: "P-256", x: b64url(point.subarray(1, 33)), y: b64url(point.subarray(33)) },
    format: "jwk",
  });
  assert.ok(verify("sha256", Buffer.from(`${h}.${c}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(s, "base64url")));
  // Nothing readable at the relay: neither the text nor the endpoint in its storage or logs.
  assert.deepEqual(filesContaining(1, "Pizza"), []);
  assert.deepEqual(filesContaining(1, "/sub/bob"), []);
});

test("Outsider: without the group's bearer token the relay forwards nothing (401)", async () => {
  received = [];
  const g = await newGroup(B);
  const sub = subscriber();
  const wrong = { ...g, token: "00".repeat(32) };
  assert.equal((await forward(wrong, `${STAND_IN}/sub/x`, encrypt(sub, TEXT))).status, 401);
  const unregistered = await newGroup(B, { register: false });
  assert.ok([401, 404].includes((await forward(unregistered, `${STAND_IN}/sub/x`, encrypt(sub, TEXT))).status));
  assert.equal(received.length, 0);
});

test("Hostile member: no open forwarder — internal addresses, plain http and unknown hosts are refused (403)", async () => {
  received = [];
  const ga = await newGroup(A);
  const gb = await newGroup(B);
  const body = encrypt(subscriber(), TEXT);
  // Relay a is not configured with the stand-in: the same loopback endpoint is refused there.
  assert.equal((await forward(ga, `${STAND_IN}/sub/bob`, body)).status, 403);
  for (const endpoint of [
    "http://127.0.0.1:1/",
    "https://169.254.169.254/latest/meta-data",
    "https://10.0.0.1/",
    "http://fcm.googleapis.com/fcm/send/x",
    "https://fcm.googleapis.com.evil.example/x",
    "https://fcm.googleapis.com@evil.example/x",
    `http://127.0.0.1:${PORT + 1}/sub/bob`,
  ]) {
    const res = await forward(gb, endpoint, body);
    assert.deepEqual([res.status, res.json.error], [403, "forbidden"], endpoint);
  }
  assert.equal(received.length, 0);
});

test("Hostile member: an oversize payload is refused (413) and never reaches the push service", async () => {
  received = [];
  const g = await newGroup(B);
  const res = await forward(g, `${STAND_IN}/sub/bob`, randomBytes(4097));
  assert.equal(res.status, 413);
  assert.equal(received.length, 0);
});

test("Flooding member: past the per-group rate the relay answers 429 and forwards nothing more; other groups are unaffected", async () => {
  received = [];
  const g = await newGroup(B);
  const sub = subscriber();
  const codes = [];
  // A minute boundary during the loop restarts the count once: 2 × RATE + 1 tries suffice.
  for (let i = 0; i <= 2 * RATE && !codes.includes(429); i++) {
    codes.push((await forward(g, `${STAND_IN}/sub/bob`, encrypt(sub, `n${i}`))).status);
  }
  assert.equal(codes.at(-1), 429, codes.join(","));
  assert.ok(codes.filter((c) => c === 200).length >= RATE, codes.join(","));
  assert.equal(received.length, codes.filter((c) => c === 200).length);
  const other = await newGroup(B);
  assert.equal((await forward(other, `${STAND_IN}/sub/carol`, encrypt(sub, TEXT))).status, 200);
});
