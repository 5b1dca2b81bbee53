import "fake-indexeddb/auto";
import { openDB } from "idb";
import { describe, expect, it, vi } from "vitest";
import { idbBlobs, keepReceived, memoryBlobs, pruneReceipts, RECENT_RECEIPT_MS, type BlobStore } from "./blobs";
import type { GroupApi } from "./types";
import { idbStore, memoryStore } from "./storage";
import { core, expense, RELAYS } from "../test/groups";

for (const [kind, make] of [
  ["IndexedDB", idbBlobs],
  ["memory", memoryBlobs],
] as [string, () => BlobStore][]) {
  describe(`${kind} receipts store`, () => {
    it("keeps receipts by hash, counts what they use, drops full images on request", async () => {
      const store = make();
      let changes = 0;
      const off = store.subscribe(() => (changes += 1));
      await store.put(`${kind}-full`, new Uint8Array(200_000));
      await store.put(`${kind}-thumb`, new Uint8Array(12_000));
      expect((await store.get(`${kind}-full`))?.bytes?.length).toBe(200_000);
      expect(await store.usage()).toBeGreaterThanOrEqual(212_000);
      const before = await store.usage();
      expect(await store.drop([`${kind}-full`, "unknown"])).toBe(200_000);
      expect(await store.usage()).toBe(before - 200_000);
      // remembered as dropped, not as missing: the screen says the small image is kept
      const dropped = await store.get(`${kind}-full`);
      expect(dropped?.bytes).toBeUndefined();
      expect(dropped?.size).toBe(200_000);
      expect((await store.get(`${kind}-thumb`))?.bytes?.length).toBe(12_000);
      expect(changes).toBe(3);
      off();
    });
  });
}

describe("the database's upgrade to receipts", () => {
  it("Older or newer version: keeps the groups a version-1 database holds, and adds the receipts store", async () => {
    const name = "gfms";
    // this test's database starts as the app before receipts left it
    await new Promise<void>((done) => {
      const del = indexedDB.deleteDatabase(name);
      del.onsuccess = () => done();
      del.onerror = () => done();
    });
    const old = await openDB(name, 1, {
      upgrade(d) {
        d.createObjectStore("groups", { keyPath: "key" });
        d.createObjectStore("meta");
      },
    });
    const api = core.create({ name: "Trip", memberName: "Ann", currency: "EUR", relays: RELAYS, k: 2, nowMs: 1 });
    await old.put("groups", { key: api.groupKey(), name: "Trip", saved: api.save(), updatedMs: 1, rev: 1 });
    old.close();
    const store = idbStore();
    expect((await store.listGroups()).map((g) => g.name)).toEqual(["Trip"]);
    const blobs = idbBlobs();
    await blobs.put("h", new Uint8Array([1, 2, 3]));
    expect(await blobs.usage()).toBe(3);
    expect(await store.loadGroup(api.groupKey())).toBeDefined();
  });
});

describe("receipts a round completed", () => {
  it("are stored; one the phone has no room for waits for the next round instead of failing it", async () => {
    const store = memoryBlobs();
    let full = true;
    const cramped: BlobStore = { ...store, put: (h, b) => (full ? Promise.reject(new Error("QuotaExceededError")) : store.put(h, b)) };
    let given: [string, Uint8Array][] = [["a".repeat(64), new Uint8Array([1, 2])]];
    const api = { takeReceivedBlobs: () => given.splice(0) } as unknown as GroupApi;
    expect(await keepReceived(api, cramped)).toBe(0);
    full = false;
    given = [];
    expect(await keepReceived(api, cramped)).toBe(1);
    expect((await store.get("a".repeat(64)))?.bytes).toEqual(new Uint8Array([1, 2]));
  });
});

describe("receipts no group names any more", () => {
  for (const [kind, make] of [
    ["IndexedDB", () => idbBlobs("prune-two-groups")],
    ["memory", memoryBlobs],
  ] as [string, () => BlobStore][]) {
    it(`${kind}: two groups share one receipt: its bytes stay while either names it, and leave the phone once neither does; one that arrived lately with no event yet stays`, async () => {
      const store = memoryStore();
      const blobs = make();
      const photo = new Uint8Array(5000).fill(kind.length); // the same photo, attached in both groups
      const thumb = new Uint8Array(300).fill(7 + kind.length);
      const attach = (name: string) => {
        const api = core.create({ name, memberName: "Ann", currency: "EUR", relays: RELAYS, k: 2, nowMs: 1 });
        const id = api.addExpense(expense(api.me(), [api.me()], 1250, "Bakery"), 2);
        const at = api.attachReceipt(id, photo, "image/jpeg", "bakery.jpg", thumb, 3);
        return { api, id, ...at };
      };
      const trip = attach("Trip");
      const flat = attach("Flat");
      expect(flat.hash).toBe(trip.hash); // one record on the phone, by content
      await store.saveGroup(trip.api, 0);
      await store.saveGroup(flat.api, 0);
      await blobs.put(trip.hash, photo);
      await blobs.put(trip.thumb ?? "", thumb);
      const later = Date.now() + RECENT_RECEIPT_MS + 3600_000; // a week on, at a quiet time
      await blobs.put(`${kind}-orphan`, new Uint8Array(10)); // named by no event, a week old by then

      expect(await pruneReceipts(store, core, blobs, later)).toBe(1);
      expect(await blobs.get(`${kind}-orphan`)).toBeUndefined();
      expect((await blobs.get(trip.hash))?.bytes?.length).toBe(5000);

      trip.api.deleteExpense(trip.id, 4); // deleted in one group: the other still shows it
      await store.saveGroup(trip.api, 1);
      expect(await pruneReceipts(store, core, blobs, later)).toBe(0);
      expect((await blobs.get(trip.hash))?.bytes?.length).toBe(5000);

      // a receipt received an hour before the prune, whose expense's event has not arrived yet
      const now = vi.spyOn(Date, "now").mockReturnValue(later - 3600_000);
      await blobs.put(`${kind}-early`, new Uint8Array(10));
      now.mockRestore();
      flat.api.removeReceipt(flat.id, flat.hash, 5); // taken off in the other one too
      await store.saveGroup(flat.api, 1);
      expect(await pruneReceipts(store, core, blobs, Date.now() + 60_000)).toBe(0); // all of them recent then
      expect(await pruneReceipts(store, core, blobs, later)).toBe(2); // the photo and its preview
      expect(await blobs.get(trip.hash)).toBeUndefined();
      expect(await blobs.get(trip.thumb ?? "")).toBeUndefined();
      expect(await blobs.get(`${kind}-early`)).toBeDefined();
    });
  }

  it("a group this phone cannot open may name any receipt: nothing is deleted", async () => {
    const store = memoryStore();
    const blobs = memoryBlobs();
    const api = core.create({ name: "Trip", memberName: "Ann", currency: "EUR", relays: RELAYS, k: 2, nowMs: 1 });
    await store.saveGroup(api, 0);
    store.groups.set("newer", { key: "newer", name: "Saved by a newer version", updatedMs: 1, rev: 1, saved: JSON.stringify({ format: 99 }) });
    await blobs.put("old", new Uint8Array(10));
    expect(await pruneReceipts(store, core, blobs, Date.now() + 2 * RECENT_RECEIPT_MS)).toBeNull();
    expect(await blobs.get("old")).toBeDefined();
  });
});
