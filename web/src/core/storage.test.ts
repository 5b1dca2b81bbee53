import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { fakeFactory } from "./fake";
import { idbStore } from "./storage";

describe("IndexedDB storage", () => {
  it("keeps groups and the current one", async () => {
    const store = idbStore();
    const a = fakeFactory.create({ name: "Trip", memberName: "Ann", currency: "EUR", relays: ["https://a.example", "https://b.example"], k: 2, nowMs: 1 });
    const b = fakeFactory.create({ name: "Flat", memberName: "Ann", currency: "GBP", relays: ["https://a.example", "https://b.example"], k: 2, nowMs: 1 });
    await store.saveGroup(a);
    await store.saveGroup(b);
    await store.setCurrent(b.groupKey());
    expect((await store.listGroups()).map((g) => g.name).sort()).toEqual(["Flat", "Trip"]);
    expect(await store.getCurrent()).toBe(b.groupKey());
    const saved = await store.loadGroupSaved(a.groupKey());
    expect(saved && fakeFactory.load(saved).state().settings?.name).toBe("Trip");
    // a second handle sees the same data (a reload)
    await idbStore().deleteGroup(b.groupKey());
    expect(await store.getCurrent()).toBeUndefined();
    expect((await store.listGroups()).map((g) => g.name)).toEqual(["Trip"]);
    expect(await store.loadGroupSaved("nope")).toBeUndefined();
  });
});
