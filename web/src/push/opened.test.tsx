// @vitest-environment happy-dom
// Tapping a notification: the service worker opens `?group=…&record=…` (public/push-sw.js)
// and the app shows that group and that record, on the real core over the fake network.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { memoryStore } from "../core/storage";
import { core, expense, lisbon, RELAYS, round } from "../test/groups";
import { Shell } from "../ui/Shell";
import { GROUP_NOT_HERE, notificationTarget, RECORD_DELETED, RECORD_GONE } from "./opened";

afterEach(() => {
  cleanup();
  history.replaceState(null, "", "/");
});

/** Ann's phone holding Lisbon and another group (current), opened from `url`. */
async function tapped(trip: Awaited<ReturnType<typeof lisbon>>, url: (group: string) => string) {
  const store = memoryStore();
  await store.saveGroup(trip.ann, 0);
  const other = core.create({ name: "Flat", memberName: "Ann", currency: "EUR", relays: RELAYS, k: 2, nowMs: trip.net.clock.now });
  await store.saveGroup(other, 0);
  await store.setCurrent(other.groupKey());
  history.replaceState(null, "", url(trip.ann.groupKey()));
  render(<Shell factory={core} store={store} kernel="simd128" autoSync={false} fetchFn={trip.net.fetch} />);
  await screen.findByTestId("add-expense");
  return store;
}

async function syncOnce() {
  fireEvent.click(screen.getByTestId("sync-indicator"));
  const button = (await screen.findByTestId("sync-now")) as HTMLButtonElement;
  fireEvent.click(button);
  await waitFor(() => expect(button.textContent).toBe("Sync now"));
  fireEvent.keyDown(document, { key: "Escape" });
}

describe("a tapped notification opens what it says", () => {
  it("opens its group (not the current one) and the expense's editor, and leaves the address clean", async () => {
    const trip = await lisbon();
    const id = trip.bob.addExpense(expense(trip.bobId, [trip.bobId, trip.ann.me()], 3240, "Pizza"), trip.net.clock.now);
    await round(trip.bob, trip.net);
    await round(trip.ann, trip.net);
    const store = await tapped(trip, (g) => `/?group=${g}&record=${id}`);
    await screen.findByTestId("expense-editor", {}, { timeout: 5000 }); // the editor loads lazily
    expect((screen.getByLabelText("Shop") as HTMLInputElement).value).toBe("Pizza");
    expect(screen.getByTestId("group-switch").textContent).toContain("Lisbon");
    expect(await store.getCurrent()).toBe(trip.ann.groupKey());
    expect(location.search).toBe("");
  });

  it("Slow relay: the notification came before the expense; it opens once the first round brings it", async () => {
    const trip = await lisbon();
    const id = trip.bob.addExpense(expense(trip.bobId, [trip.bobId], 1200, "Kiosk"), trip.net.clock.now);
    await round(trip.bob, trip.net);
    await tapped(trip, (g) => `/?group=${g}&record=${id}`);
    expect(screen.queryByTestId("expense-editor")).toBeNull();
    await syncOnce();
    await screen.findByTestId("expense-editor", {}, { timeout: 5000 }); // the editor loads lazily
    expect((screen.getByLabelText("Shop") as HTMLInputElement).value).toBe("Kiosk");
  });

  it("a deleted expense: says so and opens the activity, where it can be restored", async () => {
    const trip = await lisbon();
    const id = trip.bob.addExpense(expense(trip.bobId, [trip.bobId], 700, "Bar"), trip.net.clock.now);
    trip.bob.deleteExpense(id, trip.net.clock.now + 1);
    await round(trip.bob, trip.net);
    await tapped(trip, (g) => `/?group=${g}&record=${id}`);
    await syncOnce();
    expect(await screen.findByText(RECORD_DELETED)).toBeTruthy();
    expect(await screen.findByTestId("activity")).toBeTruthy();
    expect(screen.getByTestId("restore")).toBeTruthy();
    expect(screen.queryByTestId("expense-editor")).toBeNull();
  });

  it("Slow relay: a record that has not arrived after the round says so, instead of opening nothing silently", async () => {
    const trip = await lisbon();
    await tapped(trip, (g) => `/?group=${g}&record=01a22eb1-a744-70fe-ac5b-7df4b99aa4c3`);
    await syncOnce();
    expect(await screen.findByText(RECORD_GONE)).toBeTruthy();
    expect(screen.queryByTestId("expense-editor")).toBeNull();
  });

  it("a settle-up opens the balances", async () => {
    const trip = await lisbon();
    const id = trip.bob.recordSettlement({ from: trip.bobId, to: trip.ann.me(), amount: 1000, currency: "EUR", date: "2026-01-03" }, trip.net.clock.now);
    await round(trip.bob, trip.net);
    await round(trip.ann, trip.net);
    await tapped(trip, (g) => `/?group=${g}&record=${id}`);
    await waitFor(() => expect(screen.getByRole("button", { name: "Balances" }).getAttribute("aria-current")).toBe("page"));
  });

  it("Hostile member: a group not on this phone, or a malformed link, says so and opens the current group", async () => {
    const trip = await lisbon();
    await tapped(trip, () => `/?group=${"ab".repeat(16)}&record=01a22eb1-a744-70fe-ac5b-7df4b99aa4c3`);
    expect(await screen.findByText(GROUP_NOT_HERE)).toBeTruthy();
    expect(screen.getByTestId("group-switch").textContent).toContain("Flat");
    expect(notificationTarget("?group=<script>&record=1")).toBeNull();
    expect(notificationTarget("?group=ab&record=x<y")).toEqual({ group: "ab", record: null });
  });
});
