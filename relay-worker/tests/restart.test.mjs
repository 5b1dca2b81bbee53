// State survives a relay restart: the persisted Durable Object and KV come back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { RELAYS, RELAY_DIR, newGroup, id, put, get, status, b64url } from "./lib.mjs";

const B = RELAYS[1];
const relays = (...args) => execFileSync("bash", ["scripts/relays.sh", ...args, "--dir", RELAY_DIR], { stdio: "inherit" });

test("a relay restart keeps groups, shares and counters", async () => {
  const g = await newGroup(B);
  const [sid, member, other] = [id(), id(), id()];
  const data = new Uint8Array([10, 20, 30, 40]);
  await put(g, sid, data, [member, other]);
  await get(g, sid, member);

  relays("stop", "--only", "b");
  relays("start", "--only", "b", "--base-port", process.env.GFMS_TEST_BASE_PORT, ...(process.env.GFMS_TEST_B_ARGS ?? "").split(" ").filter(Boolean));

  // Pooled keep-alive sockets point at the old process: the first call may need a retry.
  let again;
  for (let attempt = 0; attempt < 5 && !again; attempt++) {
    again = await get(g, sid, other).catch(() => null);
  }
  assert.equal(again.status, 200, "the share and the group's token survived");
  assert.equal(again.json.data, b64url(data));
  const st = (await status(g, [sid])).json.shares[0];
  assert.equal(st.fetch_count, 2, "the counter survived and went on counting");
  assert.ok(st.fetchers.includes(member));
});
