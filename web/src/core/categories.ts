// Categories as the expense form offers them: the group's own first (those in its
// settings and those its expenses use, most used first), then the common ones of a trip
// or a household, each with an icon.
import { en } from "../i18n/en";
import { t, type Key } from "../i18n";
import type { GroupState } from "./types";

/** Stroke paths of 24×24 icons (drawn like the tab bar's). */
const ICONS: Record<string, string> = {
  food: "M7 3v8M5 3v4a2 2 0 0 0 4 0V3M7 11v10M17 3c-2 0-3 2-3 5s1 4 3 4M17 3v18",
  groceries: "M3 4h2l2.4 11h10.2L20 7H6.2M9 20h.01M17 20h.01",
  transport: "M5 16V9l2-4h10l2 4v7zM5 16v2M19 16v2M4 11h16M8 13.5h.01M16 13.5h.01",
  lodging: "M3 11l9-7 9 7M5 10v10h14V10M10 20v-5h4v5",
  activities: "M3 7h18v3a2 2 0 0 0 0 4v3H3v-3a2 2 0 0 0 0-4zM14 7v10",
  shopping: "M6 8h12l-1 12H7zM9 8V6a3 3 0 0 1 6 0v2",
  fuel: "M4 20V5a1 1 0 0 1 1-1h8a1 1 0 0 1 1 1v15M3 20h12M5 9h8M14 9h2l2 2v7a1.5 1.5 0 0 0 3 0V9l-3-3",
  other: "M3 12V4h8l10 10-8 8zM7.5 7.5h.01",
};

/** The common categories, in the order offered. */
export const COMMON_CATEGORIES: { name: string; icon: keyof typeof ICONS }[] = [
  { name: "Food & drink", icon: "food" },
  { name: "Groceries", icon: "groceries" },
  { name: "Transport", icon: "transport" },
  { name: "Lodging", icon: "lodging" },
  { name: "Activities", icon: "activities" },
  { name: "Shopping", icon: "shopping" },
  { name: "Fuel", icon: "fuel" },
];

/** Words that give a category of the group's own a common icon. */
const HINTS: [RegExp, keyof typeof ICONS][] = [
  [/food|drink|restaurant|dinner|lunch|breakfast|caf|bar|meal/i, "food"],
  [/grocer|supermarket|market/i, "groceries"],
  [/transport|taxi|train|bus|flight|car|travel|metro|uber/i, "transport"],
  [/lodg|hotel|rent|flat|apartment|hostel|airbnb|accommodation/i, "lodging"],
  [/activit|ticket|museum|tour|fun|entertain/i, "activities"],
  [/shop|clothes|gift/i, "shopping"],
  [/fuel|gas|petrol|diesel|charging/i, "fuel"],
];

/**
 * What a category is called on the screen: the common ones and the core's defaults in the
 * reader's language (the ledger keeps the English name, the same on every phone), the
 * group's own as they were typed.
 */
export function categoryLabel(name: string): string {
  const key = `category.${name}`;
  return key in en ? t(key as Key) : name;
}

/** The name to store for what was typed: a shown name of a common category is stored in English. */
export function canonicalCategory(typed: string): string {
  for (const key of Object.keys(en)) {
    if (key.startsWith("category.") && t(key as Key) === typed) return key.slice("category.".length);
  }
  return typed;
}

/** The icon path for a category name. */
export function categoryIcon(name: string): string {
  const common = COMMON_CATEGORIES.find((c) => c.name === name);
  const key = common?.icon ?? HINTS.find(([re]) => re.test(name))?.[1] ?? "other";
  return ICONS[key] ?? (ICONS.other as string);
}

/**
 * The categories the core gives every new group (client-wasm/src/wasm/group.rs): a group
 * whose settings still hold exactly these has not chosen its own.
 */
const CORE_DEFAULTS = ["Groceries", "Restaurants", "Rent", "Transport", "Travel", "Fun", "Other"];

/**
 * The categories to offer: those the group's expenses use (most used first), those its
 * settings list if it chose them, then the common ones, then the rest of the defaults.
 */
export function categoryChoices(state: GroupState): string[] {
  const uses = new Map<string, number>();
  for (const e of Object.values(state.expenses)) if (e.category.trim()) uses.set(e.category, (uses.get(e.category) ?? 0) + 1);
  const used = [...uses.entries()].sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).map(([c]) => c);
  const listed = (state.settings?.categories ?? []).filter((c) => c.trim());
  const chosen = listed.length === CORE_DEFAULTS.length && CORE_DEFAULTS.every((c) => listed.includes(c)) ? [] : listed;
  return [...new Set([...used, ...chosen, ...COMMON_CATEGORIES.map((c) => c.name), ...listed])];
}
