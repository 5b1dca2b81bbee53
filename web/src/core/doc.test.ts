// Two tabs of the app on one device hold the same group (or the installed app beside a
// Safari tab). Each tab is a GroupDoc over the one shared store.
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { core, expense, lisbon, round } from "../test/groups";
import { announceRemoved, browserChannel, GroupDoc, type Channel, type DocEnv } from "./doc";
import { localLocks, type Locks } from "./locks";
import { idbStore, memoryStore, type Store } from "./storage";

async function twoTabs(locksA: Locks, locksB: Locks = locksA, lockWaitMs?: number, store: Store = memoryStore()) {
  const trip = await lisbon();
  await store.saveGroup(trip.ann, 0);
  const env = (locks: Locks): DocEnv => ({ factory: core, store, locks, channel: browserChannel, ...(lockWaitMs ? { lockWaitMs } : {}) });
  const a = await GroupDoc.open(env(locksA), trip.ann.groupKey());
  const b = await GroupDoc.open(env(locksB), trip.ann.groupKey());
  if (!a || !b) throw new Error("not saved");
  return { ...trip, store, a, b };
}

const shops = (api: { expenses: (f: object) => [string, { shop: string }][] }) =>
  api
    .expenses({})
    .map(([, e]) => e.shop)
    .sort();

describe("Two writers: two tabs of one device", () => {
  it("add expenses at once, with a sync in between: nothing is lost, both show the same list, the other phone gets every record", async () => {
    const { a, b, store, net, bob, ann } = await twoTabs(localLocks());
    const me = ann.me();
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 4; i++) {
      writes.push(a.write((api, now) => api.addExpense(expense(me, [me], 100 + i, `A${i}`), now)));
      writes.push(b.write((api, now) => api.addExpense(expense(me, [me], 200 + i, `B${i}`), now)));
      if (i === 1) writes.push(a.sync(net.fetch, false));
    }
    await Promise.all(writes);
    await b.sync(net.fetch, false);
    await a.refresh();
    await b.refresh();
    const all = ["A0", "A1", "A2", "A3", "B0", "B1", "B2", "B3"];
    expect(shops(a.api)).toEqual(all);
    expect(shops(b.api)).toEqual(all);
    const saved = await store.loadGroup(a.key);
    expect(shops(core.load(saved?.saved ?? ""))).toEqual(all);
    expect(saved?.rev).toBe(Math.max(a.rev, b.rev));
    // Bob's phone gets every record, once
    for (let i = 0; i < 2; i++) {
      await round(bob, net);
      await a.sync(net.fetch, false);
    }
    expect(shops(bob)).toEqual(all);
    a.close();
    b.close();
  });

  it("the other tab follows: it shows a change made in this tab without a reload", async () => {
    const { a, b, ann } = await twoTabs(localLocks());
    let told = 0;
    b.subscribe(() => (told += 1));
    await a.write((api, now) => api.addExpense(expense(ann.me(), [ann.me()], 700, "Seen elsewhere"), now));
    for (let i = 0; i < 50 && told === 0; i++) await new Promise((ok) => setTimeout(ok, 10));
    expect(told).toBeGreaterThan(0);
    expect(shops(b.api)).toEqual(["Seen elsewhere"]);
    a.close();
    b.close();
  });

  it("a round skipped because another tab holds the group: null at once, the user's own ask waits", async () => {
    const locks = localLocks();
    const { a, b, net, ann } = await twoTabs(locks);
    let release: () => void = () => {};
    // another tab (here: a bare lock holder) is busy with the group
    const held = locks.request(`gfms-group-${a.key}`, {}, () => new Promise<void>((ok) => (release = ok)));
    await new Promise((ok) => setTimeout(ok, 0));
    expect(await b.sync(net.fetch, true)).toBeNull();
    let written = false;
    const waiting = b.write((api, now) => api.addExpense(expense(ann.me(), [ann.me()], 1, "After"), now)).then(() => (written = true));
    await new Promise((ok) => setTimeout(ok, 20));
    expect(written).toBe(false);
    release();
    await held;
    await waiting;
    expect(shops(b.api)).toEqual(["After"]);
    a.close();
    b.close();
  });

  it("without Web Locks (each tab on its own), the revision check still loses nothing", async () => {
    const { a, b, store, ann } = await twoTabs(localLocks(), localLocks());
    const me = ann.me();
    await Promise.all([0, 1, 2].flatMap((i) => [a.write((api, now) => api.addExpense(expense(me, [me], 10, `A${i}`), now)), b.write((api, now) => api.addExpense(expense(me, [me], 20, `B${i}`), now))]));
    const saved = core.load((await store.loadGroup(a.key))?.saved ?? "");
    expect(shops(saved)).toEqual(["A0", "A1", "A2", "B0", "B1", "B2"]);
    a.close();
    b.close();
  });

  it("a tab frozen in the middle of a round (iOS suspends background tabs): the other tab's change goes ahead, and the frozen round cannot save over it", async () => {
    const { a, b, net, ann, bob, store } = await twoTabs(localLocks(), undefined, 50);
    const me = ann.me();
    await a.write((api, now) => api.addExpense(expense(me, [me], 100, "Before"), now));
    let thaw: () => void = () => {};
    const frozen = new Promise<void>((ok) => (thaw = ok));
    let calls = 0;
    const stuck: typeof net.fetch = async (url, init) => {
      if (++calls > 3) await frozen; // tab A freezes after its first requests
      return net.fetch(url, init);
    };
    const roundA = a.sync(stuck, false).then(
      () => "saved",
      (e: Error) => e.constructor.name,
    );
    await new Promise((ok) => setTimeout(ok, 20));
    await b.write((api, now) => api.addExpense(expense(me, [me], 200, "While A sleeps"), now));
    expect(shops(core.load((await store.loadGroup(a.key))?.saved ?? ""))).toEqual(["Before", "While A sleeps"]);
    thaw();
    // its save finds the newer revision: the round runs again on it, nothing is lost
    expect(await roundA).toBe("saved");
    expect(shops(a.api)).toEqual(["Before", "While A sleeps"]);
    expect(shops(core.load((await store.loadGroup(a.key))?.saved ?? ""))).toEqual(["Before", "While A sleeps"]);
    for (let i = 0; i < 2; i++) {
      await a.sync(net.fetch, false);
      await round(bob, net);
    }
    expect(shops(bob)).toEqual(["Before", "While A sleeps"]);
    a.close();
    b.close();
  });

  it("one tab: changes made while its own round saves are saved too, once each (the saves queue up)", async () => {
    const { a, b, net, ann, store } = await twoTabs(localLocks(), undefined, undefined, idbStore());
    const me = ann.me();
    const round = a.sync(net.fetch, false);
    const writes = [1, 2, 3, 4, 5].map(async (i) => {
      await new Promise((ok) => setTimeout(ok, i * 3));
      return a.write((api, now) => api.addExpense(expense(me, [me], i, `During ${i}`), now));
    });
    await Promise.all([round, ...writes]);
    const want = [1, 2, 3, 4, 5].map((i) => `During ${i}`);
    expect(shops(core.load((await store.loadGroup(a.key))?.saved ?? ""))).toEqual(want);
    expect(shops(a.api)).toEqual(want);
    a.close();
    b.close();
  });
});

describe("Two tabs: a group removed from the device in one", () => {
  it("Two tabs: the group is removed in one; the other leaves it at once, and nothing is written for it again", async () => {
    const { a, b, store, net, ann } = await twoTabs(localLocks());
    const me = ann.me();
    const left = new Promise<void>((done) => b.onRemoved(done));
    // tab A: Settings, "Remove from this phone"
    a.close();
    await store.deleteGroup(a.key);
    announceRemoved(browserChannel, a.key);
    await left; // tab B is told, without a read of its own (and no unhandled rejection)

    await expect(b.write((api, now) => api.addExpense(expense(me, [me], 300, "Too late"), now))).rejects.toMatchObject({ code: "removed_elsewhere" });
    await expect(b.sync(net.fetch, false)).rejects.toMatchObject({ code: "removed_elsewhere" });
    expect(await b.refresh()).toBe(false);
    expect(await store.loadGroup(b.key)).toBeUndefined();
    expect(await store.listGroups()).toEqual([]);
    b.close();
  });

  it("Two tabs: the group is removed in one whose word never arrives; the other finds out at its next read (focus), leaves it, and writes nothing", async () => {
    const trip = await lisbon();
    const store = memoryStore();
    await store.saveGroup(trip.ann, 0);
    const silent = (): Channel => ({ postMessage() {}, addEventListener() {}, removeEventListener() {}, close() {} });
    const b = await GroupDoc.open({ factory: core, store, locks: localLocks(), channel: silent }, trip.ann.groupKey());
    if (!b) throw new Error("not saved");
    let told = 0;
    b.onRemoved(() => (told += 1));
    await store.deleteGroup(b.key);
    expect(await b.refresh()).toBe(false); // the tab comes to the front
    expect(told).toBe(1);
    // a pushed share is not saved for it either
    expect(await b.offer("wss://r1.example/push", "share", "AAAA")).toBe(false);
    await expect(b.write((api, now) => api.addExpense(expense(trip.ann.me(), [trip.ann.me()], 300, "Too late"), now))).rejects.toMatchObject({ code: "removed_elsewhere" });
    expect(told).toBe(1);
    expect(store.groups.size).toBe(0);
    b.close();
  });
});
