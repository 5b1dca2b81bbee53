// Counting under concurrency: s_i counts distinct fetchers however the requests interleave.
import { test } from "node:test";
import assert from "node:assert/strict";
import { RELAYS, newGroup, id, put, get, status, ack } from "./lib.mjs";

const B = RELAYS[1];

test("20 parallel fetches by 5 members give s_i = 5; acks by all recipients delete the share", async () => {
  const g = await newGroup(B);
  const members = Array.from({ length: 5 }, id);
  const sid = id();
  assert.equal((await put(g, sid, new Uint8Array(256).fill(3), members)).status, 201);
  const fetches = Array.from({ length: 20 }, (_, i) => get(g, sid, members[i % 5]));
  const answers = await Promise.all(fetches);
  assert.deepEqual([...new Set(answers.map((a) => a.status))], [200]);
  const st = (await status(g, [sid])).json.shares[0];
  assert.equal(st.fetch_count, 5);
  assert.deepEqual([...st.fetchers].sort(), [...members].sort());

  const acks = await Promise.all(members.map((m) => ack(g, m, [sid])));
  const deleted = acks.flatMap((a) => a.json.deleted);
  assert.deepEqual(deleted, [sid], "deleted exactly once, by the last ack");
  assert.equal((await status(g, [sid])).json.shares[0].live, false);
  assert.equal((await get(g, sid, members[0])).status, 404);
});
