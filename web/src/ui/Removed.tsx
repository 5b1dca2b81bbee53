// A member removed by another: this phone is told who removed it ("You were removed from
// Lisbon trip by Alice"), keeps a read-only copy it can export (Settings), and can remove
// the group from this phone. Adding and editing are hidden on every screen (`readOnly`);
// an expense opens read-only (`ExpenseDetail`) instead of in the editor.
import { useState } from "preact/hooks";
import { categoryLabel } from "../core/categories";
import { expenseTitle } from "../core/expense";
import { dayHeading, formatMoney } from "../core/format";
import type { EventId, Expense, GroupState, MemberId } from "../core/types";
import { isolate, nameOf, useGroup } from "./context";
import { Sheet } from "./Sheet";
import { t } from "../i18n";
import { tb } from "../i18n/jsx";

/** The group cannot be changed from this phone: its member was removed. */
export function readOnly(state: GroupState): boolean {
  return state.device.removed !== undefined;
}

export function Removed({ onRemove, onExport }: { onRemove: (key: string) => Promise<void>; onExport: () => void }) {
  const { api, state, confirm, problem } = useGroup();
  const [busy, setBusy] = useState(false);
  const removed = state.device.removed;
  if (!removed) return null;
  const remove = async () => {
    if (!(await confirm(t("removed.confirm", { group: isolate(removed.group) }), t("settings.removeFromPhone")))) return;
    setBusy(true);
    try {
      await onRemove(api.groupKey());
    } catch (err) {
      problem(err);
      setBusy(false);
    }
  };
  return (
    <section class="card stack" role="status" data-testid="removed">
      <h2>{tb("removed.title", { group: removed.group, name: removed.byName })}</h2>
      <p class="muted">{t("removed.body")}</p>
      <div class="row">
        <button type="button" onClick={onExport}>
          {t("removed.export")}
        </button>
        <button type="button" class="danger" disabled={busy} onClick={() => void remove()}>
          {t("settings.removeFromPhone")}
        </button>
      </div>
    </section>
  );
}

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
