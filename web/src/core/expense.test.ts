import { describe, expect, it } from "vitest";
import { categoryChoices, categoryIcon, COMMON_CATEGORIES } from "./categories";
import { expenseTitle, veryLarge } from "./expense";
import { fold, matchesQuery } from "./search";
import type { Expense, GroupState } from "./types";
import { SETTLED_DEVICE } from "../test/state";

const eur = (amount: number) => ({ amount, currency: "EUR" });

describe("very large amounts", () => {
  it("a slipped decimal point is large next to what the group spends", () => {
    expect(veryLarge(450_000, "EUR", [eur(4500), eur(1200)])).toBe(true);
    expect(veryLarge(45_000, "EUR", [eur(4500)])).toBe(false); // under 1,000: never asked
    expect(veryLarge(200_000, "EUR", [eur(150_000)])).toBe(false); // rent among rents
  });
  it("with nothing recorded yet, 10,000 (yen: 1,000,000)", () => {
    expect(veryLarge(999_999, "EUR", [])).toBe(false);
    expect(veryLarge(1_000_000, "EUR", [])).toBe(true);
    expect(veryLarge(50_000, "JPY", [])).toBe(false);
    expect(veryLarge(1_000_000, "JPY", [])).toBe(true);
  });
});

describe("titles and categories", () => {
  it("an expense is called by its title, else its shop or category", () => {
    expect(expenseTitle({ title: "Dinner", shop: "Zé's", category: "Food", amount: 1 })).toBe("Dinner");
    expect(expenseTitle({ shop: "Zé's", category: "Food", amount: 1 })).toBe("Zé's");
    expect(expenseTitle({ shop: "", category: "", amount: -1 })).toBe("Income");
  });
  it("the group's own categories have icons by their words; unknown ones a tag", () => {
    expect(categoryIcon("Restaurants")).toBe(categoryIcon("Food & drink"));
    expect(categoryIcon("Hotel")).toBe(categoryIcon("Lodging"));
    expect(categoryIcon("Zzz")).not.toBe(categoryIcon("Fuel"));
  });
  it("a new group (the core's default list) is offered the common ones first", () => {
    const state = { settings: { name: "", currency: "EUR", categories: ["Groceries", "Restaurants", "Rent", "Transport", "Travel", "Fun", "Other"], accounts: [] }, members: {}, expenses: {}, settlements: {}, relays: null, warnings: [], device: SETTLED_DEVICE } as GroupState;
    expect(categoryChoices(state).slice(0, COMMON_CATEGORIES.length)).toEqual(COMMON_CATEGORIES.map((c) => c.name));
    state.settings = { ...(state.settings as NonNullable<GroupState["settings"]>), categories: ["Boat", "Diving"] };
    expect(categoryChoices(state).slice(0, 2)).toEqual(["Boat", "Diving"]);
  });
});

describe("search", () => {
  const state = { settings: null, members: { a: { name: "Zoë", status: "active" } }, expenses: {}, settlements: {}, relays: null, warnings: [], device: SETTLED_DEVICE } as GroupState;
  const e: Expense = { title: "Café", amount: 4500, currency: "EUR", category: "", shop: "", account: "Visa", payers: [["a", 4500]], split: { kind: "equal", members: ["a"] }, date: "2026-01-01", note: "" };
  it("folds accents and case, matches every word, amounts by their digits", () => {
    expect(fold("Zoë CAFÉ")).toBe("zoe cafe");
    expect(matchesQuery(e, "zoe cafe", state)).toBe(true);
    expect(matchesQuery(e, "visa 45", state)).toBe(true);
    expect(matchesQuery(e, "45,00", state)).toBe(true);
    expect(matchesQuery(e, "46", state)).toBe(false);
    expect(matchesQuery(e, "zoe tea", state)).toBe(false);
    expect(matchesQuery({ ...e, amount: -4500, payers: [["a", -4500]] }, "45", state)).toBe(true);
  });
});
