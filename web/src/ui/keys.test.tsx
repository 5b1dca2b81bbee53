// @vitest-environment happy-dom
// Member keys in the app (docs/member-keys.md "In the app"), on the real core (wasm) over
// the fake network: the removed member's phone is told who removed it and stays
// read-only (export kept, the group can be removed from the phone); safety codes to
// compare in person; changes kept aside named on the sync panel.
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { memoryStore } from "../core/storage";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FetchFn } from "../core/sync/driver";
import type { GroupApi } from "../core/types";
import { core, expense, lisbon, round } from "../test/groups";
import { Shell } from "./Shell";

/** States saved by the release before member keys (client-wasm/sync/tests/older_members.rs). */
const OLD = join(__dirname, "../../../client-wasm/sync/tests/fixtures/saved-v2");

afterEach(() => {
  cleanup();
  history.replaceState(null, "", "/");
  localStorage.clear();
});

/** `api`'s phone with its group open. */
async function open(api: GroupApi, fetchFn: FetchFn) {
  const store = memoryStore();
  await store.saveGroup(api, 0);
  await store.setCurrent(api.groupKey());
  render(<Shell factory={core} store={store} kernel="simd128" autoSync={false} fetchFn={fetchFn} />);
  await screen.findByRole("button", { name: "Members" });
  return store;
}

async function membersTab() {
  fireEvent.click(screen.getByRole("button", { name: "Members" }));
  return screen.findByTestId("safety-codes");
}

describe("member keys in the app", () => {
  it("removed member: Bob's phone says Ann removed him, offers no add button, exports, and removes the group", async () => {
    const { net, ann, bob, bobId } = await lisbon();
    ann.removeMember(bobId, net.clock.now);
    await round(ann, net);
    await round(bob, net);
    const store = await open(bob, net.fetch);

    const banner = await screen.findByTestId("removed");
    expect(banner.textContent).toContain("You were removed from Lisbon by Ann");
    expect(screen.queryByTestId("add-expense")).toBeNull();
    expect(screen.queryByRole("button", { name: "Add the first expense" })).toBeNull();
    // nothing to change on the members screen either
    await membersTab();
    expect(screen.queryByTestId("add-placeholder")).toBeNull();
    expect(screen.queryByRole("button", { name: /^Rename/ })).toBeNull();
    expect(screen.queryByRole("button", { name: "Invite people" })).toBeNull();

    // export stays: the banner leads to it
    fireEvent.click(within(banner).getByRole("button", { name: "Export" }));
    expect(await screen.findByRole("button", { name: "Export CSV" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Leave the group" })).toBeNull();

    // and the group can go from this phone
    fireEvent.click(within(screen.getByTestId("removed")).getByRole("button", { name: "Remove from this phone" }));
    expect((await screen.findByRole("alertdialog")).textContent).toContain("Export it first");
    fireEvent.click(screen.getByTestId("confirm-ok"));
    await waitFor(async () => expect(await store.listGroups()).toEqual([]));
    expect(await screen.findByRole("button", { name: "New group" })).toBeTruthy();
  });

  it("a member not removed sees no banner and can add", async () => {
    const { net, bob } = await lisbon();
    await open(bob, net.fetch);
    expect(await screen.findByTestId("add-expense")).toBeTruthy();
    expect(screen.queryByTestId("removed")).toBeNull();
  });

  it("safety codes: the code Ann's phone shows for Bob is the one Bob's phone shows as his own", async () => {
    const { net, ann, bob, bobId } = await lisbon();
    ann.addPlaceholder("Dan", net.clock.now); // by name only: no phone, no keys, still signed
    await open(ann, net.fetch);
    const annScreen = await membersTab();
    expect(within(annScreen).getByTestId("keys-signed").textContent).toMatch(/^Signed/);
    const bobAtAnn = within(annScreen).getByTestId(`safety-code-${bobId}`).textContent ?? "";
    const annOwn = within(annScreen).getByTestId("safety-code-me").textContent ?? "";
    expect(bobAtAnn).toMatch(/^(\d{5} ){6}$/);
    cleanup();

    await open(bob, net.fetch);
    const bobScreen = await membersTab();
    expect(within(bobScreen).getByTestId("safety-code-me").textContent).toBe(bobAtAnn);
    expect(within(bobScreen).getByTestId(`safety-code-${ann.me()}`).textContent).toBe(annOwn);
    expect(bobAtAnn).not.toBe(annOwn);
  });

  it("older version: in a group saved before member keys, members without keys are 'not signed yet' and the group is not signed", async () => {
    // Alice's phone as the release before member keys saved it (the engine's fixture)
    const alice = core.load(readFileSync(join(OLD, "alice.json"), "utf8"));
    const { net } = await lisbon();
    await open(alice, net.fetch);
    const codes = await membersTab();
    expect(within(codes).getByTestId("keys-signed").textContent).toMatch(/^Not signed yet: some members still run an older version/);
    const others = within(codes).getAllByTestId("member-safety-code");
    expect(others.length).toBeGreaterThan(0);
    for (const row of others) expect(row.textContent).toContain("not signed yet — runs an older version");
    expect(within(codes).getByTestId("safety-code-me").textContent).toMatch(/^(\d{5} ){6}$/);
  });

  it("forging member: Bob's expense rewritten in Ann's name is kept aside, and the sync panel says so", async () => {
    const { net, ann, bob, bobId } = await lisbon();
    const annId = ann.me();
    const id = bob.addExpense(expense(annId, [annId, bobId], 9000, "Forged"), net.clock.now);
    // Bob's modified client: his own expense, its author changed to Ann, his signature kept
    const backup = JSON.parse(await bob.exportJson()) as { events: { id: string; author: string }[] };
    for (const e of backup.events) if (e.id === id) e.author = annId;
    ann.importJson(JSON.stringify(backup));
    await open(ann, net.fetch);
    expect(screen.queryByText("Forged")).toBeNull(); // not applied
    fireEvent.click(screen.getByTestId("sync-indicator"));
    const line = await screen.findByTestId("kept-aside");
    expect(line.textContent).toBe("A change in the name of Ann: its signature does not match.");
    expect(within(screen.getByTestId("sync-panel")).getByText(/nobody can write in someone else's name/)).toBeTruthy();
  });
});
