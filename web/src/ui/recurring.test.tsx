// @vitest-environment happy-dom
// Recurring expenses on the real core (wasm): the editor's "Repeats" sets up a series; the
// list shows the instances due by today, marked as a series, derived on every phone (never
// written, never created twice); one instance or this and later ones are changed, one is
// skipped, the series is stopped, each in the activity. Failure paths: an end before the
// start is refused in words. Adversaries: Two writers (the rule edited on two phones at
// once; an instance skipped on one phone while the other syncs).
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { isoDate } from "../core/format";
import type { Expense, GroupApi, MemberId } from "../core/types";
import { core, round, type Trip } from "../test/groups";
import { openAnn } from "../test/shell";

afterEach(cleanup);

/** The first of the month `back` months before this one (YYYY-MM-DD). */
function firstOf(back: number): string {
  const now = new Date();
  return isoDate(new Date(now.getFullYear(), now.getMonth() - back, 1));
}

const rent = (payer: MemberId, members: MemberId[], amount = 90000): Expense => ({
  title: "Rent",
  amount,
  currency: "EUR",
  category: "Rent",
  shop: "",
  account: "",
  payers: [[payer, amount]],
  split: { kind: "equal", members },
  date: firstOf(2),
  note: "",
});

/** Ann's monthly rent from the first of the month two months ago: three instances due today. */
function addRent({ ann, bobId, net }: Trip): string {
  return ann.addRecurring({ template: rent(ann.me(), [ann.me(), bobId]), schedule: { unit: "month", every: 1, start: firstOf(2) } }, net.clock.now);
}

async function sync(from: GroupApi, to: GroupApi, net: Trip["net"]) {
  await round(from, net);
  await round(to, net);
}

const rows = () => screen.queryAllByTestId("expense-row");
const entries = () => screen.getAllByTestId("history-entry").map((e) => e.querySelector(".main > span")?.textContent ?? "");
const input = (label: string) => within(screen.getByTestId("expense-editor")).getByLabelText(label) as HTMLInputElement;

async function newRent(fill: () => void) {
  fireEvent.click(screen.getByTestId("add-expense"));
  await screen.findByTestId("expense-editor");
  fireEvent.input(input("What was it?"), { target: { value: "Rent" } });
  fireEvent.input(input("Amount"), { target: { value: "900" } });
  fireEvent.change(screen.getByTestId("repeat-unit"), { target: { value: "month" } });
  fireEvent.input(input("First on"), { target: { value: firstOf(2) } });
  fill();
  fireEvent.click(screen.getByTestId("save-expense"));
}

describe("setting up a recurring expense", () => {
  it("a monthly rent from two months ago shows its three instances due today, each marked as part of a series, on both phones", async () => {
    const { bob, net, store, ann } = await openAnn();
    await newRent(() => {});
    await waitFor(() => expect(rows()).toHaveLength(3));
    for (const row of rows()) {
      expect(row.textContent).toMatch(/Rent/);
      expect(row.textContent).toMatch(/€900\.00/);
      expect(within(row).getByTestId("series-tag").textContent).toMatch(/monthly/);
    }
    expect(new Set(rows().map((r) => r.dataset.id)).size).toBe(3);
    // Bob's phone derives the same instances under the same ids: nobody wrote them
    const saved = core.load((await store.loadGroup(ann.groupKey()))?.saved ?? "");
    await sync(saved, bob, net);
    const bobs = bob.expenses({}).map(([id]) => id);
    expect(bobs.sort()).toEqual(rows().map((r) => r.dataset.id ?? "").sort());
    expect(Object.keys(bob.state().recurring ?? {})).toHaveLength(1);
  });

  it("an end on a day before the start is refused with a clear message, and nothing is added", async () => {
    const { ann } = await openAnn();
    await newRent(() => {
      fireEvent.click(screen.getByTestId("repeat-end-on"));
      fireEvent.input(screen.getByTestId("repeat-until"), { target: { value: firstOf(3) } });
    });
    expect((await screen.findByTestId("editor-error")).textContent).toMatch(/^Ends: the end \(.+\) is before the first one \(.+\)$/);
    expect(screen.getByTestId("expense-editor")).toBeTruthy();
    expect(Object.keys(ann.state().recurring ?? {})).toHaveLength(0);
  });

  it("ends after 2 times: two instances, not three", async () => {
    await openAnn();
    await newRent(() => {
      fireEvent.click(screen.getByTestId("repeat-end-after"));
      fireEvent.input(screen.getByTestId("repeat-times"), { target: { value: "2" } });
    });
    await waitFor(() => expect(rows()).toHaveLength(2));
  });

  it("after 0 times is refused in words", async () => {
    await openAnn();
    await newRent(() => {
      fireEvent.click(screen.getByTestId("repeat-end-after"));
      fireEvent.input(screen.getByTestId("repeat-times"), { target: { value: "0" } });
    });
    expect((await screen.findByTestId("editor-error")).textContent).toBe("Ends: after 1 to 3,660 times");
  });
});

/** Opens the instance of `date` in the editor. */
async function openInstance(date: string) {
  const row = rows().find((r) => r.closest("section.day") && r.dataset.series && instanceDate(r) === date);
  fireEvent.click(row as HTMLElement);
  return screen.findByTestId("expense-editor");
}

let dates = new Map<string, string>();
const instanceDate = (r: HTMLElement) => dates.get(r.dataset.id ?? "");

function learnDates(api: GroupApi) {
  dates = new Map(Object.entries(api.state().instances ?? {}).map(([id, of]) => [id, of.date]));
}

describe("changing a series", () => {
  it("'This one only' changes one month; 'This and later' the month and the ones after; both in the activity", async () => {
    const { ann } = await openAnn((t) => void addRent(t));
    learnDates(ann);
    await openInstance(firstOf(2));
    expect(screen.getByTestId("series-scope").textContent).toMatch(/Repeats monthly, from/);
    expect(input("Date").disabled).toBe(true);
    fireEvent.input(input("Amount"), { target: { value: "950" } });
    fireEvent.click(screen.getByTestId("save-expense")); // "This one only" is the default
    await waitFor(() => expect(screen.queryByTestId("expense-editor")).toBeNull());
    const amounts = () => rows().map((r) => `${instanceDate(r)} ${r.querySelector(".amount")?.textContent}`).sort();
    expect(amounts()).toEqual([`${firstOf(2)} €950.00`, `${firstOf(1)} €900.00`, `${firstOf(0)} €900.00`]);

    await openInstance(firstOf(1));
    fireEvent.input(input("Amount"), { target: { value: "1000" } });
    fireEvent.click(screen.getByTestId("scope-later"));
    fireEvent.click(screen.getByTestId("save-expense"));
    await waitFor(() => expect(amounts()).toEqual([`${firstOf(2)} €950.00`, `${firstOf(1)} €1,000.00`, `${firstOf(0)} €1,000.00`]));

    fireEvent.click(screen.getByTestId("open-activity"));
    await screen.findByTestId("activity");
    const [later, one, added] = entries();
    expect(added).toBe("Ann (you) set up \u2068Rent\u2069, repeating");
    expect(one).toMatch(/^Ann \(you\) changed the amount and who paid of \u2068Rent\u2069 of .+ only$/);
    expect(later).toMatch(/^Ann \(you\) changed the amount and who paid of \u2068Rent\u2069 from .+ on$/);
  });

  it("'This and later' on a month that had a value of its own: that month takes the new value too", async () => {
    const { ann } = await openAnn((t) => {
      const s = addRent(t);
      t.ann.setRecurringInstance(s, firstOf(1), rent(t.ann.me(), [t.ann.me(), t.bobId], 95000), t.net.clock.now);
    });
    learnDates(ann);
    await openInstance(firstOf(1));
    fireEvent.input(input("Amount"), { target: { value: "1000" } });
    fireEvent.click(screen.getByTestId("scope-later"));
    fireEvent.click(screen.getByTestId("save-expense"));
    const amounts = () => rows().map((r) => `${instanceDate(r)} ${r.querySelector(".amount")?.textContent}`).sort();
    await waitFor(() => expect(amounts()).toEqual([`${firstOf(2)} €900.00`, `${firstOf(1)} €1,000.00`, `${firstOf(0)} €1,000.00`]));
  });

  it("skipping one month and stopping the series after another: both gone from the list and said in the activity", async () => {
    const { ann } = await openAnn((t) => void addRent(t));
    learnDates(ann);
    await openInstance(firstOf(2));
    fireEvent.click(screen.getByTestId("skip-instance"));
    fireEvent.click(await screen.findByTestId("confirm-ok"));
    await waitFor(() => expect(rows()).toHaveLength(2));
    await openInstance(firstOf(1));
    fireEvent.click(screen.getByTestId("stop-series"));
    fireEvent.click(await screen.findByTestId("confirm-ok"));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(instanceDate(rows()[0] as HTMLElement)).toBe(firstOf(1));
    fireEvent.click(screen.getByTestId("open-activity"));
    await screen.findByTestId("activity");
    const [stopped, skipped] = entries();
    expect(stopped).toMatch(/^Ann \(you\) stopped \u2068Rent\u2069 from .+ on$/);
    expect(skipped).toMatch(/^Ann \(you\) skipped \u2068Rent\u2069 of .+$/);
  });

  it("an instance's history in the editor shows the series' lines and its own", async () => {
    const { ann } = await openAnn((t) => {
      const s = addRent(t);
      t.ann.setRecurringInstance(s, firstOf(1), rent(t.ann.me(), [t.ann.me(), t.bobId], 95000), t.net.clock.now);
    });
    learnDates(ann);
    await openInstance(firstOf(1));
    const toggle = screen.getByTestId("history-toggle") as HTMLDetailsElement;
    toggle.open = true;
    fireEvent(toggle, new Event("toggle"));
    await screen.findByTestId("expense-history");
    expect(entries()).toEqual(["Ann (you) set up the series, repeating", "Ann (you) changed the amount and who paid of this one only"]);
  });
});

describe("two phones", () => {
  it("Two writers: the rule edited on both phones at once converges: Ann's screen shows what Bob's phone has, month by month", async () => {
    let bobView: [string, number][] = [];
    const { ann } = await openAnn(async (t) => {
      const s = addRent(t);
      await sync(t.ann, t.bob, t.net);
      // offline from each other: Ann raises the rent from last month, Bob from this month
      t.ann.editRecurring(s, firstOf(1), rent(t.ann.me(), [t.ann.me(), t.bobId], 95000), t.net.clock.now);
      t.bob.editRecurring(s, firstOf(0), rent(t.ann.me(), [t.ann.me(), t.bobId], 99000), t.net.clock.now);
      await sync(t.bob, t.ann, t.net);
      await sync(t.ann, t.bob, t.net);
      bobView = t.bob.expenses({}).map(([id, e]): [string, number] => [id, e.amount]);
    });
    learnDates(ann);
    const annView = rows().map((r): [string, number] => [r.dataset.id ?? "", ann.state().expenses[r.dataset.id ?? ""]?.amount ?? 0]);
    expect(annView.sort()).toEqual(bobView.sort());
    expect(annView).toHaveLength(3);
    // both edits are in the activity, neither is lost from it
    fireEvent.click(screen.getByTestId("open-activity"));
    await screen.findByTestId("activity");
    expect(entries().filter((e) => /changed the amount and who paid of \u2068Rent\u2069 from/.test(e))).toHaveLength(2);
  });

  it("Two writers: a month Bob skipped does not come back on Ann's phone, nor after Ann's next round goes to Bob", async () => {
    let bob: GroupApi | null = null;
    const { ann, net, store } = await openAnn(async (t) => {
      const s = addRent(t);
      await sync(t.ann, t.bob, t.net);
      t.bob.setRecurringInstance(s, firstOf(1), null, t.net.clock.now);
      await sync(t.bob, t.ann, t.net);
      bob = t.bob;
    });
    learnDates(ann);
    expect(rows().map(instanceDate).sort()).toEqual([firstOf(2), firstOf(0)]);
    const saved = core.load((await store.loadGroup(ann.groupKey()))?.saved ?? "");
    const b = bob as unknown as GroupApi;
    await sync(saved, b, net);
    await sync(b, saved, net);
    expect(b.expenses({})).toHaveLength(2);
    expect(saved.expenses({})).toHaveLength(2);
  });
});
