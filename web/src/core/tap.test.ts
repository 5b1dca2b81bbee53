// A tap's way to the other phone, and the orders that keep it losing nothing now that the
// screen goes first where it can (docs/latency.md "Tap → the other phone"): the receiver
// draws a pushed record before saving it, and a tab writes on its copy without reading the
// store first while no other tab has said it saved.
import { describe, expect, it } from "vitest";
import { core, expense, lisbon, round, RELAYS } from "../test/groups";
import type { FakeNetwork } from "../test/network";
import { GroupDoc, type Channel, type DocEnv } from "./doc";
import { localLocks } from "./locks";
import { memoryStore, type Store } from "./storage";
import type { GroupApi } from "./types";

const shops = (api: GroupApi) => api.expenses({}).map(([, e]) => e.shop);

/** The shares put at each relay since `before` (relay URL, share id, bytes). */
function shareIds(net: FakeNetwork): Set<string> {
  return new Set(net.relays.flatMap((r) => [...r.groups.values()].flatMap((g) => [...g.shares.keys()])));
}
function putSince(net: FakeNetwork, before: Set<string>): { relay: string; id: string; bytes: string }[] {
  return net.relays.flatMap((r) => [...r.groups.values()].flatMap((g) => [...g.shares].filter(([id]) => !before.has(id)).map(([id, s]) => ({ relay: r.url, id, bytes: s.data }))));
}
const socket = (api: GroupApi, relay: string) => api.pushEndpoints().find(([u]) => u.startsWith(relay.replace(/^http/, "ws")))?.[0] ?? "";
const acks = (net: FakeNetwork) => net.relays.flatMap((r) => r.log).filter((l) => /\/acks$/.test(l)).length;

/** A channel whose messages never arrive (another tab's word that is late). */
const silent = (): Channel => ({ postMessage() {}, addEventListener() {}, removeEventListener() {}, close() {} });

/** The store, counting the loads. */
function counting(store: Store): Store & { loads: number } {
  const out = Object.assign(Object.create(null) as object, store, { loads: 0 }) as Store & { loads: number };
  out.loadGroup = (key) => {
    out.loads += 1;
    return store.loadGroup(key);
  };
  return out;
}

describe("a tap's way to the other phone", () => {
  it("Crashing device: the receiver draws a pushed record before its save; killed right then, it acked nothing, and the record comes again after the restart, once", async () => {
    const { net, ann, bob, bobId } = await lisbon();
    const store = memoryStore();
    await store.saveGroup(bob, 0);
    const env: DocEnv = { factory: core, store, locks: localLocks(), channel: () => null };
    const doc = await GroupDoc.open(env, bob.groupKey());
    if (!doc) throw new Error("not saved");
    const before = shareIds(net);
    ann.addExpense(expense(ann.me(), [ann.me(), bobId], 1250, "Bakery"), net.clock.now);
    await round(ann, net);
    const [a, b] = putSince(net, before);
    if (!a || !b) throw new Error("no shares put");

    expect(await doc.offer(socket(doc.api, a.relay), a.id, a.bytes)).toBe(false); // one share: held
    const acksBefore = acks(net);
    let atDraw: { shown: string[]; saved: string; acks: number } | null = null;
    const merged = await doc.offer(socket(doc.api, b.relay), b.id, b.bytes, () => {
      // the screen draws now; the page is killed before the save below completes
      atDraw = { shown: shops(doc.api), saved: store.groups.get(doc.key)?.saved ?? "", acks: acks(net) };
    });
    expect(merged).toBe(true);
    if (!atDraw) throw new Error("not drawn");
    const drawn = atDraw as { shown: string[]; saved: string; acks: number };
    expect(drawn.shown).toContain("Bakery");
    expect(drawn.acks).toBe(acksBefore); // no ack before the save

    // restarted from what was saved when it died: the record is not there, the relays still hold it for Bob
    const restarted = core.load(drawn.saved);
    expect(shops(restarted)).not.toContain("Bakery");
    expect((await round(ann, net)).pending.length).toBeGreaterThan(0);
    await round(restarted, net);
    expect(shops(restarted).filter((s) => s === "Bakery")).toHaveLength(1);
    await round(ann, net);
    expect((await round(ann, net)).pending).toEqual([]);
    doc.close();
  });

  it("Two writers: a tab that has not heard of the other's save writes on its copy without reading; the revision check makes it write again on the newest, nothing lost", async () => {
    const { ann } = await lisbon();
    const me = ann.me();
    const shared = memoryStore();
    await shared.saveGroup(ann, 0);
    const store = counting(shared);
    const env = (channel: () => Channel | null): DocEnv => ({ factory: core, store, locks: localLocks(), channel });
    const a = await GroupDoc.open(env(silent), ann.groupKey());
    const b = await GroupDoc.open(env(silent), ann.groupKey());
    if (!a || !b) throw new Error("not saved");
    const loads = store.loads;
    await a.write((api, now) => api.addExpense(expense(me, [me], 100, "First"), now));
    expect(store.loads).toBe(loads); // its copy is the newest it knows of: no read before the write
    await b.write((api, now) => api.addExpense(expense(me, [me], 200, "Elsewhere"), now)); // B's copy is stale: made again
    await a.write((api, now) => api.addExpense(expense(me, [me], 300, "Late word"), now)); // A has not heard of B's save
    const saved = core.load((await shared.loadGroup(ann.groupKey()))?.saved ?? "");
    expect(shops(saved).sort()).toEqual(["Elsewhere", "First", "Late word"]);
    expect(shops(a.api).sort()).toEqual(["Elsewhere", "First", "Late word"]);
    a.close();
    b.close();
  });

  it("Crashing device: a change's round starts inside the write's hold once the change is saved, and puts nothing before its own save", async () => {
    const { net, ann } = await lisbon();
    const me = ann.me();
    const store = memoryStore();
    await store.saveGroup(ann, 0);
    const doc = await GroupDoc.open({ factory: core, store, locks: localLocks(), channel: () => null }, ann.groupKey());
    if (!doc) throw new Error("not saved");
    // what the store held at the moment of each put: the change and its batch, both saved first
    const atPut: string[][] = [];
    const watching: typeof net.fetch = async (url, init) => {
      if (/\/shares\/[0-9a-f]+$/.test(url) && (init.method === "PUT" || init.method === "POST")) atPut.push(shops(core.load(store.groups.get(doc.key)?.saved ?? "")));
      return net.fetch(url, init);
    };
    let round: Promise<unknown> = Promise.resolve();
    await doc.write(
      (api, now) => api.addExpense(expense(me, [me], 990, "Dinner"), now),
      () => (round = doc.sync(watching, true)), // as the app does: inside the hold, so no skip
    );
    expect(shops(core.load(store.groups.get(doc.key)?.saved ?? ""))).toContain("Dinner");
    expect(await round).not.toBeNull();
    expect(atPut).toHaveLength(RELAYS.length);
    for (const held of atPut) expect(held).toContain("Dinner");
    doc.close();
  });
});
