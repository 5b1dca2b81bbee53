// @vitest-environment happy-dom
import "fake-indexeddb/auto";
// Member keys in the app (docs/member-keys.md "In the app"), on the real core (wasm) over
// the fake network: the removed member's phone is told who removed it and stays
// read-only (export kept, the group can be removed from the phone); safety codes to
// compare in person; changes kept aside named on the sync panel.
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { openDB } from "idb";
import jsQR from "jsqr";
import { idbStore, memoryStore } from "../core/storage";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FetchFn } from "../core/sync/driver";
import type { GroupApi } from "../core/types";
import { core, expense, lisbon, round, RELAYS } from "../test/groups";
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

/** Bob's phone after Ann removed him: Dinner (Ann paid €90, shared) and a payment of €10
 * from Bob to Ann were there before, and a deleted expense in the activity. */
async function removedBob() {
  const trip = await lisbon();
  const { net, ann, bob, bobId } = trip;
  ann.addExpense(expense(ann.me(), [ann.me(), bobId], 9000, "Dinner"), net.clock.now);
  const gone = ann.addExpense(expense(ann.me(), [ann.me(), bobId], 500, "Gone"), net.clock.now);
  ann.deleteExpense(gone, net.clock.now);
  ann.recordSettlement({ from: bobId, to: ann.me(), amount: 1000, currency: "EUR", date: "2026-01-03" }, net.clock.now);
  await round(ann, net);
  await round(bob, net);
  ann.removeMember(bobId, net.clock.now);
  await round(ann, net);
  await round(bob, net);
  const store = await open(bob, net.fetch);
  await screen.findByTestId("removed");
  return { ...trip, store };
}

/** The buttons and fields on screen (the tab bar's and the banner's left out). */
function controls(): string[] {
  const ignore = new Set(["Expenses", "Balances", "Stats", "Members", "Settings", "Export", "Remove from this phone"]);
  const buttons = screen.getAllByRole("button").map((b) => b.getAttribute("aria-label") ?? b.textContent ?? "");
  return buttons.filter((b) => !ignore.has(b));
}

/** What a QR drawn by ./Qr says, read back by the app's own scanner library (jsQR). */
async function readQr(svg: Element): Promise<string | null> {
  await waitFor(() => expect(svg.querySelector("path")).not.toBeNull());
  const size = Number(svg.getAttribute("viewBox")?.split(" ")[2]);
  const d = svg.querySelector("path")?.getAttribute("d") ?? "";
  const scale = 4;
  const margin = 4;
  const w = (size + 2 * margin) * scale;
  const pixels = new Uint8ClampedArray(w * w * 4).fill(255);
  for (const [, x, y] of d.matchAll(/M(\d+) (\d+)/g)) {
    for (let dy = 0; dy < scale; dy++)
      for (let dx = 0; dx < scale; dx++) {
        const px = ((Number(y) + margin) * scale + dy) * w + (Number(x) + margin) * scale + dx;
        pixels.fill(0, px * 4, px * 4 + 3);
      }
  }
  return jsQR(pixels, w, w)?.data ?? null;
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

  it("removed member: Bob's read-only copy opens an expense's detail, with nothing to change in it", async () => {
    await removedBob();
    fireEvent.click(await screen.findByRole("button", { name: /^Dinner/ }));
    const detail = await screen.findByTestId("expense-detail");
    expect(within(detail).getByRole("heading", { name: "Dinner" })).toBeTruthy();
    expect(detail.textContent).toContain("Read-only: you were removed from this group.");
    expect(detail.textContent).toContain("€90.00");
    expect(within(detail).getByTestId("detail-payers").textContent).toBe("Ann€90.00");
    expect(within(detail).getByTestId("detail-split").textContent).toMatch(/^(Ann€45\.00Bob \(you\)€45\.00|Bob \(you\)€45\.00Ann€45\.00)$/);
    expect(detail.querySelectorAll("input, select, textarea")).toHaveLength(0);
    expect(within(detail).getAllByRole("button").map((b) => b.getAttribute("aria-label") ?? b.textContent)).toEqual(["Close"]);
    expect(screen.queryByTestId("expense-editor")).toBeNull();
  });

  it("removed member: Bob's phone sees the balances and payments, and no button changes anything on any screen", async () => {
    const { bobId } = await removedBob();
    expect(controls()).toEqual(["Lisbon (switch group)", "Not synced: Not synced yet", "Filters", "Activity", expect.stringMatching(/^Dinner/)]);
    fireEvent.click(screen.getByRole("button", { name: "Activity" }));
    const activity = await screen.findByRole("dialog");
    expect(activity.textContent).toContain("Gone");
    expect(within(activity).queryByTestId("restore")).toBeNull();
    fireEvent.click(within(activity).getByRole("button", { name: "Close" }));

    fireEvent.click(screen.getByRole("button", { name: "Balances" }));
    expect((await screen.findByTestId(`balance-${bobId}`)).textContent).toBe("Bob (you)owes €35.00");
    expect(screen.getByTestId("settlement-row").textContent).toContain("€10.00");
    expect(controls()).toEqual(["Lisbon (switch group)", "Not synced: Not synced yet", "Print summary"]);
    fireEvent.click(screen.getByRole("button", { name: "Members" }));
    await screen.findByTestId("safety-codes");
    expect(controls().filter((b) => b !== "QR code")).toEqual(["Lisbon (switch group)", "Not synced: Not synced yet"]);
    fireEvent.click(screen.getByRole("button", { name: "Settings" }));
    await screen.findByRole("button", { name: "Export CSV" });
    expect(controls()).toEqual(["Lisbon (switch group)", "Not synced: Not synced yet", "Export CSV", "Export JSON", "Export for Splitwise", "About this app"]);
    expect(document.querySelectorAll('input[type="file"]')).toHaveLength(0);
  });

  it("removed member: Bob's phone exports the CSV and the JSON backup (without his private keys)", async () => {
    const { bob } = await removedBob();
    const files: string[] = [];
    const create = URL.createObjectURL;
    URL.createObjectURL = (blob: Blob) => {
      void blob.text().then((t) => files.push(t));
      return "blob:x";
    };
    try {
      fireEvent.click(within(screen.getByTestId("removed")).getByRole("button", { name: "Export" }));
      fireEvent.click(await screen.findByRole("button", { name: "Export CSV" }));
      await waitFor(() => expect(files).toHaveLength(1));
      expect(files[0]).toContain("Dinner");
      fireEvent.click(screen.getByRole("button", { name: "Export JSON" }));
      await waitFor(() => expect(files).toHaveLength(2));
      expect(files[1]).toContain("Dinner");
      const keys = (JSON.parse(bob.save()) as { member_keys: { device: Record<string, string> } }).member_keys.device;
      for (const secret of Object.values(keys)) expect(files[1]).not.toContain(secret);
    } finally {
      URL.createObjectURL = create;
    }
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

  it("safety codes as QR: each QR holds the digits shown beside it", async () => {
    const { net, ann, bobId } = await lisbon();
    await open(ann, net.fetch);
    const codes = await membersTab();
    const mine = (within(codes).getByTestId("safety-code-me").textContent ?? "").replace(/\s+/g, "");
    expect(mine).toMatch(/^\d{30}$/);
    const myQr = await within(codes).findByTestId("safety-qr-me");
    expect(myQr.getAttribute("aria-label")).toBe("Your safety code as a QR code");
    expect(await readQr(myQr)).toBe(mine);
    // Bob's, once its disclosure is opened
    expect(within(codes).queryByTestId(`safety-qr-${bobId}`)).toBeNull();
    const toggle = within(codes).getByTestId(`safety-qr-${bobId}-toggle`) as HTMLDetailsElement;
    toggle.open = true;
    fireEvent(toggle, new Event("toggle"));
    const bobQr = await within(codes).findByTestId(`safety-qr-${bobId}`);
    expect(bobQr.getAttribute("aria-label")).toBe("Safety code of \u2068Bob\u2069 as a QR code");
    expect(await readQr(bobQr)).toBe((within(codes).getByTestId(`safety-code-${bobId}`).textContent ?? "").replace(/\s+/g, ""));
  });

  it("sealed copy: a group whose saved copy this phone cannot open is named, and the other group opens", async () => {
    // adversary: a copy of another browser profile's record put in this one (or altered)
    const { net, ann } = await lisbon();
    const other = core.create({ name: "Flat", memberName: "Ann", currency: "EUR", relays: RELAYS, k: 2, nowMs: 1 });
    await idbStore("keys-test-mine").saveGroup(ann, 0);
    await idbStore("keys-test-other").saveGroup(other, 0);
    const theirs = await openDB("keys-test-other");
    const row = (await theirs.get("groups", other.groupKey())) as object;
    theirs.close();
    const mine = await openDB("keys-test-mine");
    await mine.put("groups", row as never);
    await mine.put("meta", other.groupKey(), "current");
    mine.close();

    const store = idbStore("keys-test-mine");
    render(<Shell factory={core} store={store} kernel="simd128" autoSync={false} fetchFn={net.fetch} />);
    expect((await screen.findByTestId("unreadable")).textContent).toBe(
      "This phone cannot open its saved copy of Flat: saved in another browser, or altered. Your other groups are fine. Remove from this phone",
    );
    expect((await screen.findByTestId("group-switch")).textContent).toContain("Lisbon");
    expect(await screen.findByTestId("add-expense")).toBeTruthy();
    // choosing it in the list again says so, and Lisbon stays open
    fireEvent.click(screen.getByTestId("group-switch"));
    const flat = (await screen.findAllByTestId("group-choice")).find((b) => b.textContent?.includes("Flat"));
    fireEvent.click(flat as HTMLElement);
    expect(await screen.findByText("This phone cannot open this group's saved copy: saved in another browser, or altered.")).toBeTruthy();
    expect(screen.getByTestId("group-switch").textContent).toContain("Lisbon");
    // and it can be taken off this phone's list
    fireEvent.click(within(screen.getByTestId("unreadable")).getByRole("button", { name: "Remove from this phone" }));
    await waitFor(() => expect(screen.queryByTestId("unreadable")).toBeNull());
    expect((await store.listGroups()).map((g) => g.name)).toEqual(["Lisbon"]);
    expect(screen.getByTestId("group-switch").textContent).toContain("Lisbon");
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
