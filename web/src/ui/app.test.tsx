// @vitest-environment happy-dom
// The screens on the real core (wasm), as a user sees them. Other members' phones and the
// relays are the real core over the fake network of src/test/network.ts.
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { memoryStore } from "../core/storage";
import type { GroupApi } from "../core/types";
import { core, expense, lisbon, RELAYS, round } from "../test/groups";
import { openAnn } from "../test/shell";
import { Shell } from "./Shell";

afterEach(() => {
  cleanup();
  history.replaceState(null, "", "/");
});

const [R1 = ""] = RELAYS;

async function stored(store: ReturnType<typeof memoryStore>, api: GroupApi): Promise<GroupApi> {
  return core.load((await store.loadGroup(api.groupKey()))?.saved ?? "");
}

function type(label: string | RegExp, value: string) {
  fireEvent.input(screen.getByLabelText(label), { target: { value } });
}

describe("the app on the real core", () => {
  it("first open: says what the app is, offers New group / Join; relays wait under Advanced", async () => {
    const store = memoryStore();
    render(<Shell factory={core} store={store} kernel="simd128" autoSync={false} />);
    const welcome = await screen.findByTestId("welcome");
    expect(welcome.textContent).toMatch(/No account\. Nothing readable on any server\. Works offline\./);
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("GFMS");
    expect(document.body.textContent).not.toMatch(/relay|simd|batch/i);
    fireEvent.click(screen.getByRole("button", { name: "New group" }));
    await screen.findByRole("heading", { name: "New group" });
    // the build's relays are filled in, under Advanced
    const relays = screen.getByLabelText(/Relays \(one per line\)/) as HTMLTextAreaElement;
    expect(relays.closest("details")?.open).toBe(false);
    expect(relays.value.split("\n").length).toBeGreaterThanOrEqual(2);
    type("Group name", "Ski week");
    type("Your name", "Ann");
    fireEvent.input(relays, { target: { value: RELAYS.join("\n") } });
    expect(screen.getByTestId("k-of-n").textContent).toContain("of these 3 relays");
    fireEvent.click(screen.getByRole("button", { name: "Create group" }));
    const link = (await screen.findByTestId("invite-link")) as HTMLInputElement;
    expect(link.value).toMatch(/#join=gfms1\./);
    expect(screen.getByTestId("invite-qr")).toBeTruthy();
    expect((await store.listGroups()).map((g) => g.name)).toEqual(["Ski week"]);
    expect(core.peekInvite(link.value).name).toBe("Ski week");
    // then the empty list invites the next step
    fireEvent.click(screen.getByRole("button", { name: "Continue" }));
    const empty = await screen.findByTestId("empty-start");
    expect(within(empty).getByRole("button", { name: "Invite people" })).toBeTruthy();
    expect(within(empty).getByRole("button", { name: "Add the first expense" })).toBeTruthy();
  });

  it("the sharing core and other internals are on the About screen, not the first ones", async () => {
    render(<Shell factory={core} store={memoryStore()} kernel="simd128" autoSync={false} />);
    await screen.findByTestId("welcome");
    expect(document.querySelector("#kernel")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "About this app" }));
    expect((await screen.findByTestId("about")).querySelector("#kernel")?.textContent).toBe("simd128");
  });

  it("adds an expense through the editor: the list and balances update", async () => {
    const { ann, bobId, store } = await openAnn();
    fireEvent.click(screen.getByTestId("add-expense"));
    await screen.findByTestId("expense-editor");
    type("Amount", "30,00");
    type("Shop", "Pingo Doce");
    type("Category", "Food");
    expect(screen.getByText("Account: the card or cash it was paid with.")).toBeTruthy();
    fireEvent.click(screen.getByTestId("save-expense"));
    await waitFor(() => expect(screen.getAllByTestId("expense-row")).toHaveLength(1));
    const row = screen.getByTestId("expense-row");
    expect(row.textContent).toContain("Pingo Doce");
    expect(row.textContent).toContain("Ann (you) paid");
    expect(row.textContent).toMatch(/€30\.00/);
    expect(screen.getByText("Today")).toBeTruthy();
    // saved durably
    expect(Object.keys((await stored(store, ann)).state().expenses)).toHaveLength(1);

    fireEvent.click(screen.getByRole("button", { name: "Balances" }));
    await waitFor(() => expect(screen.getByTestId(`balance-${ann.me()}`).textContent).toMatch(/is owed €15\.00/));
    expect(screen.getByTestId(`balance-${bobId}`).textContent).toMatch(/owes €15\.00/);
    const transfer = screen.getByTestId("settle-transfer");
    expect(transfer.textContent).toMatch(/Bob pays Ann \(you\) €15\.00/);

    // one tap records the payment; undo takes it back
    fireEvent.click(within(transfer).getByRole("button", { name: "Record payment" }));
    await waitFor(() => expect(screen.queryByTestId("settle-transfer")).toBeNull());
    expect(screen.getAllByTestId("settlement-row")).toHaveLength(1);
    fireEvent.click(await screen.findByRole("button", { name: "Undo" }));
    await waitFor(() => expect(screen.getAllByTestId("settle-transfer")).toHaveLength(1));
  });

  it("shows the remainder of an exact split live and refuses to save until it is 0", async () => {
    const { bobId } = await openAnn();
    fireEvent.click(screen.getByTestId("add-expense"));
    await screen.findByTestId("expense-editor");
    type("Amount", "10");
    fireEvent.click(screen.getByRole("radio", { name: "Exact" }));
    type("Amount for Ann (you)", "6.50");
    expect(screen.getByTestId("split-remaining").textContent).toBe("Remaining: €3.50");
    fireEvent.click(screen.getByTestId("save-expense"));
    expect((await screen.findByTestId("editor-error")).textContent).toMatch(/add up/);
    type("Amount for Bob", "3,50");
    expect(screen.getByTestId("split-remaining").textContent).toBe("Remaining: €0.00");
    fireEvent.click(screen.getByTestId("save-expense"));
    await waitFor(() => expect(screen.getAllByTestId("expense-row")).toHaveLength(1));
    fireEvent.click(screen.getByRole("button", { name: "Balances" }));
    await waitFor(() => expect(screen.getByTestId(`balance-${bobId}`).textContent).toMatch(/owes €3\.50/));

    // percent mode
    fireEvent.click(screen.getByRole("button", { name: "Expenses" }));
    fireEvent.click(await screen.findByTestId("add-expense"));
    await screen.findByTestId("expense-editor");
    type("Amount", "10");
    fireEvent.click(screen.getByRole("radio", { name: "Percent" }));
    type("Percent for Ann (you)", "33.33");
    expect(screen.getByTestId("split-remaining").textContent).toBe("Remaining: 66.67 %");
  });

  it("edits and deletes an expense (delete asks first)", async () => {
    await openAnn(({ ann, net }) => void ann.addExpense(expense(ann.me(), [ann.me()], 1200, "Bakery"), net.clock.now));
    fireEvent.click(await screen.findByTestId("expense-row"));
    await screen.findByTestId("expense-editor"); // loaded on first use
    type("Shop", "Cafe");
    fireEvent.click(screen.getByTestId("save-expense"));
    await waitFor(() => expect(screen.getByTestId("expense-row").textContent).toContain("Cafe"));
    fireEvent.click(screen.getByTestId("expense-row"));
    fireEvent.click(await screen.findByRole("button", { name: "Delete" }));
    fireEvent.click(await screen.findByTestId("confirm-ok"));
    await waitFor(() => expect(screen.queryByTestId("expense-row")).toBeNull());
  });

  it("shows the core's errors inline: a new member cannot add expenses before the history arrives", async () => {
    const net = (await lisbon()).net;
    const host = core.create({ name: "Flat", memberName: "Ann", currency: "EUR", relays: RELAYS, k: 2, nowMs: 1 });
    const bea = core.join(host.inviteCode(), "Bea", 2);
    const store = memoryStore();
    await store.saveGroup(bea, 0);
    render(<Shell factory={core} store={store} kernel="simd128" autoSync={false} fetchFn={net.fetch} />);
    fireEvent.click(await screen.findByTestId("add-expense"));
    await screen.findByTestId("expense-editor");
    type("Amount", "10");
    fireEvent.click(screen.getByTestId("save-expense"));
    const shown = (await screen.findByTestId("editor-error")).textContent ?? "";
    expect(shown).toMatch(/history has not arrived yet/);
    expect(shown).not.toMatch(/not_synced/);
  });

  it("shows members with what each still waits for", async () => {
    await openAnn(async ({ ann, net }) => {
      ann.addExpense(expense(ann.me(), [ann.me()], 500, "Kiosk"), net.clock.now);
      await round(ann, net);
    });
    fireEvent.click(screen.getByRole("button", { name: "Members" }));
    const rows = await screen.findAllByTestId("member-row");
    expect(rows.map((r) => r.textContent)).toEqual([expect.stringMatching(/Ann.*you.*this phone/), expect.stringMatching(/Bob.*1 change on the way · last active today/)]);
    expect(rows.map((r) => r.textContent).join(" ")).not.toMatch(/batch/);
  });
});

describe("joining, sync and data", () => {
  it("joins from a #join= link, shows the group's name at once, then clears the hash", async () => {
    const host = core.create({ name: "Ski week", memberName: "Ann", currency: "CHF", relays: RELAYS, k: 2, nowMs: 1 });
    history.replaceState(null, "", `/app/${host.inviteLink("").slice(0)}`);
    expect(location.hash.startsWith("#join=")).toBe(true);
    const store = memoryStore();
    render(<Shell factory={core} store={store} kernel="simd128" autoSync={false} />);
    expect((await screen.findByRole("heading", { name: "Join Ski week" })).textContent).toBe("Join Ski week");
    type("Your name", "Bea");
    fireEvent.click(screen.getByRole("button", { name: "Join Ski week" }));
    await screen.findByTestId("add-expense");
    expect(location.hash).toBe("");
    expect((await store.listGroups()).map((g) => g.name)).toEqual(["Ski week"]);
    // the top bar names it, before any sync brought its settings
    expect(screen.getByTestId("group-switch").textContent).toMatch(/^Ski week/);
  });

  it("Two writers (a second join): a device already in the group opens it when the invite is tapped again", async () => {
    const { ann, bob, net } = await lisbon();
    const store = memoryStore();
    await store.saveGroup(bob, 0);
    history.replaceState(null, "", `/${ann.inviteLink("")}`);
    render(<Shell factory={core} store={store} kernel="simd128" autoSync={false} fetchFn={net.fetch} />);
    expect(await screen.findByText(/^You're already in .Lisbon.$/)).toBeTruthy();
    await screen.findByTestId("add-expense");
    expect(screen.queryByRole("button", { name: /^Join/ })).toBeNull();
    expect(location.hash).toBe("");
    expect(await store.listGroups()).toHaveLength(1);
    const kept = core.load((await store.loadGroup(bob.groupKey()))?.saved ?? "");
    expect(Object.values(kept.state().members).filter((m) => m.name === "Bob")).toHaveLength(1);
  });

  it("Two writers (a second join): a pasted invite to a group this device is in opens it", async () => {
    const { ann, bob, net } = await lisbon();
    const store = memoryStore();
    await store.saveGroup(bob, 0);
    render(<Shell factory={core} store={store} kernel="simd128" autoSync={false} fetchFn={net.fetch} />);
    await screen.findByTestId("add-expense");
    fireEvent.click(screen.getByTestId("group-switch"));
    fireEvent.click(await screen.findByRole("button", { name: "Join a group" }));
    type("Invite link or code", ann.inviteCode());
    type("Your name", "Bob");
    fireEvent.click(await screen.findByRole("button", { name: "Join Lisbon" }));
    expect(await screen.findByText(/^You're already in .Lisbon.$/)).toBeTruthy();
    await screen.findByTestId("add-expense");
    expect(await store.listGroups()).toHaveLength(1);
  });

  it("an invite opened in a tab where the app is open: the join form, or the group if already in it", async () => {
    const { ann, store } = await openAnn();
    const other = core.create({ name: "Ski week", memberName: "Cy", currency: "CHF", relays: RELAYS, k: 2, nowMs: 1 });
    location.hash = `#join=${other.inviteCode()}`;
    expect(await screen.findByRole("heading", { name: "Join Ski week" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Back to the open group" }));
    await screen.findByTestId("add-expense");
    location.hash = `#join=${ann.inviteCode()}`;
    expect(await screen.findByText(/^You're already in .Lisbon.$/)).toBeTruthy();
    expect(await store.listGroups()).toHaveLength(1);
  });

  it("Misbehaving member (same name): warns a member who joined under an active member's name once the history is there", async () => {
    const { ann, bob, net } = await lisbon({ bobName: "ann" });
    void ann;
    const store = memoryStore();
    await store.saveGroup(bob, 0);
    render(<Shell factory={core} store={store} kernel="simd128" autoSync={false} fetchFn={net.fetch} />);
    const warning = await screen.findByTestId("duplicate-name");
    expect(warning.textContent).toMatch(/Another member of Lisbon is also called ann/);
    fireEvent.click(within(warning).getByRole("button", { name: "Rename myself" }));
    expect(await screen.findByRole("heading", { name: "Members" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Rename ann" }));
    type(/New name for ann/, "Bob");
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.queryByTestId("duplicate-name")).toBeNull());
  });

  it("relay Down (offline): leaving keeps the group, read-only, until the goodbye reaches the others", async () => {
    const { bob, net, store } = await openAnn();
    for (const url of RELAYS) net.relay(url).down = true;
    fireEvent.click(screen.getByRole("button", { name: "Settings" }));
    fireEvent.click(await screen.findByRole("button", { name: "Leave group" }));
    fireEvent.click(await screen.findByTestId("confirm-ok"));
    expect((await screen.findByTestId("leaving")).textContent).toMatch(/still on their way/);
    expect(await store.listGroups()).toHaveLength(1);
    // Back online: the goodbye goes out, Bob stores and acks it, and Ann's next round sees it.
    for (const url of RELAYS) net.relay(url).down = false;
    const syncOnce = async () => {
      fireEvent.click(screen.getByTestId("sync-indicator"));
      const button = (await screen.findByTestId("sync-now")) as HTMLButtonElement;
      fireEvent.click(button);
      await waitFor(() => expect(button.textContent).toBe("Sync now"));
      fireEvent.keyDown(document, { key: "Escape" });
    };
    await syncOnce();
    await round(bob, net);
    await syncOnce();
    const ready = await screen.findByTestId("leaving");
    await waitFor(() => expect(ready.textContent).toMatch(/Everything you wrote has reached the others/));
    fireEvent.click(screen.getByRole("button", { name: "Remove from this phone" }));
    await waitFor(async () => expect(await store.listGroups()).toHaveLength(0));
  });

  it("previews a pasted invite and rejects junk", async () => {
    const host = core.create({ name: "Flat", memberName: "Ann", currency: "EUR", relays: RELAYS, k: 3, nowMs: 1 });
    render(<Shell factory={core} store={memoryStore()} kernel="simd128" autoSync={false} />);
    fireEvent.click(await screen.findByRole("button", { name: "Join a group" }));
    type("Invite link or code", "nonsense");
    expect((await screen.findByRole("alert")).textContent).toMatch(/^This is not a complete invite/);
    type("Invite link or code", host.inviteCode());
    expect(await screen.findByRole("heading", { name: "Join Flat" })).toBeTruthy();
    expect(screen.getByText("3 relays, any 3 needed.")).toBeTruthy();
  });

  it("relay Down: the sync panel says who is waiting for what in words, the counter in its details", async () => {
    await openAnn(async ({ ann, net }) => {
      ann.addExpense(expense(ann.me(), [ann.me()], 500, "Kiosk"), net.clock.now);
      net.relay(R1).down = true;
      await round(ann, net);
    });
    fireEvent.click(screen.getByTestId("sync-indicator"));
    const waiting = await screen.findByTestId("waiting-for");
    expect(waiting.textContent).toMatch(/^1 change waiting for Bob · last active/);
    const details = screen.getByTestId("sync-details");
    const batch = within(details).getByTestId("pending-batch");
    expect(batch.textContent).toMatch(/Σ si = 0 of 2/);
    expect(batch.textContent).toMatch(/Not acknowledged by Bob/);
    expect(batch.textContent).toMatch(/Relays drop it in 60 min/);
    expect(batch.textContent).toMatch(/Will be re-sent/);
    fireEvent.click(screen.getByTestId("sync-now"));
    await waitFor(() => expect(screen.getByTestId("last-connected").textContent).toMatch(/Last synced just now/));
    // outside the details, none of the engine's words
    const outside = [...screen.getByTestId("sync-panel").querySelectorAll("p, li, h3, button")].filter((e) => !details.contains(e)).map((e) => e.textContent).join(" ");
    expect(outside).not.toMatch(/batch|relay|Σ/i);
  });

  it("shows statistics once the lazily loaded reports module answers", async () => {
    await openAnn(({ ann, net }) => void ann.addExpense(expense(ann.me(), [ann.me()], 1250, "Bakery"), net.clock.now));
    fireEvent.click(screen.getByRole("button", { name: "Stats" }));
    await waitFor(() => expect(screen.getByTestId("stats-total").textContent).toMatch(/12[.,]50/));
  });

  it("says so when the reports module cannot be loaded (offline before it was ever cached)", async () => {
    const trip = await lisbon();
    const store = memoryStore();
    await store.saveGroup(trip.ann, 0);
    await store.setCurrent(trip.ann.groupKey());
    const offline = () => Promise.reject(Object.assign(new Error("Failed to fetch the reports module"), { code: "network" }));
    const factory = {
      ...core,
      load(saved: string) {
        const api = core.load(saved);
        api.statistics = offline;
        api.exportCsv = offline;
        return api;
      },
    };
    render(<Shell factory={factory} store={store} kernel="simd128" autoSync={false} fetchFn={trip.net.fetch} />);
    await screen.findByTestId("add-expense");
    fireEvent.click(screen.getByRole("button", { name: "Stats" }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/^No connection\. Connect to the internet once/);
    fireEvent.click(screen.getByRole("button", { name: "Settings" }));
    fireEvent.click(await screen.findByRole("button", { name: "Export CSV" }));
    const toast = await screen.findByTestId("toast");
    expect(toast.textContent).toMatch(/No connection/);
    expect(toast.textContent).not.toMatch(/network/);
    expect(within(toast).getByRole("button", { name: "Try again" })).toBeTruthy();
  });

  it("imports a JSON backup and reports what was new", async () => {
    const { ann, bob, net } = await openAnn();
    bob.addExpense(expense(bob.me(), [bob.me()], 100, "Bob's kiosk"), net.clock.now);
    const before = (await ann.exportJson()).length;
    expect(before).toBeGreaterThan(0);
    fireEvent.click(screen.getByRole("button", { name: "Settings" }));
    const input = (await screen.findByLabelText("Import JSON backup")) as HTMLInputElement;
    const file = new File([await bob.exportJson()], "backup.json", { type: "application/json" });
    Object.defineProperty(input, "files", { value: [file], configurable: true });
    fireEvent.change(input);
    expect((await screen.findByTestId("import-result")).textContent).toMatch(/^Added 1, already had \d+\.$/);
  });
});

describe("pull to refresh", () => {
  it("syncs when the list is pulled down more than 70 px", async () => {
    const { net } = await openAnn();
    const requests = () => net.relays.reduce((n, r) => n + r.log.length, 0);
    const start = requests();
    const list = screen.getByTestId("add-expense").parentElement as HTMLElement;
    fireEvent.touchStart(list, { touches: [{ clientY: 100 }] });
    fireEvent.touchMove(list, { touches: [{ clientY: 140 }] });
    fireEvent.touchEnd(list);
    await new Promise((ok) => setTimeout(ok, 20));
    expect(requests()).toBe(start);
    fireEvent.touchStart(list, { touches: [{ clientY: 100 }] });
    fireEvent.touchMove(list, { touches: [{ clientY: 190 }] });
    expect(await screen.findByText("Release to sync")).toBeTruthy();
    fireEvent.touchEnd(list);
    await waitFor(() => expect(requests()).toBeGreaterThan(start));
  });
});

