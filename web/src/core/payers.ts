// Who paid: one member (the usual case) or several, each with the part they paid. The
// parts must add up to the total, as an exact split's do; while the user types, the
// editor shows what is left to assign (`payersLeft`), as the split section does.
import { formatMoney, parseMoney } from "./format";
import type { MemberId } from "./types";
import { t } from "../i18n";

/** What the "paid by" section holds. */
export interface PayersForm {
  /** several payers, each with an amount; else `one` paid it all */
  several: boolean;
  one: MemberId;
  /** the amounts as typed, in the expense currency, positive */
  amounts: Record<MemberId, string>;
}

export type BuiltPayers = { ok: true; payers: [MemberId, number][] } | { ok: false; error: string };

/** The form for existing payers (sizes shown positive), or for `me` paying it all. */
export function payersForm(payers: [MemberId, number][] | undefined, me: MemberId, format: (minor: number) => string): PayersForm {
  const several = (payers?.length ?? 0) > 1;
  return {
    several,
    one: payers?.[0]?.[0] ?? me,
    amounts: several ? Object.fromEntries((payers ?? []).map(([m, a]) => [m, format(Math.abs(a))])) : {},
  };
}

function parts(form: PayersForm, members: MemberId[], currency: string): { ok: true; parts: [MemberId, number][] } | { ok: false; error: string } {
  const out: [MemberId, number][] = [];
  for (const m of members) {
    const text = form.amounts[m]?.trim() ?? "";
    if (text === "") continue;
    const p = parseMoney(text, currency);
    if (!p.ok) return { ok: false, error: p.error };
    if (p.value < 0) return { ok: false, error: t("payers.notNegative") };
    if (p.value > 0) out.push([m, p.value]);
  }
  return { ok: true, parts: out };
}

/** What is left to assign among several payers (total − parts), null with one payer or an unreadable part. */
export function payersLeft(form: PayersForm, members: MemberId[], total: number, currency: string): number | null {
  if (!form.several) return null;
  const p = parts(form, members, currency);
  return p.ok ? total - p.parts.reduce((s, [, a]) => s + a, 0) : null;
}

/** The payers (positive sizes) for a total of `total`, or why they cannot be saved. */
export function buildPayers(form: PayersForm, members: MemberId[], total: number, currency: string): BuiltPayers {
  if (!form.several) return { ok: true, payers: [[form.one, total]] };
  const p = parts(form, members, currency);
  if (!p.ok) return p;
  if (p.parts.length === 0) return { ok: false, error: t("payers.enter") };
  const sum = p.parts.reduce((s, [, a]) => s + a, 0);
  if (sum !== total) return { ok: false, error: t("payers.addUp", { total: formatMoney(total, currency), sum: formatMoney(sum, currency) }) };
  return { ok: true, payers: p.parts };
}

/** Parts (positive) of the members who typed one, whatever their sum: what a rescale scales. */
export function typedParts(amounts: Record<MemberId, string>, members: MemberId[], currency: string): [MemberId, number][] {
  const out: [MemberId, number][] = [];
  for (const m of members) {
    const p = parseMoney(amounts[m]?.trim() ?? "", currency);
    if (p.ok && p.value > 0) out.push([m, p.value]);
  }
  return out;
}
