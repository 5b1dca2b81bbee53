// How an expense reads on screen, and the checks the form makes before saving.
import { t } from "../i18n";
import { categoryLabel } from "./categories";
import { currencyExponent } from "./format";
import type { Expense } from "./types";

/** What to call an expense in a list: its title, else its shop or category. */
export function expenseTitle(e: Pick<Expense, "title" | "shop" | "category" | "amount">): string {
  return e.title?.trim() || e.shop || (e.category && categoryLabel(e.category)) || (e.amount < 0 ? t("expense.income") : t("expense.expense"));
}

/** Income (`kind: "income"`, or a negative amount as older versions wrote): money that came back (a refund, a returned deposit). */
export function isRefund(e: Pick<Expense, "amount">): boolean {
  return e.amount < 0;
}

/**
 * Whether an amount is large enough to ask "is that right?" before saving: a slip of the
 * decimal point ("4500" for 45.00) is the usual cause. Large means at least 1,000 in
 * the currency and more than ten times the largest amount the group has recorded in it;
 * with none recorded yet, 10,000 (for currencies without decimals, like yen, 100 times
 * as much).
 */
export function veryLarge(minor: number, currency: string, others: Pick<Expense, "amount" | "currency">[]): boolean {
  const abs = Math.abs(minor);
  const same = others.filter((e) => e.currency === currency).map((e) => Math.abs(e.amount));
  const unit = currencyExponent(currency) === 0 ? 100 : 10 ** currencyExponent(currency);
  if (same.length > 0) return abs >= 1_000 * unit && abs > 10 * Math.max(...same);
  return abs >= 10_000 * unit;
}
