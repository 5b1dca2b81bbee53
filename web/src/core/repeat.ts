// Recurring expenses as the editor takes them and the screens say them: the "Repeats"
// form (never / daily / weekly / monthly / yearly; ends never, on a day or after a number
// of times) to the core's schedule, with what is wrong in words; a series' rule and its
// history lines in words. The core checks the schedule again (client-wasm/ledger/src/recurring).
import { fromIso } from "./format";
import { intlLocale, t, type Key } from "../i18n";
import type { HistoryEntry, Schedule, Unit } from "./types";

export type RepeatEnd = "never" | "on" | "after";

export interface RepeatForm {
  /** "" is "never" */
  unit: Unit | "";
  end: RepeatEnd;
  /** YYYY-MM-DD, when `end` is "on" */
  until: string;
  /** a count typed, when `end` is "after" */
  times: string;
}

export const NO_REPEAT: RepeatForm = { unit: "", end: "never", until: "", times: "" };

/** The most instances one series may have (the ledger's MAX_OCCURRENCES). */
export const MAX_TIMES = 3660;

const ADVERB: Record<Unit, Key> = { day: "repeat.unitDay", week: "repeat.unitWeek", month: "repeat.unitMonth", year: "repeat.unitYear" };
const EVERY: Record<Unit, Key> = { day: "repeat.everyDay", week: "repeat.everyWeek", month: "repeat.everyMonth", year: "repeat.everyYear" };

export const UNITS: { unit: RepeatForm["unit"]; label: Key }[] = [
  { unit: "", label: "repeat.never" },
  { unit: "day", label: "repeat.daily" },
  { unit: "week", label: "repeat.weekly" },
  { unit: "month", label: "repeat.monthly" },
  { unit: "year", label: "repeat.yearly" },
];

/** A YYYY-MM-DD day as the reader's locale writes it: "31 Jan 2027". */
export function dayText(date: string, locale: string = intlLocale()): string {
  const day = fromIso(date);
  return Number.isNaN(day.getTime()) ? date : new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(day);
}

/**
 * The schedule the form describes from `start` (the expense's date): null when it does
 * not repeat, or why it cannot work ("Ends: …").
 */
export function buildSchedule(form: RepeatForm, start: string): { ok: true; schedule: Schedule | null } | { ok: false; error: string } {
  if (form.unit === "") return { ok: true, schedule: null };
  const schedule: Schedule = { unit: form.unit, every: 1, start };
  if (form.end === "on") {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(form.until)) return { ok: false, error: t("repeat.pickLastDay") };
    // ISO days compare as text
    if (form.until < start) return { ok: false, error: t("repeat.endBeforeStart", { end: dayText(form.until), start: dayText(start) }) };
    schedule.until = form.until;
  } else if (form.end === "after") {
    const n = Number(form.times.trim());
    if (!/^\d+$/.test(form.times.trim()) || n < 1 || n > MAX_TIMES) return { ok: false, error: t("repeat.timesRange", { max: MAX_TIMES }) };
    schedule.times = n;
  }
  return { ok: true, schedule };
}

/** "Repeats monthly", "Repeats every 2 weeks, 12 times", "Repeats yearly until 1 Jan 2030". */
export function ruleText(s: Schedule): string {
  const end = s.times ? t("repeat.ruleTimes", { n: s.times }) : s.until ? t("repeat.ruleUntil", { day: dayText(s.until) }) : "";
  return t("repeat.rule", { every: unitText(s), end });
}

/** "monthly": the short tag on an instance in the list. */
export function unitText(s: Schedule | undefined): string {
  if (!s) return t("repeat.recurring");
  return s.every > 1 ? t(EVERY[s.unit], { n: s.every }) : t(ADVERB[s.unit]);
}

/**
 * A recurring line of the history or the activity, without who: `name` is the series'
 * title, isolated (null in an instance's own history: "the series", "this one").
 */
export function recurringVerb(entry: HistoryEntry, name: string | null, fields: string): string {
  const on = entry.date ? dayText(entry.date) : "";
  const series = name ?? t("repeat.theSeries");
  if (entry.what === "instance") {
    const one = name === null ? t("repeat.thisOne") : t("repeat.nameOf", { name, day: on });
    return entry.action === "deleted" ? t("repeat.skippedOne", { one }) : t("repeat.changedOne", { fields, one });
  }
  switch (entry.action) {
    case "created":
      return t("repeat.setUp", { series });
    case "edited":
      return t("repeat.changedFrom", { fields, series, day: on });
    case "deleted":
      return t("repeat.stoppedFrom", { series, day: on });
  }
}
