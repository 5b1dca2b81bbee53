// The split editor's arithmetic: from what the form holds to a `Split`, and how much of
// the amount is still unassigned while the user types exact amounts or percentages.
import { parseDecimal, parseMoney } from "./format";
import type { Expense, MemberId, Split } from "./types";
import { t } from "../i18n";

export type SplitMode = Split["kind"];

/** What the split editor's inputs hold, per member (text as typed). */
export interface SplitForm {
  mode: SplitMode;
  /** equal: who shares */
  selected: Record<MemberId, boolean>;
  /** shares: weights as typed ("1", "2") */
  shares: Record<MemberId, string>;
  /** exact: amounts as typed, in the expense currency */
  exact: Record<MemberId, string>;
  /** percent: "33.33" */
  percent: Record<MemberId, string>;
}

export type Built = { ok: true; split: Split } | { ok: false; error: string };

/** A fresh form: everybody shares equally, one share each. */
export function initialForm(members: MemberId[]): SplitForm {
  return {
    mode: "equal",
    selected: Object.fromEntries(members.map((m) => [m, true])),
    shares: Object.fromEntries(members.map((m) => [m, "1"])),
    exact: {},
    percent: {},
  };
}

/** The form that shows an existing split (for editing an expense). */
export function formFromSplit(split: Split, members: MemberId[], currency: string, format: (minor: number, currency: string) => string): SplitForm {
  const form = initialForm(members);
  form.mode = split.kind;
  switch (split.kind) {
    case "equal":
      form.selected = Object.fromEntries(members.map((m) => [m, split.members.includes(m)]));
      break;
    case "shares":
      form.shares = Object.fromEntries(members.map((m) => [m, "0"]));
      for (const [m, w] of split.weights) form.shares[m] = String(w);
      break;
    case "exact":
      for (const [m, a] of split.amounts) form.exact[m] = format(a, currency);
      break;
    case "percent":
      for (const [m, b] of split.basis_points) form.percent[m] = formatBasisPoints(b);
      break;
  }
  return form;
}

/** "33.33" → 3333 basis points; at most 2 decimals, 0..100. */
export function parsePercent(text: string): { ok: true; value: number } | { ok: false; error: string } {
  const d = parseDecimal(text, 2);
  if (!d.ok) return d;
  const bp = Number(d.int * 10n ** BigInt(2 - d.decimals));
  if (bp < 0 || bp > 10_000) return { ok: false, error: t("split.percentRange") };
  return { ok: true, value: bp };
}

function blank(text: string | undefined): boolean {
  return text === undefined || text.trim() === "";
}

/** Builds the split for `members` (in display order) from the form. */
export function buildSplit(form: SplitForm, members: MemberId[], amount: number, currency: string): Built {
  switch (form.mode) {
    case "equal": {
      const chosen = members.filter((m) => form.selected[m]);
      if (chosen.length === 0) return { ok: false, error: t("split.chooseOne") };
      return { ok: true, split: { kind: "equal", members: chosen } };
    }
    case "shares": {
      const weights: [MemberId, number][] = [];
      for (const m of members) {
        const text = form.shares[m];
        if (blank(text)) continue;
        const w = Number((text ?? "").trim());
        if (!Number.isInteger(w) || w < 0 || w > 4_294_967_295) return { ok: false, error: t("split.wholeShares") };
        if (w > 0) weights.push([m, w]);
      }
      if (weights.length === 0) return { ok: false, error: t("split.giveShare") };
      return { ok: true, split: { kind: "shares", weights } };
    }
    case "exact": {
      const amounts: [MemberId, number][] = [];
      for (const m of members) {
        const text = form.exact[m];
        if (blank(text)) continue;
        const p = parseMoney(text ?? "", currency);
        if (!p.ok) return { ok: false, error: p.error };
        if (p.value !== 0) amounts.push([m, p.value]);
      }
      const left = amount - amounts.reduce((s, [, a]) => s + a, 0);
      if (left !== 0) return { ok: false, error: t("split.addUp") };
      if (amounts.length === 0) return { ok: false, error: t("split.assign") };
      return { ok: true, split: { kind: "exact", amounts } };
    }
    case "percent": {
      const basis_points: [MemberId, number][] = [];
      for (const m of members) {
        const text = form.percent[m];
        if (blank(text)) continue;
        const p = parsePercent(text ?? "");
        if (!p.ok) return { ok: false, error: p.error };
        if (p.value > 0) basis_points.push([m, p.value]);
      }
      if (basis_points.reduce((s, [, b]) => s + b, 0) !== 10_000) return { ok: false, error: t("split.percentAddUp") };
      return { ok: true, split: { kind: "percent", basis_points } };
    }
  }
}

/**
 * What is left to assign: minor units for "exact" (amount − parts), basis points for
 * "percent" (10,000 − sum); null for other modes or when an input does not parse.
 */
export function remainder(form: SplitForm, members: MemberId[], amount: number, currency: string): number | null {
  if (form.mode === "exact") {
    let sum = 0;
    for (const m of members) {
      const text = form.exact[m];
      if (blank(text)) continue;
      const p = parseMoney(text ?? "", currency);
      if (!p.ok) return null;
      sum += p.value;
    }
    return amount - sum;
  }
  if (form.mode === "percent") {
    let sum = 0;
    for (const m of members) {
      const text = form.percent[m];
      if (blank(text)) continue;
      const p = parsePercent(text ?? "");
      if (!p.ok) return null;
      sum += p.value;
    }
    return 10_000 - sum;
  }
  return null;
}

/** An expense paid fully by one member. */
export function paidBy(member: MemberId, amount: number): Expense["payers"] {
  return [[member, amount]];
}

/** 3333 → "33.33", 5000 → "50", 1250 → "12.5" */
export function formatBasisPoints(bp: number): string {
  return (bp / 100).toFixed(2).replace(/\.?0+$/, "");
}
