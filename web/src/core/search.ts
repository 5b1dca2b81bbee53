// Search in the expense list, as people search: a word from the title, note, shop,
// category or account, a payer's name, or an amount ("45" finds €45.00). Every word of
// the query must be found somewhere. Done here, not in the core's filter, because names
// and amounts are matched as the screen shows them.
import { categoryLabel } from "./categories";
import { formatPlain } from "./format";
import type { Expense, GroupState } from "./types";

/** Lower case, without accents: "Zé" is found by "ze". */
export function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase();
}

/** A word that looks like an amount ("45", "12,5", "€9.90"), as digits with a point. */
function amountWord(word: string): string | null {
  const w = word.replace(/^[^\d\-−]+|[^\d]+$/gu, "").replace(/^[-−]/, "").replace(",", ".");
  return /^\d+(\.\d*)?$/.test(w) ? w : null;
}

/** Whether `e` matches every word of `query` (an empty query matches everything). */
export function matchesQuery(e: Expense, query: string, state: GroupState): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const payers = e.payers.map(([m]) => state.members[m]?.name ?? "");
  const text = fold([e.title ?? "", e.note, e.shop, e.category, categoryLabel(e.category), e.account, e.currency, ...payers].join("\n"));
  const amount = formatPlain(Math.abs(e.amount), e.currency);
  return words.every((w) => {
    if (text.includes(w)) return true;
    const a = amountWord(w);
    return a !== null && amount.startsWith(a);
  });
}
