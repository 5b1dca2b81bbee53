// The sums behind "Across groups" (./across), without the core: plain data in, the lines
// out. Adversaries: Hostile input from a member (look-alike names), Older or newer version
// (a link record that is not what this version writes).
import { describe, expect, it } from "vitest";
import { acrossView, confirmLink, loadLinks, sameNameKey, unlink, type AcrossGroup } from "./across";

const g = (key: string, currency: string, members: Record<string, string>, transfers: [string, string, number][]): AcrossGroup => ({
  key,
  name: key,
  currency,
  me: "me",
  members,
  transfers: transfers.map(([from, to, amount]) => ({ from, to, amount })),
});

const flat = g("flat", "EUR", { b1: "Bob", c1: "Carol" }, [
  ["b1", "me", 1000],
  ["me", "c1", 300],
]);
const ski = g("ski", "EUR", { b2: "BOB " }, [["b2", "me", 250]]);
const zurich = g("zurich", "CHF", { b3: "Bób" }, [["me", "b3", 400]]);

describe("across groups, the sums", () => {
  it("names match without case, accents or outer spaces; different names do not", () => {
    expect(sameNameKey(" Bób ")).toBe(sameNameKey("bob"));
    expect(sameNameKey("Bobby")).not.toBe(sameNameKey("Bob"));
  });

  it("sums a linked person per currency only; others stay per group", () => {
    const links = [
      [
        { group: "flat", member: "b1" },
        { group: "ski", member: "b2" },
        { group: "zurich", member: "b3" },
      ],
    ];
    const view = acrossView([flat, ski, zurich], links);
    expect(view.linked).toEqual([{ name: "Bob", refs: links[0], net: [["CHF", -400], ["EUR", 1250]] }]);
    expect(view.byGroup).toEqual([{ key: "flat", name: "flat", people: [{ name: "Carol", refs: [{ group: "flat", member: "c1" }], net: [["EUR", -300]] }] }]);
    expect(view.suggestions).toEqual([]);
  });

  it("a Bob in a new group is offered to the linked Bob; confirming merges the links", () => {
    const first = confirmLink([], [
      { group: "flat", member: "b1" },
      { group: "ski", member: "b2" },
    ]);
    const view = acrossView([flat, ski, zurich], first);
    expect(view.suggestions.map((s) => s.refs.map((r) => r.group))).toEqual([["flat", "ski", "zurich"]]);
    const merged = confirmLink(first, view.suggestions[0]?.refs ?? []);
    expect(merged).toHaveLength(1);
    expect(acrossView([flat, ski, zurich], merged).linked[0]?.net).toEqual([["CHF", -400], ["EUR", 1250]]);
    expect(unlink(merged, { group: "ski", member: "b2" })).toEqual([]);
  });

  it("a link naming you, a left group or a member twice counts nothing twice", () => {
    const view = acrossView(
      [flat, ski],
      [
        [
          { group: "flat", member: "b1" },
          { group: "flat", member: "me" },
          { group: "gone", member: "b9" },
        ],
        [
          { group: "flat", member: "b1" },
          { group: "ski", member: "b2" },
        ],
        [
          { group: "ski", member: "b2" },
          { group: "flat", member: "c1" },
        ],
      ],
    );
    expect(view.linked.map((p) => [p.name, p.net])).toEqual([["Bob", [["EUR", 1250]]]]);
    expect(view.byGroup.map((x) => x.people.map((p) => p.name))).toEqual([["Carol"]]);
  });

  it("Older or newer version: link records of another shape read as no links, or only their readable parts", () => {
    const store = (text: string | null) => ({ getItem: () => text });
    expect(loadLinks(store(null))).toEqual([]);
    expect(loadLinks(store("not json"))).toEqual([]);
    expect(loadLinks(store('{"people":[]}'))).toEqual([]);
    expect(loadLinks(store('[[{"group":"a","member":"b","extra":1},{"group":2}],"x"]'))).toEqual([[{ group: "a", member: "b" }]]);
  });
});
