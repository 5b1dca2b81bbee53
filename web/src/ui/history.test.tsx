// @vitest-environment happy-dom
// History and the activity feed on the real core (wasm): who created an expense, each
// edit (what changed, by whom, when), deletions, an older version or a deleted expense
// brought back in one tap. Adversaries: Two writers (a restore someone else already made,
// an edit from another phone), Misbehaving member (a name with direction overrides and
// markup, a clock far off).
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import type { Expense, GroupApi } from "../core/types";
import { core, round, type Trip } from "../test/groups";
import { openAnn } from "../test/shell";

afterEach(cleanup);

const dinner = (ann: GroupApi, bobId: string, amount = 3000): Expense => ({
  title: "Dinner",
  amount,
  currency: "EUR",
  category: "",
  shop: "",
  account: "",
  payers: [[ann.me(), amount]],
  split: { kind: "equal", members: [ann.me(), bobId] },
  date: "2026-01-02",
  note: "",
});

/** Ann adds the dinner; Bob, on his phone, changes its amount and note (`at` by his clock). */
async function bobEdits({ ann, bob, bobId, net }: Trip, at = net.clock.now) {
  const id = ann.addExpense(dinner(ann, bobId), net.clock.now);
  await round(ann, net);
  await round(bob, net);
  bob.editExpense(id, { ...dinner(ann, bobId, 3500), note: "with wine" }, at);
  await round(bob, net);
  await round(ann, net);
  return id;
}

const entries = () => screen.getAllByTestId("history-entry").map((e) => e.querySelector(".main > span")?.textContent ?? "");

async function openHistory() {
  fireEvent.click(screen.getAllByTestId("expense-row")[0] as HTMLElement);
  const toggle = (await screen.findByTestId("history-toggle")) as HTMLDetailsElement;
  toggle.open = true;
  fireEvent(toggle, new Event("toggle"));
  return screen.findByTestId("expense-history");
}

async function openActivity() {
  fireEvent.click(screen.getByTestId("open-activity"));
  return screen.findByTestId("activity");
}

describe("an expense's history", () => {
  it("Two writers: shows who added it and Bob's edit (the amount and the note, €30.00 → €35.00); the older version comes back in one tap", async () => {
    await openAnn(async (t) => void (await bobEdits(t)));
    await openHistory();
    expect(entries()).toEqual(["Ann (you) added it", "Bob changed the amount, who paid and the note (€30.00 → €35.00)"]);
    const [first, second] = screen.getAllByTestId("history-entry");
    expect(within(second as HTMLElement).queryByRole("button", { name: "Bring back this version" })).toBeNull();
    fireEvent.click(within(first as HTMLElement).getByRole("button", { name: "Bring back this version" }));
    await waitFor(() => expect(screen.queryByTestId("expense-editor")).toBeNull());
    expect(screen.getByTestId("expense-row").textContent).toMatch(/€30\.00/);
    await openHistory();
    expect(entries()[2]).toBe("Ann (you) changed the amount, who paid and the note (€35.00 → €30.00)");
  });

  it("Misbehaving member: a name with direction overrides and markup, and a clock far off, stay plain text in their place", async () => {
    await openAnn(async (t) => {
      t.bob.renameMember(t.bobId, "\u202Eevil <img src=x onerror=alert(1)>", t.net.clock.now);
      await bobEdits(t, 1e300);
    });
    const history = await openHistory();
    expect(history.querySelector("img")).toBeNull();
    const hostile = screen.getAllByTestId("history-entry")[1] as HTMLElement;
    expect(hostile.querySelector("bdi")?.textContent).toBe("\u202Eevil <img src=x onerror=alert(1)>");
    expect(hostile.textContent).toMatch(/changed the amount, who paid and the note \(€30\.00 → €35\.00\)at an unknown time$/);
  });
});

describe("the activity feed", () => {
  it("newest first, filtered by member", async () => {
    const { ann } = await openAnn(async (t) => void (await bobEdits(t)));
    await openActivity();
    expect(entries()).toEqual(["Bob changed the amount, who paid and the note of \u2068Dinner\u2069 (€30.00 → €35.00)", "Ann (you) added \u2068Dinner\u2069"]);
    fireEvent.change(screen.getByLabelText("Show"), { target: { value: ann.me() } });
    await waitFor(() => expect(entries()).toEqual(["Ann (you) added \u2068Dinner\u2069"]));
  });

  it("a deleted expense is restored in one tap; Two writers: a restore someone already made is said so", async () => {
    const { ann, bobId, store } = await openAnn(({ ann, bobId, net }) => void ann.addExpense(dinner(ann, bobId), net.clock.now));
    // delete it from the editor; the list is empty, the activity still says who did it
    fireEvent.click(screen.getByTestId("expense-row"));
    fireEvent.click(await screen.findByRole("button", { name: "Delete" }));
    fireEvent.click(await screen.findByTestId("confirm-ok"));
    await screen.findByTestId("empty-start");
    await openActivity();
    expect(entries()[0]).toBe("Ann (you) deleted \u2068Dinner\u2069");
    // another tab brings it back first
    const stored = await store.loadGroup(ann.groupKey());
    const otherTab = core.load(stored?.saved ?? "");
    const id = Object.keys(otherTab.state().expenses)[0] ?? "";
    expect(id).toBe("");
    const [deleted] = otherTab.activity(null, 1);
    otherTab.restoreExpense(deleted?.subject ?? "", null, Date.now());
    await store.saveGroup(otherTab, stored?.rev ?? 0);
    fireEvent.click(screen.getByTestId("restore"));
    expect(await screen.findByText("This expense is already back: someone restored it in the meantime.")).toBeTruthy();
    await waitFor(() => expect(screen.queryByTestId("restore")).toBeNull());
    fireEvent.click(within(screen.getByTestId("activity")).getByRole("button", { name: "Close" }));
    expect((await screen.findByTestId("expense-row")).textContent).toMatch(/Dinner/);
    void bobId;
  });

  it("a payment reads who paid whom how much", async () => {
    await openAnn(({ ann, bobId, net }) => void ann.recordSettlement({ from: bobId, to: ann.me(), amount: 1000, currency: "EUR", date: "2026-01-03" }, net.clock.now));
    fireEvent.click(screen.getByTestId("open-activity"));
    await screen.findByTestId("activity");
    expect(entries()).toEqual(["Ann (you) recorded a payment (\u2068Bob\u2069 paid \u2068Ann\u2069 €10.00)"]);
  });

  it("a deleted expense comes back with the delete toast's Undo", async () => {
    await openAnn(({ ann, bobId, net }) => void ann.addExpense(dinner(ann, bobId), net.clock.now));
    fireEvent.click(screen.getByTestId("expense-row"));
    fireEvent.click(await screen.findByRole("button", { name: "Delete" }));
    fireEvent.click(await screen.findByTestId("confirm-ok"));
    await screen.findByTestId("empty-start");
    fireEvent.click(await screen.findByRole("button", { name: "Undo" }));
    expect((await screen.findByTestId("expense-row")).textContent).toMatch(/Dinner/);
  });
});
