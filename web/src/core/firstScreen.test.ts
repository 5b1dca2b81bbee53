// The first screen (./firstScreen): the current group read by the first-screen module
// while the core loads. It must show what the core would, and leave to the core what only
// the core may open.
import { describe, expect, it } from "vitest";
import { core, expense, lisbon } from "../test/groups";
import { browserChannel, GroupDoc } from "./doc";
import { readFirstScreen } from "./firstScreen";
import { localLocks } from "./locks";
import { memoryStore } from "./storage";

describe("the first screen, before the core", () => {
  it("Slow network: shows the current group's name, balances and expenses as the core does", async () => {
    const { ann, bobId } = await lisbon();
    const me = ann.me();
    ann.addExpense(expense(me, [me, bobId], 1250, "Bakery"), 1);
    ann.addExpense(expense(bobId, [me, bobId], 4001, "Market"), 2);
    const store = memoryStore();
    await store.saveGroup(ann, 0);
    await store.setCurrent(ann.groupKey());
    const shown = await readFirstScreen(store);
    const reloaded = core.load(ann.save());
    expect(shown?.name).toBe(reloaded.name());
    expect(shown?.balances).toEqual(reloaded.balances());
    expect(shown?.expenses).toEqual(reloaded.expenses({}));
  });

  it("shows nothing when no group is held (the core's onboarding comes next)", async () => {
    expect(await readFirstScreen(memoryStore())).toBeNull();
  });

  it("Ageing device: a group saved before member keys waits for the core, which opens it", async () => {
    const { ann } = await lisbon();
    const me = ann.me();
    ann.addExpense(expense(me, [me], 700, "Old phone"), 1);
    const store = memoryStore();
    await store.saveGroup(ann, 0);
    const row = store.groups.get(ann.groupKey());
    if (!row) throw new Error("not saved");
    const saved = JSON.parse(row.saved) as Record<string, unknown>;
    delete saved.member_keys;
    store.groups.set(ann.groupKey(), { ...row, saved: JSON.stringify(saved) });
    expect(await readFirstScreen(store)).toBeNull();
    const doc = await GroupDoc.open({ factory: core, store, locks: localLocks(), channel: browserChannel }, ann.groupKey());
    expect(doc?.api.name()).toBe(ann.name());
    doc?.close();
  });
});
