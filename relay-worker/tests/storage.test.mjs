// Share bytes live in each group's Durable Object SQLite (the `share_bytes` table), not
// in KV. Relay C runs with the production share limit (1 MiB) so a share at the limit
// is stored as one row: SQLite allows 2 MB a row.
import { test } from "node:test";
import assert from "node:assert/strict";
import { RELAYS, newGroup, id, put, get, del, call, byteKeys, holdsBytes, b64url } from "./lib.mjs";

const C = RELAYS[2];
const MIB = 1024 * 1024;

test("Hostile client of a relay: a share at the 1 MiB limit is one SQLite row, served whole, and leaves on delete", async () => {
  assert.equal((await call(C, "GET", "/v1/health")).json.max_share_bytes, MIB, "relay C runs the production limit");
  const g = await newGroup(C);
  const sid = id();
  const bytes = new Uint8Array(MIB);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) & 0xff;
  assert.equal((await put(g, sid, bytes)).status, 201, "a share of exactly the limit is stored");
  assert.ok(holdsBytes(byteKeys(2), sid), "its bytes are in the group's SQLite");

  const got = await get(g, sid, id());
  assert.equal(got.status, 200);
  assert.equal(got.json.data, b64url(bytes), "served back byte for byte");

  const over = await put(g, id(), new Uint8Array(MIB + 1));
  assert.deepEqual([over.status, over.json.error], [413, "too_large"], "one byte more is refused");

  assert.equal((await del(g, sid)).status, 200);
  assert.ok(!holdsBytes(byteKeys(2), sid), "the delete removed the row");
});
