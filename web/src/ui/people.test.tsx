// @vitest-environment happy-dom
// People who never install the app: listed by name when the group is made, added by name
// on the members screen, marked as such, and claimed ("I am Dan") by whoever joins as them
// later. On the real core (wasm) over the fake network. Adversaries: Two writers (two
// phones claim the same name; the second is told who has it), the hurried user (a name
// typed twice).
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { memoryStore } from "../core/storage";
import type { GroupApi } from "../core/types";
import { core, lisbon, RELAYS, round } from "../test/groups";
import { openAnn } from "../test/shell";
import { Shell } from "./Shell";

afterEach(() => {
  cleanup();
  history.replaceState(null, "", "/");
  localStorage.clear();
});

function type(label: string | RegExp, value: string) {
  fireEvent.input(screen.getByLabelText(label), { target: { value } });
}

const memberRows = () => screen.getAllByTestId("member-row").map((r) => r.textContent ?? "");

async function syncOnce() {
  fireEvent.click(screen.getByTestId("sync-indicator"));
  const button = (await screen.findByTestId("sync-now")) as HTMLButtonElement;
  fireEvent.click(button);
  await waitFor(() => expect(button.textContent).toBe("Sync now"));
  fireEvent.click(within(screen.getByTestId("sync-panel")).getByRole("button", { name: "Close" }));
  await waitFor(() => expect(screen.queryByTestId("sync-panel")).toBeNull());
}

describe("people added by name", () => {
  it("hurried user: creating a group lists everyone by name up front; a name typed twice is refused", async () => {
    render(<Shell factory={core} store={memoryStore()} kernel="simd128" autoSync={false} />);
    fireEvent.click(await screen.findByRole("button", { name: "New group" }));
    type("Group name", "Ski week");
    type("Your name", "Ann");
    type(/Relays \(one per line\)/, RELAYS.join("\n"));
    type("Everyone else (optional)", "Bob\nann\n");
    fireEvent.click(screen.getByRole("button", { name: "Create group" }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/Everyone else: “.ann.” is there twice/);
    type("Everyone else (optional)", "Bob\n\n Carol ");
    fireEvent.click(screen.getByRole("button", { name: "Create group" }));
    fireEvent.click(await screen.findByRole("button", { name: "Continue" }));
    fireEvent.click(await screen.findByRole("button", { name: "Members" }));
    await waitFor(() => expect(memberRows()).toHaveLength(3));
    expect(memberRows()).toEqual([
      "Annyouthis phoneRenameHow to pay",
      expect.stringMatching(/^Bobname onlyadded by name: shares expenses without the app/),
      expect.stringMatching(/^Carolname onlyadded by name/),
    ]);
    // they share expenses at once
    fireEvent.click(screen.getByRole("button", { name: "Expenses" }));
    fireEvent.click(await screen.findByTestId("add-expense"));
    await screen.findByTestId("expense-editor");
    expect(screen.getByRole("checkbox", { name: "Carol" })).toBeTruthy();
  });

  it("the members screen adds someone by name; a name already in the group is refused", async () => {
    const { ann, store } = await openAnn();
    fireEvent.click(screen.getByRole("button", { name: "Members" }));
    const form = await screen.findByTestId("add-placeholder");
    fireEvent.click(within(form).getByRole("button", { name: "Add by name" }));
    expect(screen.getByTestId("add-placeholder-error").textContent).toBe("Enter their name.");
    type("Their name", "bob");
    fireEvent.click(within(form).getByRole("button", { name: "Add by name" }));
    expect(screen.getByTestId("add-placeholder-error").textContent).toMatch(/^.bob. is already in the group/);
    type("Their name", "Dan");
    fireEvent.click(within(form).getByRole("button", { name: "Add by name" }));
    await waitFor(() => expect(memberRows()).toHaveLength(3));
    expect(memberRows().find((r) => r.startsWith("Dan"))).toMatch(/name only/);
    const saved = core.load((await store.loadGroup(ann.groupKey()))?.saved ?? "");
    expect(Object.values(saved.state().members).filter((m) => m.placeholder).map((m) => m.name)).toEqual(["Dan"]);
  });
});

/** Ann's Lisbon group (Bob in it) with Dan added by name and a dinner shared with him. */
async function withDan() {
  const trip = await lisbon();
  const { ann, bobId, net } = trip;
  const dan = ann.addPlaceholder("Dan", net.clock.now);
  ann.addExpense({ title: "Dinner", amount: 3000, currency: "EUR", category: "", shop: "", account: "", payers: [[ann.me(), 3000]], split: { kind: "equal", members: [ann.me(), bobId, dan] }, date: "2026-01-02", note: "" }, net.clock.now);
  await round(ann, net);
  await round(trip.bob, net);
  return { ...trip, dan };
}

/** Carol's phone joins from the invite link as `name` and gets the history. */
async function joinAs(ann: GroupApi, bob: GroupApi, net: Awaited<ReturnType<typeof lisbon>>["net"], name: string) {
  history.replaceState(null, "", `/${ann.inviteLink("")}`);
  const store = memoryStore();
  render(<Shell factory={core} store={store} kernel="simd128" autoSync={false} fetchFn={net.fetch} />);
  await screen.findByRole("heading", { name: "Join Lisbon" });
  type("Your name", name);
  fireEvent.click(screen.getByRole("button", { name: "Join Lisbon" }));
  await screen.findByTestId("add-expense");
  await syncOnce(); // announces herself
  await round(ann, net); // Ann answers with the history
  await round(bob, net);
  await syncOnce(); // the history arrives
  return store;
}

describe("claiming a name on join", () => {
  it("joining offers “I am Dan”; claiming makes Dan's share the new member's own", async () => {
    const { ann, bob, net } = await withDan();
    const store = await joinAs(ann, bob, net, "Daniel");
    const offer = await screen.findByTestId("claim-offer");
    expect(offer.textContent).toMatch(/added people to Lisbon by name/);
    fireEvent.click(within(offer).getByRole("button", { name: "I am Dan" }));
    await waitFor(() => expect(screen.queryByTestId("claim-offer")).toBeNull());
    const me = core.load((await store.loadGroup(ann.groupKey()))?.saved ?? "");
    fireEvent.click(screen.getByRole("button", { name: "Balances" }));
    expect((await screen.findByTestId(`balance-${me.me()}`)).textContent).toMatch(/Daniel \(you\)owes €10\.00/);
    fireEvent.click(screen.getByRole("button", { name: "Members" }));
    await waitFor(() => expect(memberRows().find((r) => r.startsWith("Danname only"))).toMatch(/now Daniel \(you\), who joined/));
  });

  it("Two writers (one name claimed twice): a claim of a name someone else claimed first is refused, saying who", async () => {
    const { ann, bob, net, dan } = await withDan();
    const store = await joinAs(ann, bob, net, "Daniel");
    const offer = await screen.findByTestId("claim-offer");
    // Bob claims Dan first, and another tab of this phone syncs it in
    bob.claimPlaceholder(dan, net.clock.now);
    await round(bob, net);
    const stored = await store.loadGroup(ann.groupKey());
    const otherTab = core.load(stored?.saved ?? "");
    await round(otherTab, net);
    expect(otherTab.state().members[dan]?.status).toBe("claimed");
    await store.saveGroup(otherTab, stored?.rev ?? 0);
    fireEvent.click(within(offer).getByRole("button", { name: "I am Dan" }));
    expect((await screen.findByTestId("claim-error")).textContent).toBe("\u2068Dan\u2069 has already been claimed by \u2068Bob\u2069. If that is wrong, ask them to rename themselves.");
    expect(within(screen.getByTestId("claim-offer")).queryByRole("button", { name: "I am Dan" })).toBeNull();
  });

  it("the group's creator is not asked who they are; a member who joined earlier claims a name on the members screen", async () => {
    const { ann, store } = await openAnn(({ ann, net }) => void ann.addPlaceholder("Dan", net.clock.now));
    expect(screen.queryByTestId("claim-offer")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Members" }));
    fireEvent.click(await screen.findByRole("button", { name: "That's me: Dan" }));
    expect((await screen.findByRole("alertdialog")).textContent).toMatch(/Are you .Dan.\? What was recorded for .Dan. becomes yours/);
    fireEvent.click(screen.getByTestId("confirm-ok"));
    await waitFor(() => expect(memberRows().find((r) => r.startsWith("Danname only"))).toMatch(/now Ann \(you\), who joined/));
    const saved = core.load((await store.loadGroup(ann.groupKey()))?.saved ?? "");
    expect(Object.values(saved.state().members).find((m) => m.name === "Dan")?.status).toBe("claimed");
  });
});
