// The first-screen module (./view, client-wasm/view) must never show a group otherwise
// than the core does: for the same saved group, the same state, expenses, balances and
// plans, on the real wasm of both. (Every state the sync engine's adversarial tests save
// is checked the same way in Rust: client-wasm/sync/tests/sim/view.rs.)
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { isoDate } from "./format";
import type { Filter, GroupApi } from "./types";
import { initView, openView } from "./view";
import { core, expense, lisbon, round } from "../test/groups";

const wasmDir = join(dirname(fileURLToPath(import.meta.url)), "../wasm");

beforeAll(async () => {
  await initView(readFileSync(join(wasmDir, "gfms_view_bg.wasm")));
});

/** The first of the month `back` months ago. */
function firstOf(back: number): string {
  const now = new Date();
  return isoDate(new Date(now.getFullYear(), now.getMonth() - back, 1));
}

const FILTERS: Filter[] = [{}, { category: "Food" }, { text: "bakery" }, { from: "2026-01-01", to: "2026-12-31" }];

function expectSameAsCore(api: GroupApi) {
  const view = openView(api.save());
  expect(view).not.toBeNull();
  if (!view) return;
  const { device: _device, ...state } = api.state();
  expect(view.state()).toEqual(state);
  expect(view.balances()).toEqual(api.balances());
  expect(view.settleUp()).toEqual(api.settleUp());
  expect(view.settleUpWithDetails()).toEqual(api.settleUpWithDetails());
  for (const f of FILTERS) expect(view.expenses(f)).toEqual(api.expenses(f));
  expect(view.me()).toBe(api.me());
  expect(view.name()).toBe(api.name());
  expect(view.lastSyncMs()).toBe(api.lastSyncMs());
}

describe("the first screen's module", () => {
  it("shows a saved group as the core does: expenses, a series, payments, a placeholder, a removed member", async () => {
    const trip = await lisbon();
    const { ann, bob, bobId, net } = trip;
    const annId = ann.me();
    ann.addExpense(expense(annId, [annId, bobId], 1250, "Bakery"), net.clock.now);
    ann.addExpense({ ...expense(bobId, [annId, bobId], 4001, "Market"), payers: [[bobId, 2000], [annId, 2001]] }, net.clock.now);
    ann.addRecurring(
      { template: { ...expense(annId, [annId, bobId], 90000, "Rent"), date: firstOf(2) }, schedule: { unit: "month", every: 1, start: firstOf(2) } },
      net.clock.now,
    );
    ann.setPaymentDetails(annId, { paypal: "annlisbon" }, net.clock.now);
    ann.recordSettlement({ from: bobId, to: annId, amount: 500, currency: "EUR", date: "2026-01-03" }, net.clock.now);
    const dan = ann.addPlaceholder("Dan", net.clock.now);
    ann.addExpense(expense(annId, [annId, bobId, dan], 999, "Ferry"), net.clock.now);
    expectSameAsCore(ann);
    const shown = openView(ann.save())?.state();
    expect(Object.keys(shown?.instances ?? {}).length).toBeGreaterThan(1); // the rent, due monthly
    expect(Object.keys(shown?.expenses ?? {}).length).toBeGreaterThan(3);
    await round(ann, net);
    await round(bob, net);
    expectSameAsCore(bob); // what arrived, as the receiving device saved it
    ann.removeMember(dan, net.clock.now);
    expectSameAsCore(ann);
    // and the saved state reloaded by the core reads the same
    expectSameAsCore(core.load(ann.save()));
  });

  it("leaves to the core a saved state it would change on load (batches kept unread)", async () => {
    const { ann } = await lisbon();
    const saved = JSON.parse(ann.save()) as Record<string, unknown>;
    saved.unread = { batch: "AAAA" };
    expect(openView(JSON.stringify(saved))).toBeNull();
  });

  it("refuses what is not a saved group, with a code", () => {
    expect(() => openView("{}")).toThrow(expect.objectContaining({ code: "bad_state" }) as Error);
  });
});
