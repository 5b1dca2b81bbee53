// TTL on relay A (run.sh gives it a TTL of a few seconds): exact expiry, refresh by
// re-put, and the alarm that removes expired shares and their bytes from the Durable Object.
import { test } from "node:test";
import assert from "node:assert/strict";
import { RELAYS, TTL_SECONDS, MAX_SHARES, newGroup, id, put, get, status, byteKeys, holdsBytes, sleep } from "./lib.mjs";

const A = RELAYS[0];
const ttl = TTL_SECONDS * 1000;

test("a share disappears on time, a re-put refreshes it, and the alarm sweeps the bytes and the index", async () => {
  const g = await newGroup(A);
  const member = id();
  const [gone, kept] = [id(), id()];
  const start = Date.now();
  assert.equal((await put(g, gone, new Uint8Array([1, 2, 3]))).status, 201);
  assert.equal((await put(g, kept, new Uint8Array([4, 5, 6]))).status, 201);
  assert.ok(holdsBytes(byteKeys(0), gone), "bytes are stored while live");

  await sleep(ttl / 2);
  assert.equal((await get(g, gone, member)).status, 200, "live before its TTL");
  const refreshed = await put(g, kept, new Uint8Array([4, 5, 6]));
  assert.equal(refreshed.status, 200, "re-put of the same bytes");

  await sleep(start + ttl + 300 - Date.now());
  assert.equal((await get(g, gone, member)).status, 404, "never served after its TTL");
  assert.equal((await status(g, [gone])).json.shares[0].live, false);
  assert.equal((await get(g, kept, member)).status, 200, "the refreshed share lives on");

  // The alarm runs at the expiry: give it a moment, then the bytes must be gone.
  let keys = byteKeys(0);
  for (let i = 0; i < 20 && holdsBytes(keys, gone); i++) {
    await sleep(250);
    keys = byteKeys(0);
  }
  assert.ok(!holdsBytes(keys, gone), "the alarm deleted the bytes");

  await sleep(refreshed.json.expires_at + 300 - Date.now());
  assert.equal((await get(g, kept, member)).status, 404, "the refreshed share expires at its new time");
});

test("expired shares stop counting against the group's quota (the index is swept)", async () => {
  const g = await newGroup(A);
  /** Puts `n` one-byte shares at once; how many the relay took. */
  const fill = async (n) => {
    const codes = await Promise.all(Array.from({ length: n }, () => put(g, id(), new Uint8Array([9])).then((r) => r.status)));
    return codes.filter((c) => c === 201).length;
  };
  assert.equal(await fill(MAX_SHARES), MAX_SHARES);
  const filledAt = Date.now();
  assert.equal((await put(g, id(), new Uint8Array([9]))).status, 429, "full");
  // Expired shares are never served, but their quota is freed by the alarm's sweep. Once
  // the last of them has expired, keep putting (bounded) until the whole quota is taken
  // again: shares put in one burst expire over a spread of time, so room comes back in
  // steps, and a put that succeeds keeps its slot.
  await sleep(filledAt + ttl - Date.now());
  let room = 0;
  for (let i = 0; i < 40 && room < MAX_SHARES; i++) {
    room += await fill(MAX_SHARES - room);
    if (room < MAX_SHARES) await sleep(250);
  }
  assert.equal(room, MAX_SHARES, "within 10 s of the expiry the sweep freed the whole quota");
});
