// A change or a pushed record that could not be saved does not stay on the screen: the
// document goes back to what was last saved, so the user's retry is not a second copy and
// the screen never shows what a restart would not (docs/latency.md "Tap → the other phone").
import { describe, expect, it } from "vitest";
import { core, expense, lisbon, round } from "../test/groups";
import type { FakeNetwork } from "../test/network";
import { GroupDoc, type Channel } from "./doc";
import { localLocks } from "./locks";
import { memoryStore, type Store } from "./storage";
import type { GroupApi } from "./types";

const shops = (api: GroupApi) => api.expenses({}).map(([, e]) => e.shop);

/** A channel whose messages never arrive (another tab's word that is late or lost). */
const silent = (): Channel => ({ postMessage() {}, addEventListener() {}, removeEventListener() {}, close() {} });

/** Another tab, of a newer version, saves the group in a form this version cannot read. */
function newerTabSaves(store: ReturnType<typeof memoryStore>, key: string): void {
  const row = store.groups.get(key);
  if (!row) throw new Error("not saved");
  store.groups.set(key, { ...row, rev: (row.rev ?? 0) + 1, saved: JSON.stringify({ format: 99, from: "a newer version" }) });
}

/** The store, refusing the next `n` saves (the device's storage is full). */
function full(store: Store, n: number): Store {
  let refusals = n;
  return {
    ...store,
    saveGroup(...args) {
      if (refusals > 0) {
        refusals -= 1;
        return Promise.reject(new DOMException("The quota has been exceeded.", "QuotaExceededError"));
      }
      return store.saveGroup(...args);
    },
  };
}

/** The shares a round put since `before`, with the push socket each came on. */
function pushes(net: FakeNetwork, api: GroupApi, before: Set<string>) {
  const socket = (relay: string) => api.pushEndpoints().find(([u]) => u.startsWith(relay.replace(/^http/, "ws")))?.[0] ?? "";
  return net.relays.flatMap((r) => [...r.groups.values()].flatMap((g) => [...g.shares].filter(([id]) => !before.has(id)).map(([id, s]) => ({ socket: socket(r.url), id, bytes: s.data }))));
}
const shareIds = (net: FakeNetwork) => new Set(net.relays.flatMap((r) => [...r.groups.values()].flatMap((g) => [...g.shares.keys()])));

describe("what could not be saved is not shown", () => {
  it("Older or newer version: a change made on a copy that had not heard of a newer tab's save, which this version cannot read, fails and is not left on the screen", async () => {
    const { ann } = await lisbon();
    const me = ann.me();
    const store = memoryStore();
    await store.saveGroup(ann, 0);
    const doc = await GroupDoc.open({ factory: core, store, locks: localLocks(), channel: silent }, ann.groupKey());
    if (!doc) throw new Error("not saved");
    newerTabSaves(store, doc.key); // its word on the channel does not arrive
    await expect(doc.write((api, now) => api.addExpense(expense(me, [me], 500, "Never saved"), now))).rejects.toThrow();
    expect(shops(doc.api)).not.toContain("Never saved");
    doc.close();
  });

  it("Crash at any step: a save refused (storage full) fails the change, and the user's second try saves it once", async () => {
    const { ann } = await lisbon();
    const me = ann.me();
    const shared = memoryStore();
    await shared.saveGroup(ann, 0);
    const doc = await GroupDoc.open({ factory: core, store: full(shared, 1), locks: localLocks(), channel: silent }, ann.groupKey());
    if (!doc) throw new Error("not saved");
    const dinner = (api: GroupApi, now: number) => api.addExpense(expense(me, [me], 4200, "Dinner"), now);
    await expect(doc.write(dinner)).rejects.toThrow();
    expect(shops(doc.api)).not.toContain("Dinner"); // the screen shows the failure as it is
    await doc.write(dinner); // the user taps Save again
    expect(shops(doc.api).filter((s) => s === "Dinner")).toHaveLength(1);
    expect(shops(core.load(shared.groups.get(doc.key)?.saved ?? "")).filter((s) => s === "Dinner")).toHaveLength(1);
    doc.close();
  });

  it("Older or newer version: a pushed record drawn before its save, which finds a newer tab's revision this version cannot read, is taken off the screen again", async () => {
    const { net, ann, bob, bobId } = await lisbon();
    const store = memoryStore();
    await store.saveGroup(bob, 0);
    const doc = await GroupDoc.open({ factory: core, store, locks: localLocks(), channel: silent }, bob.groupKey());
    if (!doc) throw new Error("not saved");
    const before = shareIds(net);
    ann.addExpense(expense(ann.me(), [ann.me(), bobId], 1250, "Bakery"), net.clock.now);
    await round(ann, net);
    const [a, b] = pushes(net, doc.api, before);
    if (!a || !b) throw new Error("no shares put");
    newerTabSaves(store, doc.key);
    let redrawn = 0;
    doc.subscribe(() => (redrawn += 1));
    let drawn = false;
    expect(await doc.offer(a.socket, a.id, a.bytes)).toBe(false);
    expect(await doc.offer(b.socket, b.id, b.bytes, () => (drawn = true))).toBe(false);
    expect(drawn).toBe(true);
    expect(shops(doc.api)).not.toContain("Bakery");
    expect(redrawn).toBeGreaterThan(0); // the screen is told to draw again
    doc.close();
  });
});
