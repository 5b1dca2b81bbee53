// Groups on the real core for the tests: members join and catch up over the fake
// network, as their phones would.
import { runSync } from "../core/sync/driver";
import { loadCore } from "../core/wasm";
import type { Expense, GroupApi, GroupFactory, MemberId } from "../core/types";
import { FakeNetwork } from "./network";

export const RELAYS = ["https://r1.example", "https://r2.example", "https://r3.example"];

export const core: GroupFactory = await loadCore();

/** One sync round of `api` over `net`, saving nowhere (the test keeps the object). */
export function round(api: GroupApi, net: FakeNetwork) {
  return runSync(api, async () => {}, net.fetch, () => net.clock.now);
}

export interface Trip {
  net: FakeNetwork;
  ann: GroupApi;
  bob: GroupApi;
  /** Bob's member id */
  bobId: MemberId;
}

/** Ann's group "Lisbon" (EUR) with Bob joined and both caught up. */
export async function lisbon(opts: { bobName?: string; k?: number } = {}): Promise<Trip> {
  const net = new FakeNetwork(RELAYS);
  const ann = core.create({ name: "Lisbon", memberName: "Ann", currency: "EUR", relays: RELAYS, k: opts.k ?? 2, nowMs: net.clock.now });
  await round(ann, net);
  const bob = core.join(ann.inviteCode(), opts.bobName ?? "Bob", net.clock.now);
  await round(bob, net); // Bob announces himself
  await round(ann, net); // Ann hears of him and answers with the history
  await round(bob, net); // Bob gets it
  await round(ann, net); // Ann sees Bob has it
  return { net, ann, bob, bobId: bob.me() };
}

/** An expense Ann paid, split equally between `members`. */
export function expense(payer: MemberId, members: MemberId[], amount: number, shop: string, date = "2026-01-02"): Expense {
  return { amount, currency: "EUR", category: "Food", shop, account: "Card", payers: [[payer, amount]], split: { kind: "equal", members }, date, note: "" };
}
