// @vitest-environment happy-dom
// Settings → Import from Splitwise or Tricount, on the real core and the real import
// module (both wasm, as the app loads them).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import type { memoryStore } from "../core/storage";
import type { GroupApi } from "../core/types";
import { core } from "../test/groups";
import { openAnn } from "../test/shell";

afterEach(() => {
  cleanup();
  history.replaceState(null, "", "/");
});

const FIXTURES = join(__dirname, "../../../tests/fixtures/import");

const SPLITWISE = `Date,Description,Category,Cost,Currency,Ann,Bob,Carol

2024-03-01,Hotel,Lodging,300.00,EUR,200.00,-100.00,-100.00
2024-03-02,Taxi,Transport,30.00,EUR,-10.00,-10.00,20.00
2024-03-06,Bob paid Ann,Payment,50.00,EUR,-50.00,50.00,0.00

2024-03-08,Total balance, , ,EUR,140.00,-60.00,-80.00
`;

async function stored(store: ReturnType<typeof memoryStore>, api: GroupApi): Promise<GroupApi> {
  return core.load((await store.loadGroup(api.groupKey()))?.saved ?? "");
}

async function openImport() {
  fireEvent.click(screen.getByRole("button", { name: "Settings" }));
  fireEvent.click(await screen.findByRole("button", { name: "Import from Splitwise or Tricount" }));
}

async function choose(text: string, name = "export.csv") {
  const input = (await screen.findByLabelText("Choose the exported file")) as HTMLInputElement;
  const file = new File([text], name, { type: "text/csv" });
  Object.defineProperty(input, "files", { value: [file], configurable: true });
  fireEvent.change(input);
}

describe("import from Splitwise", () => {
  it("previews the people, the counts and the balances after, then imports once", async () => {
    const { ann, bobId, store } = await openAnn();
    await openImport();
    await choose(SPLITWISE);
    const preview = await screen.findByTestId("import-preview");
    expect(preview.textContent).toContain("3 people, 2 expenses and 1 payments to add");
    // Ann and Bob are the members of those names; Carol will be added by name.
    const selects = within(preview).getAllByRole("combobox") as HTMLSelectElement[];
    expect(selects.map((s) => s.value)).toEqual([ann.me(), bobId, ""]);
    const balances = within(preview).getByTestId("import-balances").textContent ?? "";
    expect(balances).toBe("Ann€140.00Bob-€60.00Carol-€80.00");

    fireEvent.click(within(preview).getByRole("button", { name: "Import 2 expenses and 1 payments" }));
    expect((await screen.findByTestId("import-message")).textContent).toBe(
      "Imported 2 expenses and 1 payments, added 1 person. Every balance matches Splitwise's.",
    );
    const saved = await stored(store, ann);
    const state = saved.state();
    const carol = Object.entries(state.members).find(([, m]) => m.name === "Carol");
    expect(carol?.[1].placeholder).toBe(true);
    const b = saved.balances();
    expect([b[ann.me()], b[bobId], b[carol?.[0] ?? ""]]).toEqual([14000, -6000, -8000]);

    // Adversary: a user who imports the same file again. Nothing is new, nothing to confirm.
    await choose(SPLITWISE);
    const again = await screen.findByTestId("import-preview");
    expect(again.textContent).toContain("3 people, 0 expenses and 0 payments to add");
    expect(again.textContent).toContain("3 are in the group already");
    expect((within(again).getByRole("button", { name: /^Import/ }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("a malformed file says which line is wrong and imports nothing", async () => {
    const { ann, store } = await openAnn();
    await openImport();
    const before = (await stored(store, ann)).expenses({}).length;
    await choose(readFileSync(join(FIXTURES, "splitwise-malformed-sum.csv"), "utf8"));
    const message = await screen.findByTestId("import-message");
    expect(message.textContent).toMatch(/^Line 4: .+\. Nothing was imported\.$/);
    expect(screen.queryByTestId("import-preview")).toBeNull();
    expect((await stored(store, ann)).expenses({}).length).toBe(before);
  });

  it("rows in another currency wait for a rate before they can be imported", async () => {
    await openAnn();
    await openImport();
    await choose(readFileSync(join(FIXTURES, "splitwise-multi-currency.csv"), "utf8"));
    const preview = await screen.findByTestId("import-preview");
    const button = () => within(preview).getByRole("button", { name: /^Import/ }) as HTMLButtonElement;
    expect(button().disabled).toBe(true);
    fireEvent.input(within(preview).getByLabelText("1 JPY = how many EUR?"), { target: { value: "0.0062" } });
    fireEvent.input(within(preview).getByLabelText("1 USD = how many EUR?"), { target: { value: "0.9" } });
    await waitFor(() => expect(button().disabled).toBe(false));
    fireEvent.click(button());
    expect((await screen.findByTestId("import-message")).textContent).toMatch(/^Imported 6 expenses and 2 payments, added 3 people\. Every balance matches Splitwise's\.$/);
  });

  it("the group goes out in Splitwise's shape, with its Total balance row", async () => {
    await openAnn();
    let saved = "";
    const create = URL.createObjectURL;
    URL.createObjectURL = (blob: Blob) => {
      void blob.text().then((t) => (saved = t));
      return "blob:x";
    };
    try {
      await openImport();
      await choose(SPLITWISE);
      fireEvent.click(within(await screen.findByTestId("import-preview")).getByRole("button", { name: /^Import/ }));
      await screen.findByText(/^Imported 2 expenses/);
      fireEvent.click(screen.getByRole("button", { name: "Export for Splitwise" }));
      await waitFor(() => expect(saved).toContain("Total balance"));
      expect(saved.split("\n")[0]).toMatch(/^Date,Description,Category,Cost,Currency,/);
      expect(saved).toMatch(/Total balance, , ,EUR,.*140\.00/);
    } finally {
      URL.createObjectURL = create;
    }
  });
});
