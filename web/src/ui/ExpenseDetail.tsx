// An expense as it is, for a phone that may not change it (a removed member's: ./Removed):
// what, how much, when, who paid and who shares it; nothing here edits. Loaded when first
// opened (./lazy): only a removed member's phone needs it.
import { categoryLabel } from "../core/categories";
import { expenseTitle } from "../core/expense";
import { dayHeading, formatMoney } from "../core/format";
import type { EventId, Expense, MemberId } from "../core/types";
import { nameOf, useGroup } from "./context";
import { Sheet } from "./Sheet";
import { t } from "../i18n";

/** Names and amounts, one per line. */
function Parts({ parts, currency, testid }: { parts: [MemberId, number][]; currency: string; testid: string }) {
  const { api, state } = useGroup();
  return (
    <ul class="list" data-testid={testid}>
      {parts.map(([m, amount]) => (
        <li key={m} class="row between">
          <bdi>{nameOf(state, m, api.me())}</bdi>
          <span>{formatMoney(amount, currency)}</span>
        </li>
      ))}
    </ul>
  );
}

/** An expense as it is, for a phone that may not change it: nothing here edits. */
export function ExpenseDetail({ id, e, onClose }: { id: EventId; e: Expense; onClose: () => void }) {
  const { api } = useGroup();
  let split: [MemberId, number][] = [];
  try {
    split = api.splitParts(e);
  } catch {
    /* a split this version cannot read: the payers still show */
  }
  const row = (label: string, value: string) =>
    value && (
      <div class="row between">
        <span class="muted">{label}</span>
        <bdi>{value}</bdi>
      </div>
    );
  return (
    <Sheet title={expenseTitle(e)} onClose={onClose} testid="expense-detail">
      <div class="stack" data-id={id}>
        <p class="hint muted">{t("removed.readOnly")}</p>
        {row(t("editor.amount"), formatMoney(e.amount, e.currency))}
        {row(t("editor.date"), dayHeading(e.date))}
        {row(t("expenses.category"), e.category ? categoryLabel(e.category) : "")}
        {row(t("expenses.shop"), e.shop)}
        {row(t("expenses.account"), e.account)}
        <h3>{t("expenses.paidBy")}</h3>
        <Parts parts={e.payers} currency={e.currency} testid="detail-payers" />
        {split.length > 0 && (
          <>
            <h3>{t("expenses.sharedBy")}</h3>
            <Parts parts={split} currency={e.currency} testid="detail-split" />
          </>
        )}
        {e.note && <p data-testid="detail-note">{e.note}</p>}
      </div>
    </Sheet>
  );
}
