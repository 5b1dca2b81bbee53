// @vitest-environment happy-dom
// Two tabs of the app on one phone, as the user of one of them sees it: the other removes
// the open group, or runs another version of the app (../core/db, ../core/doc).
import "fake-indexeddb/auto";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { memoryBlobs } from "../core/blobs";
import { announceRemoved, browserChannel } from "../core/doc";
import { idbStore, memoryStore } from "../core/storage";
import { oldRelease } from "../test/oldRelease";
import { core, lisbon, RELAYS } from "../test/groups";
import { Shell } from "./Shell";

afterEach(() => cleanup());

function type(label: string, value: string) {
  fireEvent.input(screen.getByLabelText(label), { target: { value } });
}


describe("Two tabs", () => {
  it("Two tabs: the group is removed in one; the other leaves it for the group list with a notice, and writes nothing for it again", async () => {
    const trip = await lisbon();
    const store = memoryStore();
    const flat = core.create({ name: "Flat", memberName: "Ann", currency: "EUR", relays: RELAYS, k: 2, nowMs: 1 });
    await store.saveGroup(flat, 0);
    await store.saveGroup(trip.ann, 0);
    await store.setCurrent(trip.ann.groupKey());
    render(<Shell factory={core} store={store} blobs={memoryBlobs()} kernel="simd128" autoSync={false} fetchFn={trip.net.fetch} />);
    await screen.findByTestId("add-expense");

    // the other tab: Settings, "Remove from this phone"
    await store.deleteGroup(trip.ann.groupKey());
    announceRemoved(browserChannel, trip.ann.groupKey());
    fireEvent.focus(window); // (where tabs cannot talk, it is found when this tab comes to the front)

    expect((await screen.findByTestId("toast")).textContent).toContain("Lisbon\u2069 was removed from this phone in another window.");
    const choices = await screen.findAllByTestId("group-choice");
    expect(choices.map((c) => c.textContent)).toEqual([expect.stringContaining("Flat")]);
    expect(screen.queryByTestId("add-expense")).toBeNull();
    // nothing brings it back: no save for it after the notice
    await new Promise((r) => setTimeout(r, 50));
    expect(store.groups.has(trip.ann.groupKey())).toBe(false);
    expect((await store.listGroups()).map((g) => g.name)).toEqual(["Flat"]);
  });

  it("Newer version in another tab: an older tab of a release that ignores the upgrade is open; this tab asks to close it instead of loading for ever, then opens the group", async () => {
    const trip = await lisbon();
    const name = "tabs-ui-blocked";
    const old = await oldRelease(name, trip.ann);

    render(<Shell factory={core} store={idbStore(name, 2)} blobs={memoryBlobs()} kernel="simd128" autoSync={false} fetchFn={trip.net.fetch} />);
    expect((await screen.findByTestId("close-other-tabs")).textContent).toContain("Close the other GFMS windows and tabs to go on.");
    old.close(); // the user closes it
    await screen.findByTestId("add-expense");
    expect(screen.queryByTestId("close-other-tabs")).toBeNull();
  });

  it("Newer version in another tab: this older tab says the app was updated and offers a reload; a change tapped then fails, says why, and is not shown", async () => {
    const trip = await lisbon();
    const name = "tabs-ui-superseded";
    const older = idbStore(name, 1);
    await older.saveGroup(trip.ann, 0);
    await older.setCurrent(trip.ann.groupKey());
    render(<Shell factory={core} store={older} blobs={memoryBlobs()} kernel="simd128" autoSync={false} fetchFn={trip.net.fetch} />);
    await screen.findByTestId("add-expense");

    await idbStore(name, 2).listGroups(); // the service worker updated the app; a new tab opens
    const note = await screen.findByTestId("updated-elsewhere");
    expect(note.textContent).toContain("GFMS was updated in another window.");
    expect(note.querySelector("button")?.textContent).toBe("Reload");

    // a change tapped here now cannot be saved: it fails as a failed save does, and says why
    fireEvent.click(screen.getByTestId("add-expense"));
    await screen.findByTestId("expense-editor", {}, { timeout: 10_000 }); // a lazy chunk: slow on a loaded machine
    type("Amount", "30,00");
    type("Shop", "Pingo Doce");
    type("Category", "Food");
    fireEvent.click(screen.getByTestId("save-expense"));
    await waitFor(() => expect(screen.getByText(/GFMS was updated in another window: reload this one/)).toBeTruthy());
    expect(screen.queryAllByTestId("expense-row")).toHaveLength(0);
    const saved = await idbStore(name, 2).loadGroup(trip.ann.groupKey());
    expect(core.load(saved?.saved ?? "").expenses({})).toHaveLength(0);
  });
});
