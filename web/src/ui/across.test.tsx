// @vitest-environment happy-dom
// "Across groups" in the group list, on the real core (wasm): Ann's phone holds several
// groups, each with a Bob added by name. What the user notices: a Bob is only summed over
// groups once she confirmed it is the same person; euros and francs are never added
// together; a link to a group she left is ignored. Adversaries: Hostile input from a
// member (a Misbehaving member's name with direction overrides and markup), Older or
// newer version (a saved link record this version cannot read).
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { memoryStore } from "../core/storage";
import type { GroupApi, MemberId } from "../core/types";
import { core, RELAYS } from "../test/groups";
import { Shell } from "./Shell";

afterEach(() => {
  cleanup();
  history.replaceState(null, "", "/");
  localStorage.clear();
});

const NOW = Date.UTC(2026, 0, 2);

/** Ann's group `name` in `currency` with people added by name; `owes` lists who owes Ann
 * how much (negative: Ann owes them), from one expense each, split in two. */
function group(name: string, currency: string, owes: [string, number][]): { api: GroupApi; ids: Record<string, MemberId> } {
  const api = core.create({ name, memberName: "Ann", currency, relays: RELAYS, k: 2, nowMs: NOW });
  const ids: Record<string, MemberId> = {};
  for (const [who, amount] of owes) {
    const id = (ids[who] = api.addPlaceholder(who, NOW));
    const payer = amount > 0 ? api.me() : id;
    const total = Math.abs(amount) * 2;
    api.addExpense(
      { amount: total, currency, category: "Food", shop: "Dinner", account: "Card", payers: [[payer, total]], split: { kind: "equal", members: [api.me(), id] }, date: "2026-01-02", note: "" },
      NOW,
    );
  }
  return { api, ids };
}

/** Ann's phone with these groups saved (the first open), the group list shown. */
async function openList(groups: GroupApi[]) {
  const store = memoryStore();
  for (const g of groups) await store.saveGroup(g, 0);
  await store.setCurrent(groups[0]?.groupKey() ?? null);
  render(<Shell factory={core} store={store} kernel="simd128" autoSync={false} />);
  fireEvent.click(await screen.findByTestId("group-switch"));
  await screen.findByTestId("group-list");
  if (groups.length >= 2) await screen.findByTestId("across");
  return store;
}

const lines = (testid: string) => screen.queryAllByTestId(testid).map((r) => (r.textContent ?? "").replace(/\u00a0/g, " "));
const unlinked = (groupName: string) => {
  const section = screen.getAllByTestId("across-group").find((g) => g.querySelector("h3")?.textContent === groupName);
  return within(section as HTMLElement)
    .getAllByTestId("across-unlinked")
    .map((r) => (r.textContent ?? "").replace(/\u00a0/g, " "));
};

describe("totals across groups", () => {
  it("two Bobs are not summed until Ann confirms they are the same person, then summed; unlinking splits them again", async () => {
    const lisbon = group("Lisbon", "EUR", [["Bob", 1240], ["Carol", -300]]);
    const ski = group("Ski", "EUR", [["bób", 500]]);
    await openList([lisbon.api, ski.api]);
    expect(lines("across-person")).toEqual([]);
    // what each group's settle-up plan says between Ann and each person: in Lisbon Bob
    // owes €12.40 and Ann owes Carol €3.00, so the plan has Bob pay Carol for her
    expect(unlinked("Lisbon")).toEqual(["Bob owes you €9.40", "Carol: settled up"]);
    expect(unlinked("Ski")).toEqual(["bób owes you €5.00"]);
    const suggestion = screen.getByTestId("across-suggestion");
    expect(suggestion.textContent).toBe("Bob in \u2068Lisbon\u2069, \u2068Ski\u2069: the same person?Same person");

    fireEvent.click(within(suggestion).getByRole("button", { name: "Same person" }));
    await waitFor(() => expect(lines("across-person")).toEqual(["Bob owes you €14.40in \u2068Lisbon\u2069, \u2068Ski\u2069Not the same"]));
    expect(unlinked("Lisbon")).toEqual(["Carol: settled up"]);
    expect(screen.queryByTestId("across-suggestion")).toBeNull();

    // kept on this device: the list opened again still sums them
    fireEvent.click(screen.getByRole("button", { name: "Close" }));
    fireEvent.click(await screen.findByTestId("group-switch"));
    await waitFor(() => expect(lines("across-person")).toHaveLength(1));

    fireEvent.click(screen.getByRole("button", { name: "\u2068Bob\u2069: not the same person" }));
    await waitFor(() => expect(lines("across-person")).toEqual([]));
    expect(unlinked("Lisbon")).toEqual(["Bob owes you €9.40", "Carol: settled up"]);
    expect(screen.getByTestId("across-suggestion")).toBeTruthy();
  });

  it("different currencies are never added together; what Ann owes in one is netted only within its currency", async () => {
    const lisbon = group("Lisbon", "EUR", [["Bob", 1240]]);
    const zurich = group("Zurich", "CHF", [["Bob", 500]]);
    const rome = group("Rome", "EUR", [["Bob", -1000]]);
    await openList([lisbon.api, zurich.api, rome.api]);
    fireEvent.click(within(screen.getByTestId("across-suggestion")).getByRole("button", { name: "Same person" }));
    await waitFor(() => expect(lines("across-person")).toHaveLength(1));
    expect(lines("across-person")[0]).toMatch(/^Bob owes you CHF 5\.00 · €2\.40in /);

    // and where Ann owes in one currency and is owed in the other, both are said
    cleanup();
    localStorage.clear();
    await openList([group("Lisbon", "EUR", [["Bob", -700]]).api, group("Zurich", "CHF", [["Bob", 500]]).api]);
    fireEvent.click(within(screen.getByTestId("across-suggestion")).getByRole("button", { name: "Same person" }));
    await waitFor(() => expect(lines("across-person")).toHaveLength(1));
    expect(lines("across-person")[0]).toMatch(/^Bob owes you CHF 5\.00You owe Bob €7\.00in /);
  });

  it("a link to a group no longer on this device, or to a member not in it, is ignored", async () => {
    const lisbon = group("Lisbon", "EUR", [["Bob", 1240]]);
    const ski = group("Ski", "EUR", [["Bob", 500]]);
    const gone = group("Gone", "EUR", [["Bob", 900]]);
    localStorage.setItem(
      "gfms.acrossLinks",
      JSON.stringify([
        [
          { group: lisbon.api.groupKey(), member: lisbon.ids.Bob },
          { group: gone.api.groupKey(), member: gone.ids.Bob },
        ],
        [
          { group: ski.api.groupKey(), member: ski.ids.Bob },
          { group: ski.api.groupKey(), member: "f".repeat(64) },
        ],
      ]),
    );
    await openList([lisbon.api, ski.api]);
    // neither link holds two members that exist: nothing is summed, the Bobs are apart
    expect(lines("across-person")).toEqual([]);
    expect(unlinked("Lisbon")).toEqual(["Bob owes you €12.40"]);
    expect(unlinked("Ski")).toEqual(["Bob owes you €5.00"]);
  });

  it("Older or newer version: a link record this version cannot read links nothing", async () => {
    localStorage.setItem("gfms.acrossLinks", '{"v":9,"people":"?"}');
    await openList([group("Lisbon", "EUR", [["Bob", 100]]).api, group("Ski", "EUR", [["Bob", 100]]).api]);
    expect(lines("across-person")).toEqual([]);
    expect(screen.getByTestId("across-suggestion")).toBeTruthy();
  });

  it("Hostile input from a member: a name with direction overrides and markup stays plain text", async () => {
    const hostile = "\u202Eevil <img src=x onerror=alert(1)>";
    await openList([group("Lisbon", "EUR", [[hostile, 100]]).api, group("Ski", "EUR", [[hostile, 200]]).api]);
    const across = screen.getByTestId("across");
    expect(across.querySelector("img")).toBeNull();
    expect(within(screen.getByTestId("across-suggestion")).getByText(hostile).tagName).toBe("BDI");
    fireEvent.click(within(screen.getByTestId("across-suggestion")).getByRole("button", { name: "Same person" }));
    const person = await screen.findByTestId("across-person");
    expect(person.querySelector("bdi")?.textContent).toBe(hostile);
    expect(across.querySelector("img")).toBeNull();
  });

  it("one group only: no Across groups section", async () => {
    await openList([group("Lisbon", "EUR", [["Bob", 100]]).api]);
    expect(screen.queryByTestId("across")).toBeNull();
    expect(screen.queryByText("Across groups")).toBeNull();
  });
});
