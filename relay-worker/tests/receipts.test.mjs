// Receipts that outlive the bytes (issue 14, relay side): the relay keeps each acker's
// receipt as opaque bytes and hands it back, also after the share's bytes expired or
// were deleted, for RECEIPT_RETENTION_SECONDS; then it forgets the record. No content
// is kept.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { RELAYS, RETENTION_SECONDS, newGroup, id, put, get, status, ack, del, byteKeys, holdsBytes, sleep } from "./lib.mjs";

const [A, B] = RELAYS;
const receipt = (n = 64) => randomBytes(n).toString("base64url");

test("Offline for weeks: a sender back after the TTL learns who acked, with their receipts; later the record goes", { timeout: 40_000 }, async () => {
  const g = await newGroup(A);
  const [bob, carol, dave] = [id(), id(), id()];
  const sid = id();
  const put1 = await put(g, sid, new Uint8Array(32).fill(5));
  await get(g, sid, bob);
  const [rBob, rCarol] = [receipt(96), receipt(64)];
  const acked = await ack(g, bob, [sid], { receipts: [{ share: sid, receipt: rBob }] });
  assert.deepEqual(acked.json.acked, [sid]);
  await ack(g, carol, [sid], { receipts: [{ share: sid, receipt: rCarol }] });
  await ack(g, dave, [sid]); // an older client sends no receipt
  const live = (await status(g, [sid])).json.shares[0];
  assert.equal(live.live, true);
  assert.deepEqual([...live.receipts].sort(), [rBob, rCarol].sort());

  // The sender is away past the TTL: the bytes expire and the alarm sweeps them.
  await sleep(put1.json.expires_at + 1_000 - Date.now());
  const after = (await status(g, [sid])).json.shares[0];
  assert.equal(after.live, false);
  assert.equal(after.expires_at, 0);
  assert.deepEqual(after.ackers, [bob, carol, dave]);
  assert.deepEqual(after.fetchers, [bob]);
  assert.deepEqual([...after.receipts].sort(), [rBob, rCarol].sort());
  assert.equal((await get(g, sid, bob)).status, 404, "no bytes are served");
  assert.ok(!holdsBytes(byteKeys(0), sid), "no content is kept");

  // After the retention, the record is forgotten.
  await sleep(put1.json.expires_at + RETENTION_SECONDS * 1000 + 1_500 - Date.now());
  const forgotten = (await status(g, [sid])).json.shares[0];
  assert.deepEqual([forgotten.ackers, forgotten.receipts], [[], []]);
});

test("a deleted share keeps its receipts; one receipt per acker, the latest", async () => {
  const g = await newGroup(B);
  const bob = id();
  const sid = id();
  await put(g, sid, new Uint8Array(16).fill(1));
  const [first, second] = [receipt(), receipt()];
  await ack(g, bob, [sid], { receipts: [{ share: sid, receipt: first }] });
  await ack(g, bob, [sid], { receipts: [{ share: sid, receipt: second }] });
  assert.deepEqual((await del(g, sid)).json, { deleted: true });
  const st = (await status(g, [sid])).json.shares[0];
  assert.deepEqual([st.live, st.ackers, st.receipts], [false, [bob], [second]]);
});

test("Hostile client: receipts are 1 to 128 opaque bytes, each for a share the ack lists", async () => {
  const g = await newGroup(B);
  const sid = id();
  await put(g, sid, new Uint8Array(16).fill(1));
  const cases = [
    [{ receipts: [{ share: sid, receipt: receipt(129) }] }, "bad_json"],
    [{ receipts: [{ share: sid, receipt: "" }] }, "bad_json"],
    [{ receipts: [{ share: sid, receipt: "AAE=" }] }, "bad_json"],
    [{ receipts: [{ share: sid }] }, "bad_json"],
    [{ receipts: [{ share: id(), receipt: receipt() }] }, "bad_request"],
    [{ receipts: [{ share: sid, receipt: receipt() }, { share: sid, receipt: receipt() }] }, "bad_request"],
  ];
  for (const [extra, code] of cases) {
    const res = await ack(g, id(), [sid], extra);
    assert.deepEqual([res.status, res.json.error], [400, code], JSON.stringify(extra).slice(0, 80));
  }
  const ok = await ack(g, id(), [sid], { receipts: [{ share: sid, receipt: receipt(128) }] });
  assert.equal(ok.status, 200);
  assert.equal((await status(g, [sid])).json.shares[0].receipts.length, 1);
});
