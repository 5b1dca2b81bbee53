// @vitest-environment happy-dom
// The first ten minutes of a group, on the real core: the empty list's next steps, the
// expense form's order, refunds, large amounts, search, the member filter, statistics
// that hide what holds nothing, one toast at a time, sync in plain words, groups of the
// same name, printing, and members' text that cannot reorder what is around it.
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { memoryStore } from "../core/storage";
import type { Expense, GroupApi } from "../core/types";
import { core, expense, lisbon, RELAYS, round, type Trip } from "../test/groups";
import { openAnn } from "../test/shell";
import { Shell } from "./Shell";

afterEach(() => {
  cleanup();
  history.replaceState(null, "", "/");
});

function type(label: string | RegExp, value: string) {
  fireEvent.input(screen.getByLabelText(label), { target: { value } });
}

function titled(api: GroupApi, title: string, amount: number, over: Partial<Expense> = {}): Expense {
  return { ...expense(api.me(), [api.me()], amount, ""), title, category: "", account: "", ...over };
}

const rows = () => screen.queryAllByTestId("expense-row").map((r) => r.textContent ?? "");

describe("an empty group", () => {
  it("offers to invite people and to add the first expense; the header invites too", async () => {
    await openAnn();
    const empty = screen.getByTestId("empty-start");
    fireEvent.click(within(empty).getByRole("button", { name: "Invite people" }));
    expect((await screen.findByTestId("invite-sheet")).querySelector("[data-testid=invite-link]")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Done" }));
    await waitFor(() => expect(screen.queryByTestId("invite-sheet")).toBeNull());
    fireEvent.click(screen.getByTestId("invite-button"));
    expect(await screen.findByTestId("invite-sheet")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Close" }));
    fireEvent.click(within(screen.getByTestId("empty-start")).getByRole("button", { name: "Add the first expense" }));
    expect(await screen.findByTestId("expense-editor")).toBeTruthy();
  });
});

describe("the expense form", () => {
  it("starts with what it was, the amount and who paid; the title names the row", async () => {
    await openAnn();
    fireEvent.click(screen.getByTestId("add-expense"));
    const editor = await screen.findByTestId("expense-editor");
    const labels = [...editor.querySelectorAll("label, legend")].map((l) => l.firstChild?.textContent?.trim() ?? "");
    expect(labels.slice(0, 3)).toEqual(["What was it?", "Amount", "Currency"]);
    expect(labels.indexOf("Paid by")).toBeGreaterThan(0);
    expect(labels.indexOf("Paid by")).toBeLessThan(labels.indexOf("Category"));
    type("What was it?", "Dinner at Zé's");
    type("Amount", "45");
    fireEvent.click(within(editor).getByRole("radio", { name: "Food & drink" }));
    fireEvent.click(screen.getByTestId("save-expense"));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toMatch(/Dinner at Zé's.*Ann \(you\) paid · Food & drink.*€45\.00/);
  });

  it("offers the group's own categories first, then the common ones", async () => {
    await openAnn(({ ann, net }) => void ann.addExpense(titled(ann, "Boat", 3000, { category: "Sailing" }), net.clock.now));
    fireEvent.click(screen.getByTestId("add-expense"));
    const chips = within(await screen.findByTestId("expense-editor")).getAllByRole("radio", { name: /./ }).filter((c) => c.classList.contains("chip"));
    expect(chips.map((c) => c.textContent)).toEqual(["Sailing", "Food & drink", "Groceries", "Transport", "Lodging", "Activities", "Shopping", "Fuel"]);
  });

  it("a negative amount is income: said so, and listed as money received", async () => {
    const { bobId, store, ann } = await openAnn();
    fireEvent.click(screen.getByTestId("add-expense"));
    await screen.findByTestId("expense-editor");
    type("What was it?", "Deposit back");
    type("Amount", "-20");
    expect(screen.getByTestId("kind-income").getAttribute("aria-checked")).toBe("true");
    expect(screen.getByTestId("refund-note").textContent).toMatch(/Ann \(you\) got €20\.00/);
    expect(screen.getByLabelText("Who got the money?")).toBeTruthy();
    fireEvent.click(screen.getByTestId("save-expense"));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toMatch(/Income · Ann \(you\) received.*\+€20\.00/);
    // saved as income, as the ledger describes it: a negative amount of kind "income"
    const saved = core.load((await store.loadGroup(ann.groupKey()))?.saved ?? "");
    expect(Object.values(saved.state().expenses).map((e) => [e.kind, e.amount])).toEqual([["income", -2000]]);
    fireEvent.click(screen.getByRole("button", { name: "Balances" }));
    // Ann holds the €20 that was half Bob's: she owes him €10
    await waitFor(() => expect(screen.getByTestId(`balance-${bobId}`).textContent).toMatch(/is owed €10\.00/));
  });

  it("the Income choice turns a typed amount into income and back", async () => {
    await openAnn();
    fireEvent.click(screen.getByTestId("add-expense"));
    await screen.findByTestId("expense-editor");
    type("Amount", "12");
    fireEvent.click(screen.getByTestId("kind-income"));
    expect(screen.getByTestId("save-expense").textContent).toBe("Add income");
    fireEvent.click(screen.getByTestId("kind-expense"));
    expect(screen.getByTestId("save-expense").textContent).toBe("Add expense");
  });

  it("asks before saving a very large amount (a slipped decimal point), and saves nothing if told no", async () => {
    const { store, ann } = await openAnn(({ ann, net }) => void ann.addExpense(titled(ann, "Coffee", 450), net.clock.now));
    fireEvent.click(screen.getByTestId("add-expense"));
    await screen.findByTestId("expense-editor");
    type("What was it?", "Lunch");
    type("Amount", "4500");
    fireEvent.click(screen.getByTestId("save-expense"));
    expect((await screen.findByRole("alertdialog")).textContent).toMatch(/€4,500\.00 is a lot more than this group usually spends/);
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
    expect(screen.getByTestId("expense-editor")).toBeTruthy();
    const kept = core.load((await store.loadGroup(ann.groupKey()))?.saved ?? "");
    expect(Object.keys(kept.state().expenses)).toHaveLength(1);
    type("Amount", "45.00");
    fireEvent.click(screen.getByTestId("save-expense"));
    await waitFor(() => expect(rows()).toHaveLength(2));
  });
});

describe("finding expenses", () => {
  const three = ({ ann, bob, net }: Trip) => {
    ann.addExpense(titled(ann, "Dinner", 4500, { note: "birthday", shop: "Zé's" }), net.clock.now);
    ann.addExpense({ ...titled(ann, "Taxi", 1230), payers: [[bob.me(), 1230]], split: { kind: "equal", members: [bob.me()] } }, net.clock.now);
    ann.addExpense(titled(ann, "Museum", 900, { category: "Activities", split: { kind: "equal", members: [ann.me(), bob.me()] } }), net.clock.now);
  };

  it("search matches titles, notes, shops, categories, payer names and amounts", async () => {
    await openAnn(three);
    const search = (q: string) => {
      fireEvent.input(screen.getByLabelText("Search"), { target: { value: q } });
      return rows().map((r) => r.split(/\s|Ann|Bob/)[0]);
    };
    expect(search("dinner")).toEqual(["Dinner"]);
    expect(search("birthday")).toEqual(["Dinner"]);
    expect(search("ze")).toEqual(["Dinner"]);
    expect(search("activities")).toEqual(["Museum"]);
    expect(search("bob")).toEqual(["Taxi"]);
    expect(search("45")).toEqual(["Dinner"]);
    expect(search("€12.3")).toEqual(["Taxi"]);
    expect(search("ann 9")).toEqual(["Museum"]);
    expect(search("nothing like it")).toEqual([]);
    expect(screen.getByText("Nothing matches.")).toBeTruthy();
  });

  it("the member filter says whether it means paid by or shared by", async () => {
    const { bobId } = await openAnn(three);
    fireEvent.click(screen.getByRole("button", { name: "Filters" }));
    fireEvent.change(screen.getByLabelText("Paid by"), { target: { value: bobId } });
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toMatch(/^Taxi/);
    fireEvent.change(screen.getByLabelText("Paid by"), { target: { value: "" } });
    fireEvent.change(screen.getByLabelText("Shared by"), { target: { value: bobId } });
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(rows().map((r) => r.slice(0, 4)).sort()).toEqual(["Muse", "Taxi"]);
  });
});

describe("statistics", () => {
  it("hide dimensions that hold nothing: no account used, no 'By account'", async () => {
    await openAnn(({ ann, net }) => void ann.addExpense(titled(ann, "Dinner", 4500, { category: "Food & drink" }), net.clock.now));
    fireEvent.click(screen.getByRole("button", { name: "Stats" }));
    await waitFor(() => expect(screen.getByTestId("stats").getAttribute("aria-busy")).toBe("false"));
    const titles = [...document.querySelectorAll("figcaption")].map((f) => f.textContent);
    expect(titles).toEqual(["By category", "Paid by"]);
  });
});

describe("messages", () => {
  it("toasts come one at a time: a new one replaces the last", async () => {
    await openAnn();
    for (const amount of ["1", "2"]) {
      fireEvent.click(screen.getByTestId("add-expense"));
      await screen.findByTestId("expense-editor");
      type("Amount", amount);
      fireEvent.click(screen.getByTestId("save-expense"));
      await waitFor(() => expect(screen.queryByTestId("expense-editor")).toBeNull());
    }
    expect(screen.getAllByTestId("toast")).toHaveLength(1);
  });
});

describe("sync in plain words", () => {
  it("relay Down (all of them): says offline, keeps the changes, never 'just now'", async () => {
    await openAnn(({ ann, net }) => {
      ann.addExpense(titled(ann, "Kiosk", 500), net.clock.now);
      for (const r of net.relays) r.down = true;
    });
    fireEvent.click(screen.getByTestId("sync-indicator"));
    fireEvent.click(await screen.findByTestId("sync-now"));
    await waitFor(() => expect(screen.getByTestId("sync-headline").textContent).toMatch(/changes are saved on this phone and will be sent/));
    expect(screen.getByTestId("sync-panel").textContent).not.toMatch(/just now/);
    expect(screen.getByTestId("sync-indicator").textContent).toMatch(/^Offline/);
  });

  it("Offline for weeks: a phone catching up says how many updates it is receiving", async () => {
    const trip = await lisbon();
    for (const amount of [100, 200, 300]) {
      trip.bob.addExpense(titled(trip.bob, "Bob's", amount), trip.net.clock.now);
      await round(trip.bob, trip.net);
    }
    const store = memoryStore();
    await store.saveGroup(trip.ann, 0);
    render(<Shell factory={core} store={store} kernel="simd128" autoSync={false} fetchFn={trip.net.fetch} />);
    await screen.findByTestId("add-expense");
    const labels: string[] = [];
    const seen = new MutationObserver(() => labels.push(screen.getByTestId("sync-indicator").textContent ?? ""));
    seen.observe(document.body, { subtree: true, childList: true, characterData: true });
    fireEvent.click(screen.getByTestId("sync-indicator"));
    fireEvent.click(await screen.findByTestId("sync-now"));
    await waitFor(() => expect(rows()).toHaveLength(3));
    seen.disconnect();
    expect(labels).toContain("Receiving…: Receiving 3 updates…");
  });
});

describe("groups", () => {
  it("two groups of the same name are told apart by who is in them", async () => {
    const { store } = await openAnn();
    const other = core.create({ name: "Lisbon", memberName: "Ann", currency: "EUR", relays: RELAYS, k: 2, nowMs: 1 });
    await store.saveGroup(other, 0);
    fireEvent.click(screen.getByRole("button", { name: "Settings" }));
    fireEvent.click(screen.getByTestId("group-switch"));
    await waitFor(() => expect(screen.getAllByTestId("group-choice")).toHaveLength(2));
    const choices = screen.getAllByTestId("group-choice");
    const [a = "", b = ""] = choices.map((c) => c.textContent ?? "");
    expect(a.startsWith("Lisbon") && b.startsWith("Lisbon")).toBe(true);
    expect(a).not.toBe(b);
    expect([a, b].some((t) => /Ann, Bob/.test(t))).toBe(true);
  });
});

describe("the trip's end", () => {
  it("prints a summary of balances and the settle-up plan", async () => {
    await openAnn(({ ann, bob, net }) => void ann.addExpense(expense(ann.me(), [ann.me(), bob.me()], 3000, "Hotel"), net.clock.now));
    fireEvent.click(screen.getByRole("button", { name: "Balances" }));
    fireEvent.click(await screen.findByTestId("print-summary"));
    const sheet = await screen.findByTestId("printable");
    await waitFor(() => expect(sheet.getAttribute("aria-busy")).toBe("false"));
    expect(sheet.textContent).toMatch(/Lisbon/);
    expect(sheet.textContent).toMatch(/Bob pays Ann €15\.00/);
    expect(sheet.textContent).toMatch(/Ann€30\.00is owed €15\.00/);
  });
});

describe("Hostile input from a member: right-to-left text", () => {
  it("names and titles are isolated, so an override character cannot reorder what is around them", async () => {
    const evil = "\u202Eevil";
    await openAnn(async ({ ann, bob, net }) => {
      bob.renameMember(bob.me(), evil, net.clock.now);
      bob.addExpense({ ...titled(bob, `Taxi ${evil}`, 1230), payers: [[bob.me(), 1230]] }, net.clock.now);
      await round(bob, net);
      await round(ann, net);
    });
    const row = screen.getAllByTestId("expense-row")[0] as HTMLElement;
    const isolated = [...row.querySelectorAll("bdi")].map((b) => b.textContent);
    expect(isolated).toContain(`Taxi ${evil}`);
    expect(isolated).toContain(evil);
    // no text outside a <bdi> holds the override
    const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.textContent?.includes("\u202E")) expect(n.parentElement?.closest("bdi")).not.toBeNull();
    }
    fireEvent.click(screen.getByRole("button", { name: "Members" }));
    const member = (await screen.findAllByTestId("member-row")).find((r) => r.textContent?.includes(evil));
    expect(member?.querySelector("bdi")?.textContent).toBe(evil);
  });
});
