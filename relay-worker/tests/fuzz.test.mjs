// Racing members: a stateful fuzz inside registered groups. Many members put, fetch, ack,
// delete, list and ask for status of a few shares at once, with puts of *different*
// bytes racing under one id. Bounded (rounds × operations) and on 127.0.0.1 only.
//
// Invariants, checked during each burst and once it has settled:
// - what anyone fetches is byte-identical to bytes some put of that id was accepted
//   with (200/201), or an honest 404;
// - once nothing is in flight, `status` says `live` exactly when an addressee's fetch
//   answers 200 with those bytes (never `live` for bytes nobody can fetch, never a
//   503 `retry` for ever);
// - no 500, and only the documented answers per route;
// - `fetch_count` is the number of distinct fetchers.
//
// GFMS_FUZZ_SEED replays a run's choices (not its timing); GFMS_FUZZ_ROUNDS sets its length.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import { RELAYS, newGroup, id, put, get, status, ack, list, del, b64url, prng } from "./lib.mjs";

const B = RELAYS[1];
const ROUNDS = Number(process.env.GFMS_FUZZ_ROUNDS ?? "25");
const OPS = 40;
const MEMBERS = 6;
const SHARES = 3;
const VARIANTS = 3;

const ALLOWED = {
  put: [200, 201, 409, 503],
  get: [200, 404, 503],
  ack: [200],
  del: [200],
  status: [200],
  list: [200],
};

function roundPlan(rand) {
  const int = (n) => Math.floor(rand() * n);
  const pick = (xs) => xs[int(xs.length)];
  const members = Array.from({ length: MEMBERS }, id);
  const shares = Array.from({ length: SHARES }, () => ({
    sid: id(),
    variants: Array.from({ length: VARIANTS }, () => {
      const bytes = new Uint8Array(1 + int(2048)).map(() => int(256));
      return b64url(bytes);
    }),
    accepted: new Set(),
  }));
  const recipientsChoices = [[], members.slice(0, 3), members];
  const ops = [];
  // The reported race: six puts of different bytes under one fresh id at once.
  const hot = shares[0];
  for (let i = 0; i < 6; i++) ops.push({ kind: "put", share: hot, variant: i % VARIANTS, recipients: pick(recipientsChoices) });
  while (ops.length < OPS) {
    const share = pick(shares);
    const r = rand();
    if (r < 0.4) ops.push({ kind: "put", share, variant: int(VARIANTS), recipients: pick(recipientsChoices) });
    else if (r < 0.65) ops.push({ kind: "get", share, member: pick(members) });
    else if (r < 0.8) ops.push({ kind: "ack", shares: shares.filter(() => rand() < 0.6), member: pick(members) });
    else if (r < 0.87) ops.push({ kind: "del", share });
    else if (r < 0.95) ops.push({ kind: "status" });
    else ops.push({ kind: "list", member: pick(members) });
  }
  // Shuffle, but keep the hot puts together at the front so they really overlap.
  const rest = ops.slice(6);
  for (let i = rest.length - 1; i > 0; i--) {
    const j = int(i + 1);
    [rest[i], rest[j]] = [rest[j], rest[i]];
  }
  return { members, shares, ops: [...ops.slice(0, 6), ...rest] };
}

async function runOp(g, shares, op) {
  switch (op.kind) {
    case "put": {
      const res = await put(g, op.share.sid, Buffer.from(op.share.variants[op.variant], "base64url"), op.recipients);
      if (res.status === 200 || res.status === 201) op.share.accepted.add(op.share.variants[op.variant]);
      return res;
    }
    case "get":
      return get(g, op.share.sid, op.member);
    case "ack":
      return ack(g, op.member, op.shares.map((s) => s.sid));
    case "del":
      return del(g, op.share.sid);
    case "status":
      return status(g, shares.map((s) => s.sid));
    default:
      return list(g, op.member);
  }
}

test(`Racing members: ${ROUNDS} rounds of ${OPS} concurrent operations keep shares fetchable and byte-identical`, { timeout: 300_000 }, async () => {
  const seed = Number(process.env.GFMS_FUZZ_SEED ?? randomInt(2 ** 31));
  console.log(`fuzz seed ${seed} (replay its choices with GFMS_FUZZ_SEED=${seed})`);
  const rand = prng(seed);
  const failures = [];
  for (let round = 0; round < ROUNDS && failures.length === 0; round++) {
    const g = await newGroup(B);
    const { members, shares, ops } = roundPlan(rand);
    const fetched = [];
    await Promise.all(
      ops.map(async (op) => {
        const res = await runOp(g, shares, op);
        if (!ALLOWED[op.kind].includes(res.status)) {
          failures.push(`round ${round}: ${op.kind} answered ${res.status} ${JSON.stringify(res.json)}`);
        }
        if (op.kind === "get" && res.status === 200) fetched.push({ share: op.share, data: res.json.data });
      }),
    );
    for (const f of fetched) {
      if (!f.share.accepted.has(f.data)) failures.push(`round ${round}: a fetch of ${f.share.sid} returned bytes no accepted put brought`);
    }

    // Settled: status and fetch must agree, share by share.
    const st = await status(g, shares.map((s) => s.sid));
    assert.equal(st.status, 200);
    for (const [i, s] of st.json.shares.entries()) {
      const share = shares[i];
      assert.equal(s.fetch_count, s.fetchers.length, "s_i counts distinct fetchers");
      assert.equal(new Set(s.fetchers).size, s.fetchers.length, "fetchers are distinct");
      const addressee = s.recipients.length > 0 ? s.recipients[0] : members[0];
      const res = await get(g, share.sid, addressee);
      if (s.live) {
        if (res.status !== 200) {
          failures.push(`round ${round}: status says ${share.sid} is live, but a fetch answers ${res.status} ${JSON.stringify(res.json)}`);
        } else if (!share.accepted.has(res.json.data)) {
          failures.push(`round ${round}: ${share.sid} serves bytes no accepted put brought`);
        }
      } else if (res.status !== 404) {
        failures.push(`round ${round}: status says ${share.sid} is not live, but a fetch answers ${res.status}`);
      }
    }
  }
  assert.deepEqual(failures, [], `seed ${seed}`);
});
