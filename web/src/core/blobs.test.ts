import "fake-indexeddb/auto";
import { openDB } from "idb";
import { describe, expect, it } from "vitest";
import { idbBlobs, keepReceived, memoryBlobs, type BlobStore } from "./blobs";
import type { GroupApi } from "./types";
import { idbStore } from "./storage";
import { core, RELAYS } from "../test/groups";

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
