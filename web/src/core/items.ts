// An itemized bill as the editor holds it (each item's name, price and who had it; a tip
// in percent and a tax or service charge as an amount) and the `Itemized` value the
// ledger splits exactly (`itemizedTotal` in the core: each part to the cent).
import { parseMoney } from "./format";
import { parsePercent } from "./split";
import type { Expense, MemberId } from "./types";
import type { Itemized } from "./types";
import { t } from "../i18n";

export interface ItemRow {
  name: string;
  /** as typed */
  price: string;
  /** who had it */
  members: MemberId[];
}

export interface ItemsForm {
  items: ItemRow[];
  /** tip in percent of the items, as typed ("10") */
  tip: string;
  /** tax or service, an amount, as typed */
  tax: string;
}

export type BuiltBill = { ok: true; bill: Itemized } | { ok: false; error: string };

export function emptyItems(members: MemberId[]): ItemsForm {
  return { items: [{ name: "", price: "", members: [...members] }], tip: "", tax: "" };
}

/** The form for a bill already saved. */
export function itemsFormOf(bill: Itemized, format: (minor: number) => string): ItemsForm {
  const tip = bill.extras.find((x) => x.name === "tip");
  const tax = bill.extras.find((x) => x.name === "tax");
  return {
    items: bill.items.map((i) => ({ name: i.name, price: format(i.price), members: [...i.members] })),
    tip: tip ? String(tip.basis_points / 100) : "",
    tax: tax ? format(tax.amount) : "",
  };
}

/** The bill for the ledger, or what is wrong with the form (item numbers from 1). */
export function buildBill(form: ItemsForm, currency: string): BuiltBill {
  const items: Itemized["items"] = [];
  for (const [i, row] of form.items.entries()) {
    const label = t("items.itemN", { i: i + 1 });
    if (row.name.trim() === "" && row.price.trim() === "") continue;
    const price = parseMoney(row.price.trim(), currency);
    if (!price.ok) return { ok: false, error: `${label}: ${price.error}` };
    if (price.value <= 0) return { ok: false, error: `${label}: ${t("items.pricePositive")}` };
    if (row.members.length === 0) return { ok: false, error: `${label}: ${t("items.chooseWho")}` };
    items.push({ name: row.name.trim() || label, price: price.value, members: row.members });
  }
  if (items.length === 0) return { ok: false, error: t("items.addOne") };
  const extras: Itemized["extras"] = [];
  if (form.tip.trim() !== "") {
    const tip = parsePercent(form.tip.trim());
    if (!tip.ok) return { ok: false, error: `${t("items.tipShort")}: ${tip.error}` };
    if (tip.value > 0) extras.push({ name: "tip", amount: 0, basis_points: tip.value });
  }
  if (form.tax.trim() !== "") {
    const tax = parseMoney(form.tax.trim(), currency);
    if (!tax.ok) return { ok: false, error: `${t("items.tax")}: ${tax.error}` };
    if (tax.value !== 0) extras.push({ name: "tax", amount: tax.value, basis_points: 0 });
  }
  return { ok: true, bill: { items, extras } };
}

/** Whether an expense is an itemized bill. */
export function isItemized(e: Expense | undefined): boolean {
  return (e?.items?.items.length ?? 0) > 0;
}
