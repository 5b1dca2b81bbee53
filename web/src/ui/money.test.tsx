// @vitest-environment happy-dom
// Several payers, income, scaling parts to a new amount, and a payment of any amount
// between two members: the editor and Balances on the real core (wasm), as a user sees
// them. Adversaries: the hurried user whose numbers do not add up (payers over or under
// the total, a payment to themselves, an amount of 0).
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { core } from "../test/groups";
import { openAnn } from "../test/shell";

afterEach(cleanup);

function type(label: string | RegExp, value: string) {
  fireEvent.input(screen.getByLabelText(label), { target: { value } });
}

const rows = () => screen.queryAllByTestId("expense-row").map((r) => r.textContent ?? "");

async function balance(id: string): Promise<string> {
  fireEvent.click(screen.getByRole("button", { name: "Balances" }));
  return (await screen.findByTestId(`balance-${id}`)).textContent ?? "";
}

describe("several payers", () => {
  it("hurried user: payers that do not add up are refused with both sums; then both are saved and balances follow", async () => {
    const { ann, bobId, store } = await openAnn();
    fireEvent.click(screen.getByTestId("add-expense"));
    await screen.findByTestId("expense-editor");
    type("What was it?", "Dinner");
    type("Amount", "30");
    fireEvent.click(within(screen.getByTestId("paid-by")).getByRole("radio", { name: "Several people" }));
    type("Paid by Ann (you)", "20");
    expect(screen.getByTestId("payers-remaining").textContent).toBe("Left to assign: €10.00");
    fireEvent.click(screen.getByTestId("save-expense"));
    expect((await screen.findByTestId("editor-error")).textContent).toBe("Paid by: what each person paid must add up to €30.00; it adds up to €20.00");
    type("Paid by Bob", "15");
    expect(screen.getByTestId("payers-remaining").textContent).toBe("Over by €5.00");
    type("Paid by Bob", "10");
    expect(screen.getByTestId("payers-remaining").textContent).toBe("Left to assign: €0.00");
    fireEvent.click(screen.getByTestId("save-expense"));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toMatch(/Ann \(you\), Bob paid/);
    const saved = core.load((await store.loadGroup(ann.groupKey()))?.saved ?? "");
    expect(Object.values(saved.state().expenses)[0]?.payers).toEqual([
      [ann.me(), 2000],
      [bobId, 1000],
    ]);
    // each owes half (€15): Ann paid €20, Bob €10
    expect(await balance(bobId)).toMatch(/owes €5\.00/);
    expect(screen.getByTestId(`balance-${ann.me()}`).textContent).toMatch(/is owed €5\.00/);
  });

  it("an expense with two payers opens with both; a new amount offers to scale what each paid", async () => {
    await openAnn(({ ann, bobId, net }) => {
      ann.addExpense({ title: "Hotel", amount: 3000, currency: "EUR", category: "", shop: "", account: "", payers: [[ann.me(), 2000], [bobId, 1000]], split: { kind: "equal", members: [ann.me(), bobId] }, date: "2026-01-02", note: "" }, net.clock.now);
    });
    fireEvent.click(screen.getAllByTestId("expense-row")[0] as HTMLElement);
    await screen.findByTestId("expense-editor");
    expect((screen.getByLabelText("Paid by Ann (you)") as HTMLInputElement).value).toBe("20.00");
    expect((screen.getByLabelText("Paid by Bob") as HTMLInputElement).value).toBe("10.00");
    type("Amount", "60");
    expect(screen.getByTestId("payers-remaining").textContent).toBe("Left to assign: €30.00");
    fireEvent.click(screen.getByTestId("scale-payers"));
    expect((screen.getByLabelText("Paid by Ann (you)") as HTMLInputElement).value).toBe("40.00");
    expect((screen.getByLabelText("Paid by Bob") as HTMLInputElement).value).toBe("20.00");
    fireEvent.click(screen.getByTestId("save-expense"));
    await waitFor(() => expect(rows()[0]).toMatch(/€60\.00/));
  });

  it("changing the amount of an exact split offers to scale the parts instead of failing", async () => {
    const { bobId } = await openAnn();
    fireEvent.click(screen.getByTestId("add-expense"));
    await screen.findByTestId("expense-editor");
    type("Amount", "10");
    fireEvent.click(screen.getByRole("radio", { name: "Exact" }));
    type("Amount for Ann (you)", "6.50");
    type("Amount for Bob", "3.50");
    type("Amount", "20");
    expect(screen.getByTestId("split-remaining").textContent).toBe("Remaining: €10.00");
    fireEvent.click(screen.getByTestId("scale-split"));
    expect((screen.getByLabelText("Amount for Ann (you)") as HTMLInputElement).value).toBe("13.00");
    expect(screen.getByTestId("split-remaining").textContent).toBe("Remaining: €0.00");
    expect(screen.queryByTestId("scale-split")).toBeNull();
    fireEvent.click(screen.getByTestId("save-expense"));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(await balance(bobId)).toMatch(/owes €7\.00/);
  });

  it("income received by two people: shared like an expense with the opposite sign", async () => {
    const { bobId } = await openAnn();
    fireEvent.click(screen.getByTestId("add-expense"));
    await screen.findByTestId("expense-editor");
    type("What was it?", "Deposit back");
    fireEvent.click(screen.getByTestId("kind-income"));
    type("Amount", "40");
    fireEvent.click(within(screen.getByTestId("paid-by")).getByRole("radio", { name: "Several people" }));
    type("Received by Ann (you)", "40");
    fireEvent.click(screen.getByTestId("save-expense"));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toMatch(/Income · Ann \(you\) received/);
    // Ann holds Bob's half of the €40
    expect(await balance(bobId)).toMatch(/is owed €20\.00/);
  });
});

describe("a payment of any amount", () => {
  it("hurried user: a payment to yourself and an amount of 0 are refused; Bob paid Ann €10 is recorded", async () => {
    const { ann, bobId } = await openAnn(({ ann, bobId, net }) => {
      ann.addExpense({ amount: 5000, currency: "EUR", category: "", shop: "Hotel", account: "", payers: [[ann.me(), 5000]], split: { kind: "equal", members: [ann.me(), bobId] }, date: "2026-01-02", note: "" }, net.clock.now);
    });
    fireEvent.click(screen.getByRole("button", { name: "Balances" }));
    fireEvent.click(await screen.findByTestId("record-other-payment"));
    const form = await screen.findByTestId("payment-form");
    type("Amount (EUR)", "10");
    fireEvent.change(within(form).getByLabelText("Who received it"), { target: { value: ann.me() } });
    fireEvent.click(screen.getByTestId("save-payment"));
    expect((await screen.findByTestId("payment-error")).textContent).toBe("Choose two different people: nobody pays themselves.");
    fireEvent.change(within(form).getByLabelText("Who paid"), { target: { value: bobId } });
    type("Amount (EUR)", "0");
    fireEvent.click(screen.getByTestId("save-payment"));
    expect(screen.getByTestId("payment-error").textContent).toBe("Amount: enter an amount more than 0.");
    type("Amount (EUR)", "10");
    fireEvent.click(screen.getByTestId("save-payment"));
    await waitFor(() => expect(screen.queryByTestId("payment-form")).toBeNull());
    expect(screen.getAllByTestId("settlement-row")[0]?.textContent).toMatch(/Bob paid Ann \(you\) €10\.00/);
    expect(screen.getByTestId(`balance-${bobId}`).textContent).toMatch(/owes €15\.00/);
    // the suggestion's "Other amount" starts from it
    const suggestion = screen.getByTestId("settle-transfer");
    fireEvent.click(within(suggestion).getByRole("button", { name: /Other amount from Bob to Ann/ }));
    expect(((await screen.findByLabelText("Amount (EUR)")) as HTMLInputElement).value).toBe("15.00");
  });
});

describe("an itemized bill", () => {
  it("hurried user: an item nobody had and a price of 0 are refused; items, tip and each part exact to the cent", async () => {
    const { ann, bobId, store } = await openAnn();
    fireEvent.click(screen.getByTestId("add-expense"));
    await screen.findByTestId("expense-editor");
    type("What was it?", "Pizzeria");
    fireEvent.click(screen.getByTestId("itemized"));
    type("Item 1", "Pizza");
    type("Price of item 1", "0");
    fireEvent.click(screen.getByTestId("save-expense"));
    expect((await screen.findByTestId("editor-error")).textContent).toBe("Items: Item 1: enter a price more than 0");
    type("Price of item 1", "20");
    fireEvent.click(screen.getByRole("button", { name: "Add an item" }));
    type("Item 2", "Wine");
    type("Price of item 2", "10");
    const wine = screen.getByRole("group", { name: "Who had item 2" });
    fireEvent.click(within(wine).getByRole("checkbox", { name: "Ann (you)" }));
    fireEvent.click(within(wine).getByRole("checkbox", { name: "Bob" }));
    fireEvent.click(screen.getByTestId("save-expense"));
    expect(screen.getByTestId("editor-error").textContent).toBe("Items: Item 2: choose who had it");
    fireEvent.click(within(wine).getByRole("checkbox", { name: "Ann (you)" }));
    type("Tip (%)", "10");
    // €30 of items, €3 tip spread as the items: Ann had €20 of them, Bob €10
    expect(screen.getByTestId("items-total").textContent).toMatch(/Total €33\.00 \(items €30\.00\)/);
    expect(screen.getAllByTestId("item-part").map((p) => p.textContent)).toEqual(["Ann (you) €22.00", "Bob €11.00"]);
    expect((screen.getByTestId("items-amount") as HTMLInputElement).value).toBe("33.00");
    fireEvent.click(screen.getByTestId("save-expense"));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toMatch(/Pizzeria.*€33\.00/);
    const saved = Object.values(core.load((await store.loadGroup(ann.groupKey()))?.saved ?? "").state().expenses)[0];
    expect(saved?.items?.items.map((i) => [i.name, i.price])).toEqual([
      ["Pizza", 2000],
      ["Wine", 1000],
    ]);
    expect(await balance(bobId)).toMatch(/owes €11\.00/);
    // it opens again as the bill it is
    fireEvent.click(screen.getByRole("button", { name: "Expenses" }));
    fireEvent.click((await screen.findAllByTestId("expense-row"))[0] as HTMLElement);
    expect(((await screen.findByLabelText("Item 2")) as HTMLInputElement).value).toBe("Wine");
    expect((screen.getByLabelText("Tip (%)") as HTMLInputElement).value).toBe("10");
  });
});

describe("payment details", () => {
  it("hurried user: a wrong IBAN and a link typed as a user name are refused; settle-up then shows how to pay Ann, with a PayPal link", async () => {
    await openAnn(({ ann, bobId, net }) => {
      ann.addExpense({ amount: 3000, currency: "EUR", category: "", shop: "Hotel", account: "", payers: [[ann.me(), 3000]], split: { kind: "equal", members: [ann.me(), bobId] }, date: "2026-01-02", note: "" }, net.clock.now);
    });
    fireEvent.click(screen.getByRole("button", { name: "Members" }));
    fireEvent.click(await screen.findByRole("button", { name: "How to pay me" }));
    await screen.findByTestId("pay-details");
    type("IBAN", "DE89 3704 0044 0532 0130 01");
    fireEvent.click(within(screen.getByTestId("pay-details")).getByRole("button", { name: "Save" }));
    expect((await screen.findByTestId("pay-details-error")).textContent).toBe("Those payment details cannot be used. Check the IBAN or the user name, without links.");
    type("IBAN", "DE89 3704 0044 0532 0130 00");
    type("PayPal.me user name", "https://evil.example/ann");
    fireEvent.click(within(screen.getByTestId("pay-details")).getByRole("button", { name: "Save" }));
    const save = within(screen.getByTestId("pay-details")).getByRole("button", { name: "Save" }) as HTMLButtonElement;
    await waitFor(() => expect(save.disabled).toBe(false));
    expect(screen.getByTestId("pay-details-error").textContent).toMatch(/cannot be used/);
    type("PayPal.me user name", "ann");
    type("Note", "cash is fine");
    fireEvent.click(within(screen.getByTestId("pay-details")).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.queryByTestId("pay-details")).toBeNull());
    fireEvent.click(screen.getByRole("button", { name: "Balances" }));
    const how = await screen.findByTestId("pay-with");
    const link = within(how).getByRole("link", { name: "Pay with PayPal" }) as HTMLAnchorElement;
    expect(link.href).toMatch(/^https:\/\/paypal\.me\/ann\/15/);
    expect(link.rel).toBe("noopener noreferrer");
    expect(how.textContent).toMatch(/IBAN DE89 3704 0044 0532 0130 00/);
    expect(how.textContent).toMatch(/Ann: “cash is fine”/);
  });
});
