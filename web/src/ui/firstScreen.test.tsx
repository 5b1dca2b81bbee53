// @vitest-environment happy-dom
// The app opened while the core is still loading (issue 12): the current group shows
// read-only from the first-screen module, with nothing that writes; the group's own
// screen, with its buttons, takes over once the core is there.
import { cleanup, render, screen } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { memoryBlobs } from "../core/blobs";
import { browserChannel, GroupDoc } from "../core/doc";
import { localLocks } from "../core/locks";
import { memoryStore } from "../core/storage";
import { core, expense, lisbon } from "../test/groups";
import { Shell } from "./Shell";

afterEach(cleanup);

describe("opening before the core is loaded", () => {
  it("Slow network: the group's expenses show at once, read-only; the core's screen with its buttons follows", async () => {
    const trip = await lisbon();
    const me = trip.ann.me();
    trip.ann.addExpense(expense(me, [me, trip.bobId], 1250, "Bakery"), trip.net.clock.now);
    const store = memoryStore();
    await store.saveGroup(trip.ann, 0);
    await store.setCurrent(trip.ann.groupKey());
    const props = { store, blobs: memoryBlobs(), kernel: "loading…", autoSync: false, fetchFn: trip.net.fetch };
    const { rerender } = render(<Shell factory={null} {...props} />);
    const first = await screen.findByTestId("first-screen");
    expect(first.textContent).toContain("Bakery");
    expect(screen.queryByTestId("add-expense")).toBeNull(); // nothing writes before the core
    rerender(<Shell factory={core} {...props} />);
    await screen.findByTestId("add-expense");
    expect(screen.queryByTestId("first-screen")).toBeNull();
  });

  it("Two tabs: what another tab writes while this one shows the first screen is there once the core takes over, once", async () => {
    const trip = await lisbon();
    const me = trip.ann.me();
    const store = memoryStore();
    await store.saveGroup(trip.ann, 0);
    await store.setCurrent(trip.ann.groupKey());
    const props = { store, blobs: memoryBlobs(), kernel: "loading…", autoSync: false, fetchFn: trip.net.fetch };
    const { rerender } = render(<Shell factory={null} {...props} />);
    await screen.findByTestId("first-screen");
    const other = await GroupDoc.open({ factory: core, store, locks: localLocks(), channel: browserChannel }, trip.ann.groupKey());
    await other?.write((api, now) => api.addExpense(expense(me, [me], 321, "Written elsewhere"), now));
    other?.close();
    rerender(<Shell factory={core} {...props} />);
    await screen.findByTestId("add-expense");
    expect((await screen.findAllByText("Written elsewhere")).length).toBe(1);
    const saved = await store.loadGroup(trip.ann.groupKey());
    expect(core.load(saved?.saved ?? "").expenses({}).filter(([, e]) => e.shop === "Written elsewhere")).toHaveLength(1);
  });
});
