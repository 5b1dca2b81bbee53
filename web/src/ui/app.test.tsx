// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { fakeFactory, type FakeGroup } from "../core/fake";
import { memoryStore } from "../core/storage";
import { Shell } from "./Shell";

afterEach(cleanup);

const RELAYS = ["https://r1.example", "https://r2.example", "https://r3.example"];

async function openGroup() {
  const api: FakeGroup = fakeFactory.create({ name: "Lisbon", memberName: "Ann", currency: "EUR", relays: RELAYS, k: 2, nowMs: 1 });
  const bob = api.addMember("Bob");
  const store = memoryStore();
  await store.saveGroup(api);
  await store.setCurrent(api.groupKey());
  // the shell loads the saved group: hand it this very instance, so the test can poke it
  const factory = { ...fakeFactory, load: () => api };
  const view = render(<Shell factory={factory} store={store} kernel="simd128" autoSync={false} />);
  await screen.findByTestId("add-expense");
  return { api, bob, store, view };
}

function type(label: string | RegExp, value: string) {
  fireEvent.input(screen.getByLabelText(label), { target: { value } });
}

describe("the app with a fake core", () => {
  it("creates a group and shows its invite", async () => {
    const store = memoryStore();
    render(<Shell factory={fakeFactory} store={store} kernel="simd128" autoSync={false} />);
    await screen.findByText("Create a group");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("GFMS");
    expect(document.querySelector("#kernel")?.textContent).toBe("simd128");
    type("Group name", "Ski week");
    type("Your name", "Ann");
    fireEvent.input(screen.getByLabelText(/Relays \(one per line\)/), { target: { value: RELAYS.join("\n") } });
    expect(screen.getByTestId("k-of-n").textContent).toContain("n = 3");
    fireEvent.click(screen.getByRole("button", { name: "Create group" }));
    const link = (await screen.findByTestId("invite-link")) as HTMLInputElement;
    expect(link.value).toMatch(/#join=/);
    expect(screen.getByTestId("invite-qr")).toBeTruthy();
    expect((await store.listGroups()).map((g) => g.name)).toEqual(["Ski week"]);
    // the invite link opens the join form with the group's name
    expect(fakeFactory.peekInvite(link.value).name).toBe("Ski week");
  });

  it("adds an expense through the editor: the list and balances update", async () => {
    const { api, bob, store } = await openGroup();
    fireEvent.click(screen.getByTestId("add-expense"));
    await screen.findByTestId("expense-editor");
    type("Amount", "30,00");
    type("Shop", "Pingo Doce");
    type("Category", "Food");
    fireEvent.click(screen.getByTestId("save-expense"));
    await waitFor(() => expect(screen.getAllByTestId("expense-row")).toHaveLength(1));
    const row = screen.getByTestId("expense-row");
    expect(row.textContent).toContain("Pingo Doce");
    expect(row.textContent).toContain("Ann (you) paid");
    expect(row.textContent).toMatch(/€30\.00/);
    expect(screen.getByText("Today")).toBeTruthy();
    // saved durably
    const saved = await store.loadGroupSaved(api.groupKey());
    expect(saved && Object.keys(fakeFactory.load(saved).state().expenses)).toHaveLength(1);

    fireEvent.click(screen.getByRole("button", { name: "Balances" }));
    await waitFor(() => expect(screen.getByTestId(`balance-${api.me()}`).textContent).toMatch(/is owed €15\.00/));
    expect(screen.getByTestId(`balance-${bob}`).textContent).toMatch(/owes €15\.00/);
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
    const { bob, api } = await openGroup();
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
    expect(api.balances()[bob]).toBe(-350);

    // percent mode
    fireEvent.click(screen.getByTestId("add-expense"));
    await screen.findByTestId("expense-editor");
    type("Amount", "10");
    fireEvent.click(screen.getByRole("radio", { name: "Percent" }));
    type("Percent for Ann (you)", "33.33");
    expect(screen.getByTestId("split-remaining").textContent).toBe("Remaining: 66.67 %");
  });

  it("edits and deletes an expense (delete asks first)", async () => {
    const { api } = await openGroup();
    api.addExpense({ amount: 1200, currency: "EUR", category: "Food", shop: "Bakery", account: "", payers: [[api.me(), 1200]], split: { kind: "equal", members: [api.me()] }, date: "2026-01-02", note: "" }, 1);
    fireEvent.click(screen.getByRole("button", { name: "Stats" }));
    fireEvent.click(screen.getByRole("button", { name: "Expenses" }));
    fireEvent.click(await screen.findByTestId("expense-row"));
    type("Shop", "Cafe");
    fireEvent.click(screen.getByTestId("save-expense"));
    await waitFor(() => expect(screen.getByTestId("expense-row").textContent).toContain("Cafe"));
    fireEvent.click(screen.getByTestId("expense-row"));
    fireEvent.click(await screen.findByRole("button", { name: "Delete" }));
    fireEvent.click(await screen.findByTestId("confirm-ok"));
    await waitFor(() => expect(screen.queryByTestId("expense-row")).toBeNull());
  });

  it("shows facade errors inline", async () => {
    const { api } = await openGroup();
    fireEvent.click(screen.getByTestId("add-expense"));
    await screen.findByTestId("expense-editor");
    type("Amount", "10");
    fireEvent.change(screen.getByLabelText("Currency"), { target: { value: "USD" } });
    type("1 USD = ? EUR", "0.9");
    // the facade throws Errors with a code
    const orig = api.addExpense.bind(api);
    api.addExpense = () => {
      const e = new Error("payers paid 1, amount is 2") as Error & { code: string };
      e.code = "payers_mismatch";
      throw e;
    };
    fireEvent.click(screen.getByTestId("save-expense"));
    expect((await screen.findByTestId("editor-error")).textContent).toBe("payers_mismatch: payers paid 1, amount is 2");
    api.addExpense = orig;
  });

  it("shows members with their sync state", async () => {
    const { api, bob } = await openGroup();
    api.data.pending = [{ batch_id: "b1", events: 2, created_ms: 0, sum_s: 1, target: 2, missing: [bob], expires_at: 0, reput: [] }];
    fireEvent.click(screen.getByRole("button", { name: "Members" }));
    const rows = await screen.findAllByTestId("member-row");
    expect(rows.map((r) => r.textContent)).toEqual([expect.stringMatching(/Ann.*you.*this phone/), expect.stringMatching(/Bob.*waiting for 1 batch/)]);
  });
});

describe("joining, sync and data", () => {
  it("joins from a #join= link, then clears the hash", async () => {
    const host = fakeFactory.create({ name: "Ski week", memberName: "Ann", currency: "CHF", relays: RELAYS, k: 2, nowMs: 1 });
    history.replaceState(null, "", `/app/${host.inviteLink("").slice(0)}`);
    expect(location.hash.startsWith("#join=")).toBe(true);
    const store = memoryStore();
    render(<Shell factory={fakeFactory} store={store} kernel="simd128" autoSync={false} />);
    expect((await screen.findByRole("heading", { name: "Join Ski week" })).textContent).toBe("Join Ski week");
    type("Your name", "Bea");
    fireEvent.click(screen.getByRole("button", { name: "Join Ski week" }));
    await screen.findByTestId("add-expense");
    expect(location.hash).toBe("");
    expect((await store.listGroups()).map((g) => g.name)).toEqual(["Ski week"]);
  });

  it("previews a pasted invite and rejects junk", async () => {
    const host = fakeFactory.create({ name: "Flat", memberName: "Ann", currency: "EUR", relays: RELAYS, k: 3, nowMs: 1 });
    render(<Shell factory={fakeFactory} store={memoryStore()} kernel="simd128" autoSync={false} />);
    fireEvent.click(await screen.findByRole("tab", { name: "Join a group" }));
    type("Invite link or code", "nonsense");
    expect((await screen.findByRole("alert")).textContent).toMatch(/not a GFMS invite/);
    type("Invite link or code", host.inviteCode());
    expect(await screen.findByRole("heading", { name: "Join Flat" })).toBeTruthy();
    expect(screen.getByText("3 relays, any 3 needed.")).toBeTruthy();
  });

  it("shows pending batches in the sync panel", async () => {
    const { api, bob } = await openGroup();
    api.data.pending = [{ batch_id: "b1", events: 2, created_ms: 0, sum_s: 3, target: 4, missing: [bob], expires_at: Date.now() + 42 * 60_000 + 5000, reput: [RELAYS[0] ?? ""] }];
    fireEvent.click(screen.getByTestId("sync-indicator"));
    const batch = await screen.findByTestId("pending-batch");
    expect(batch.textContent).toMatch(/Σ si = 3 of 4/);
    expect(batch.textContent).toMatch(/Waiting for Bob/);
    expect(batch.textContent).toMatch(/Expires in 42 min/);
    expect(batch.textContent).toMatch(/Will be re-sent/);
    fireEvent.click(screen.getByTestId("sync-now"));
    await waitFor(() => expect(screen.getByText(/Last sync:/).textContent).toMatch(/just now/));
  });

  it("shows statistics once the lazily loaded reports module answers", async () => {
    const { api } = await openGroup();
    api.addExpense({ amount: 1250, currency: "EUR", category: "Food", shop: "Bakery", account: "", payers: [[api.me(), 1250]], split: { kind: "equal", members: [api.me()] }, date: "2026-01-02", note: "" }, 1);
    fireEvent.click(screen.getByRole("button", { name: "Stats" }));
    await waitFor(() => expect(screen.getByTestId("stats-total").textContent).toMatch(/12[.,]50/));
  });

  it("says so when the reports module cannot be loaded (offline before it was ever cached)", async () => {
    const { api } = await openGroup();
    const offline = () => Promise.reject(Object.assign(new Error("Failed to fetch the reports module"), { code: "network" }));
    api.statistics = offline;
    api.exportCsv = offline;
    fireEvent.click(screen.getByRole("button", { name: "Stats" }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/reports module/);
    fireEvent.click(screen.getByRole("button", { name: "Settings" }));
    fireEvent.click(await screen.findByRole("button", { name: "Export CSV" }));
    expect((await screen.findByText(/Export failed/)).textContent).toMatch(/reports module/);
  });

  it("imports a JSON backup and reports what was new", async () => {
    const { api } = await openGroup();
    api.addExpense({ amount: 500, currency: "EUR", category: "Food", shop: "", account: "", payers: [[api.me(), 500]], split: { kind: "equal", members: [api.me()] }, date: "2026-01-02", note: "" }, 1);
    const backup = await api.exportJson();
    const other = JSON.parse(backup) as { expenses: Record<string, unknown> };
    other.expenses["x-new"] = { amount: 100, currency: "EUR", category: "", shop: "", account: "", payers: [[api.me(), 100]], split: { kind: "equal", members: [api.me()] }, date: "2026-01-03", note: "" };
    fireEvent.click(screen.getByRole("button", { name: "Settings" }));
    const input = (await screen.findByLabelText("Import JSON backup")) as HTMLInputElement;
    const file = new File([JSON.stringify(other)], "backup.json", { type: "application/json" });
    Object.defineProperty(input, "files", { value: [file], configurable: true });
    fireEvent.change(input);
    expect((await screen.findByTestId("import-result")).textContent).toBe("Added 1, already had 1.");
    expect(document.querySelector("#kernel")?.textContent).toBe("simd128");
  });
});

describe("pull to refresh", () => {
  it("syncs when the list is pulled down more than 70 px", async () => {
    const { api } = await openGroup();
    let rounds = 0;
    const plain = api.syncRound.bind(api);
    api.syncRound = (now) => {
      rounds += 1;
      return plain(now);
    };
    const list = screen.getByTestId("add-expense").parentElement as HTMLElement;
    fireEvent.touchStart(list, { touches: [{ clientY: 100 }] });
    fireEvent.touchMove(list, { touches: [{ clientY: 140 }] });
    fireEvent.touchEnd(list);
    expect(rounds).toBe(0);
    fireEvent.touchStart(list, { touches: [{ clientY: 100 }] });
    fireEvent.touchMove(list, { touches: [{ clientY: 190 }] });
    expect(await screen.findByText("Release to sync")).toBeTruthy();
    fireEvent.touchEnd(list);
    await waitFor(() => expect(rounds).toBe(1));
  });
});
