// What an expense's history and the group's activity feed say, in words: who did what,
// which fields an edit changed (the amount and title with their old and new values), when.
// The core gives the entries (`history`, `activity`: who, when, which fields); the values
// an entry's event wrote are read from the event log (`values`), so a deleted expense can
// still be named. Everything a member wrote is shown as text, isolated by the screen.
import { expenseTitle } from "./expense";
import { formatMoney } from "./format";
import { intlLocale, listOf, t, type Key } from "../i18n";
import type { Expense, HistoryEntry, Settlement } from "./types";

/** The value each expense or settlement event wrote, by event id. */
export type Values = Map<string, Expense | Settlement>;

/**
 * What each event wrote, by event id: a whole value (added, edited, recorded, a series'
 * template) or, for a per-field edit (`expense_patched`), only the fields it changed.
 */
export interface Written {
  whole: Values;
  fields: Map<string, Record<string, unknown>>;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null;
}

/** Reads what each event wrote out of the core's event log (JSON texts); what cannot be read is skipped. */
export function values(events: unknown): Written {
  const out: Written = { whole: new Map(), fields: new Map() };
  if (!Array.isArray(events)) return out;
  for (const text of events) {
    let e: unknown;
    try {
      e = typeof text === "string" ? JSON.parse(text) : text;
    } catch {
      continue;
    }
    if (!isObject(e) || typeof e.id !== "string" || !isObject(e.body)) continue;
    if (e.body.type === "expense_patched") {
      if (isObject(e.body.changes)) out.fields.set(e.id, e.body.changes);
      continue;
    }
    // a recurring series' template (recurring_added, recurring_edited) names it too
    const v = e.body.value;
    const value = isObject(v) && isObject(v.template) ? v.template : (e.body.template ?? v);
    if (isObject(value) && typeof value.amount === "number" && typeof value.currency === "string") out.whole.set(e.id, value as unknown as Expense | Settlement);
  }
  return out;
}

/** Whether event `id` wrote a value (whole or some fields) that "Bring back" can restore. */
export function wroteValue(written: Written, id: string): boolean {
  return written.whole.has(id) || written.fields.has(id);
}

/**
 * The value after each entry of one subject's history (oldest first): a whole value as
 * written, a per-field edit's fields over the value before it, else the value before.
 */
export function versions(history: readonly HistoryEntry[], written: Written): Values {
  const out: Values = new Map();
  let value: Expense | Settlement | undefined;
  for (const e of history) {
    const fields = written.fields.get(e.event);
    value = written.whole.get(e.event) ?? (fields && value ? ({ ...value, ...fields } as Expense | Settlement) : value);
    if (value) out.set(e.event, value);
  }
  return out;
}

const FIELDS: Record<string, Key> = {
  title: "field.title",
  amount: "field.amount",
  currency: "field.currency",
  rate: "field.rate",
  payers: "field.payers",
  split: "field.split",
  kind: "field.kind",
  items: "field.items",
  category: "field.category",
  shop: "field.shop",
  account: "field.account",
  date: "field.date",
  note: "field.note",
};

/** "the amount, the note and who paid"; a field this version does not know is "another detail". */
export function fieldList(changed: string[]): string {
  const names = [...new Set(changed.map((f) => t(FIELDS[f] ?? "field.other")))];
  return names.length === 0 ? t("field.nothing") : listOf(names);
}

function isExpense(v: Expense | Settlement | undefined): v is Expense {
  return v !== undefined && "payers" in v;
}

/** What an entry's subject is called: the expense's title, or "a payment". */
export function subjectName(entry: HistoryEntry, latest: Expense | Settlement | undefined): string {
  if (entry.what === "settlement") return t("history.aPayment");
  return isExpense(latest) ? expenseTitle(latest) : t("history.anExpense");
}

/** "€30.00 → €35.00" for an edit that changed the amount (sizes: income shows positive). */
export function amountChange(before: Expense | Settlement | undefined, after: Expense | Settlement | undefined): string | null {
  if (!before || !after || (before.amount === after.amount && before.currency === after.currency)) return null;
  return `${formatMoney(Math.abs(before.amount), before.currency)} → ${formatMoney(Math.abs(after.amount), after.currency)}`;
}

/** When, by the author's clock: "2 Jan 2026, 14:03"; a time no clock gives is "at an unknown time". */
export function when(ms: number, locale: string = intlLocale()): string {
  const d = new Date(ms);
  if (!Number.isFinite(ms) || ms <= 0 || Number.isNaN(d.getTime()) || d.getFullYear() > 9999) return t("when.unknownTime");
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(d);
}
