// @vitest-environment happy-dom
// The app in English, French, German and Spanish. The catalogs: a key missing or left
// over, or a placeholder that differs from English, fails here (TypeScript already
// refuses a missing key). The main screens rendered in each language on the real core
// show none of a set of English sentences; plurals come from Intl.PluralRules; amounts
// and days follow the language; the choice in Settings applies at once and is kept.
// Adversary: the translator's slip (a dropped key, a misspelt "{name}").
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { dayWhen, formatInput, formatMoney, parseMoney, sampleDecimal } from "../core/format";
import { canonicalCategory } from "../core/categories";
import { listNames } from "../core/syncText";
import { openAnn } from "../test/shell";
import { en, type Plural } from "./en";
import { detect, language, LANGUAGES, load, localeFor, setLanguage, t, use, type Lang } from "./index";

afterEach(() => {
  cleanup();
  use("en", en);
  localStorage.clear();
});

const OTHERS: Lang[] = ["fr", "de", "es"];

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ""))].sort();
}

function forms(v: string | Plural): string[] {
  return typeof v === "string" ? [v] : Object.values(v).filter((x): x is string => typeof x === "string");
}

describe("the catalogs", () => {
  it.each(OTHERS)("%s has exactly English's keys, the same placeholders and plural forms where English has them", async (lang) => {
    const catalog = (await load(lang)) as Record<string, string | Plural>;
    const english = en as Record<string, string | Plural>;
    expect(Object.keys(catalog).filter((k) => !(k in english)), "extra keys").toEqual([]);
    expect(Object.keys(english).filter((k) => !(k in catalog)), "missing keys").toEqual([]);
    for (const [key, source] of Object.entries(english)) {
      const text = catalog[key] as string | Plural;
      expect(typeof text, key).toBe(typeof source);
      const want = placeholders(forms(source).join(" "));
      for (const form of forms(text)) {
        expect(form.trim().length, key).toBeGreaterThan(0);
        expect(placeholders(form), `${lang} ${key}: "${form}"`).toEqual(want);
      }
      if (typeof text !== "string") expect(text.other, key).toBeTruthy();
    }
  });

  it("each language is offered in its own name", () => {
    expect(LANGUAGES.map((l) => l.name)).toEqual(["English", "Français", "Deutsch", "Español"]);
  });
});

describe("choosing the language", () => {
  it("takes the first of the browser's languages the app speaks, else English", () => {
    expect(detect(["fr-CA", "en-US"])).toBe("fr");
    expect(detect(["pt-BR", "de-AT", "fr"])).toBe("de");
    expect(detect(["es-419"])).toBe("es");
    expect(detect(["pt-BR", "ja"])).toBe("en");
    expect(detect([])).toBe("en");
    expect(localeFor("fr", ["fr-CH", "en"])).toBe("fr-CH");
    expect(localeFor("de", ["en-GB"])).toBe("de");
  });

  it("plural forms come from the language's rules, not n === 1", async () => {
    expect(t("sync.waiting", { n: 1, names: "Carol" })).toBe("1 change waiting for Carol");
    expect(t("sync.waiting", { n: 2, names: "Carol" })).toBe("2 changes waiting for Carol");
    expect(t("sync.waiting", { n: 0, names: "Carol" })).toBe("0 changes waiting for Carol");
    await setLanguage("fr");
    // French counts 0 as singular
    expect(t("sync.waiting", { n: 0, names: "Carole" })).toBe("0 modification en attente pour Carole");
    expect(t("sync.waiting", { n: 2, names: "Carole" })).toBe("2 modifications en attente pour Carole");
    await setLanguage("de");
    expect(t("sync.waiting", { n: 1, names: "Carola" })).toBe("1 Änderung wartet auf Carola");
    expect(t("sync.waiting", { n: 3, names: "Carola" })).toBe("3 Änderungen warten auf Carola");
    await setLanguage("es");
    expect(t("sync.onTheWay", { n: 1, active: "" })).toBe("1 cambio en camino");
  });

  it("amounts, days and lists follow the language; the money's decimals stay the currency's", async () => {
    const space = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");
    const now = new Date(2026, 11, 3, 12); // a Thursday
    const monday = new Date(2026, 10, 30, 9).getTime();
    expect(formatMoney(3240, "EUR")).toBe("€32.40");
    expect(dayWhen(monday, now)).toBe("on Monday");
    await setLanguage("fr");
    expect(space(formatMoney(3240, "EUR"))).toBe("32,40 €");
    expect(space(formatMoney(1234, "JPY"))).toBe("1 234 JPY");
    expect(dayWhen(monday, now)).toBe("lundi");
    expect(listNames(["Bob", "Carole", "Dan"])).toBe("Bob, Carole et Dan");
    // an amount in a field is typed as the reader types it, and read back either way
    expect(formatInput(3240, "EUR")).toBe("32,40");
    expect(sampleDecimal()).toBe("0,00");
    expect(parseMoney(formatInput(3240, "EUR"), "EUR")).toEqual({ ok: true, value: 3240 });
    await setLanguage("de");
    expect(space(formatMoney(3240, "EUR"))).toBe("32,40 €");
    expect(dayWhen(monday, now)).toBe("am Montag");
    await setLanguage("es");
    expect(dayWhen(monday, now)).toBe("el lunes");
    expect(t("when.yesterday")).toBe("Ayer");
  });
});

/** English on the main screens: none may be left in a translated one. */
const SENTINELS = [
  "Expenses", "Balances", "Settings", "Members", "Add expense", "Search", "Filters", "Today", "(you)", " paid",
  "New expense", "What was it?", "Paid by", "Split between", "Equal", "Category (optional)", "More details",
  "is owed", "owes", "Settle up", "Record payment", "Payments", "Print summary",
  "Language", "Group name", "Save settings", "Export and import", "Leave group", "About this app",
  "Your groups", "New group", "Join a group", "last used",
  "Sync now", "Technical details", "Not synced",
];

function english(text: string): string[] {
  return SENTINELS.filter((s) => text.includes(s));
}

async function tour(): Promise<Record<string, string>> {
  const seen: Record<string, string> = {};
  const body = () => document.body.textContent ?? "";
  seen.expenses = body();
  fireEvent.click(screen.getAllByTestId("expense-row")[0] as HTMLElement);
  seen.editor = (await screen.findByTestId("expense-editor")).textContent ?? "";
  // fields' values too: the stored category's shown name, the amount with the reader's separator
  seen.editorFields = [...document.querySelectorAll("input")].map((i) => i.value).join(" | ");
  fireEvent.click(within(screen.getByTestId("expense-editor")).getAllByRole("button")[0] as HTMLElement); // close
  await waitFor(() => expect(screen.queryByTestId("expense-editor")).toBeNull());
  fireEvent.click(screen.getByTestId("add-expense"));
  seen.newExpense = (await screen.findByTestId("expense-editor")).textContent ?? "";
  fireEvent.keyDown(screen.getByTestId("expense-editor"), { key: "Escape" });
  await waitFor(() => expect(screen.queryByTestId("expense-editor")).toBeNull());
  const tabs = within(screen.getByRole("navigation")).getAllByRole("button");
  fireEvent.click(tabs[1] as HTMLElement);
  await screen.findAllByTestId("settle-transfer");
  seen.balances = body();
  fireEvent.click(tabs[4] as HTMLElement);
  await screen.findByTestId("language");
  seen.settings = body();
  fireEvent.click(screen.getByTestId("sync-indicator"));
  seen.sync = (await screen.findByTestId("sync-panel")).textContent ?? "";
  fireEvent.keyDown(screen.getByTestId("sync-panel"), { key: "Escape" });
  fireEvent.click(screen.getByTestId("group-switch"));
  seen.groups = (await screen.findByTestId("group-list")).textContent ?? "";
  return seen;
}

function withDinner(today: string) {
  return ({ ann, bobId, net }: Awaited<ReturnType<typeof import("../test/groups").lisbon>>) => {
    ann.addExpense({ title: "Dinner", amount: 3240, currency: "EUR", category: "Food & drink", shop: "", account: "", payers: [[ann.me(), 3240]], split: { kind: "equal", members: [ann.me(), bobId] }, date: today, note: "" }, net.clock.now);
  };
}

function isoToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

describe("the main screens in each language", () => {
  it("in English (the default in tests), the sentinels are there: the check can see English", async () => {
    await openAnn(withDinner(isoToday()));
    const seen = await tour();
    const all = Object.values(seen).join(" ");
    expect(SENTINELS.filter((s) => !all.includes(s))).toEqual([]);
    expect(document.documentElement.lang).toBe("en");
  });

  it.each(OTHERS)("in %s: group list, expenses, editor, balances, settings and sync panel show no English", async (lang) => {
    await setLanguage(lang);
    await openAnn(withDinner(isoToday()));
    const seen = await tour();
    for (const [place, text] of Object.entries(seen)) expect(english(text), `${lang}: ${place}`).toEqual([]);
    expect(document.documentElement.lang).toBe(lang);
    // the shared category stored in English is shown in the reader's language
    expect(seen.expenses).toContain(t("category.Food & drink"));
    expect(seen.editorFields).toContain(t("category.Food & drink"));
    expect(seen.editorFields).toContain("32,40");
    expect(canonicalCategory(t("category.Groceries"))).toBe("Groceries");
    expect(canonicalCategory("Ski pass")).toBe("Ski pass");
  });
});

describe("the language in Settings", () => {
  it("applies at once without reloading, says <html lang>, and is kept on this device", async () => {
    await openAnn(withDinner(isoToday()));
    fireEvent.click(screen.getByRole("button", { name: "Settings" }));
    const select = (await screen.findByTestId("language-select")) as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(["English", "Français", "Deutsch", "Español"]);
    fireEvent.change(select, { target: { value: "fr" } });
    await screen.findByRole("button", { name: "Réglages" });
    expect(language()).toBe("fr");
    expect(document.documentElement.lang).toBe("fr");
    expect(localStorage.getItem("gfms.language")).toBe("fr");
    fireEvent.click(screen.getByRole("button", { name: "Dépenses" }));
    const row = await screen.findByTestId("expense-row");
    expect(row.textContent?.replace(/[\u00a0\u202f]/g, " ")).toContain("32,40 €");
    fireEvent.click(screen.getByRole("button", { name: "Réglages" }));
    fireEvent.change(await screen.findByTestId("language-select"), { target: { value: "en" } });
    await screen.findByRole("button", { name: "Settings" });
    expect(localStorage.getItem("gfms.language")).toBe("en");
  });
});
