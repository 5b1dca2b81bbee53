// @vitest-environment happy-dom
// The app opened while the core is still loading (issue 12): the current group shows
// read-only from the first-screen module, with nothing that writes; the group's own
// screen, with its buttons, takes over once the core is there.
import { render, screen } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { memoryBlobs } from "../core/blobs";
import { memoryStore } from "../core/storage";
import { core, expense, lisbon } from "../test/groups";
import { Shell } from "./Shell";

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
});
