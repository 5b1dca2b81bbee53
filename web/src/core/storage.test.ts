import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { core, RELAYS } from "../test/groups";
import { idbStore, memoryStore, StaleWrite, type Store } from "./storage";

const group = (name: string, currency = "EUR") => core.create({ name, memberName: "Ann", currency, relays: RELAYS, k: 2, nowMs: 1 });

describe("IndexedDB storage", () => {
  it("keeps groups, their names and the current one", async () => {
    const store = idbStore();
    const a = group("Trip");
    const b = group("Flat", "GBP");
    expect(await store.saveGroup(a, 0)).toBe(1);
    await store.saveGroup(b, 0);
    await store.setCurrent(b.groupKey());
    expect((await store.listGroups()).map((g) => g.name).sort()).toEqual(["Flat", "Trip"]);
    expect(await store.getCurrent()).toBe(b.groupKey());
    const saved = await store.loadGroup(a.groupKey());
    expect(saved && core.load(saved.saved).name()).toBe("Trip");
    // a second handle sees the same data (a reload)
    await idbStore().deleteGroup(b.groupKey());
    expect(await store.getCurrent()).toBeUndefined();
    expect((await store.listGroups()).map((g) => g.name)).toEqual(["Trip"]);
    expect(await store.loadGroup("nope")).toBeUndefined();
  });
});

for (const [kind, make] of [
  ["IndexedDB", idbStore],
  ["memory", memoryStore],
] as [string, () => Store][]) {
  describe(`${kind} storage, Two writers`, () => {
    it("never saves a copy over a newer revision", async () => {
      const store = make();
      const api = group("Flat");
      await store.saveGroup(api, 0);
      const tabA = core.load((await store.loadGroup(api.groupKey()))?.saved ?? "");
      const tabB = core.load((await store.loadGroup(api.groupKey()))?.saved ?? "");
      tabB.renameMember(tabB.me(), "Bea", 2);
      expect(await store.saveGroup(tabB, 1)).toBe(2);
      tabA.renameMember(tabA.me(), "Ann A.", 3);
      await expect(store.saveGroup(tabA, 1)).rejects.toBeInstanceOf(StaleWrite);
      const kept = core.load((await store.loadGroup(api.groupKey()))?.saved ?? "");
      expect(kept.state().members[kept.me()]?.name).toBe("Bea");
      // a second "new" group under the same key is refused too
      await expect(store.saveGroup(api, 0)).rejects.toBeInstanceOf(StaleWrite);
    });
  });
}
