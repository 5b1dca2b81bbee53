// Who is owed and who owes, the plan to settle up, and the payments made so far; a
// printable summary of it all for the end of a trip.
import { useMemo, useState } from "preact/hooks";
import { dayHeading, formatMoney, isoDate } from "../core/format";
import type { Transfer } from "../core/types";
import { groupCurrency, isolate, memberIds, nameOf, useGroup } from "./context";
import { notifyChange } from "../push/send";
import { PrintSummary } from "./PrintSummary";

export function Balances() {
  const { api, state, version, mutate, toast, problem, confirm } = useGroup();
  const me = api.me();
  const currency = groupCurrency(state);
  const balances = useMemo(() => api.balances(), [api, version]);
  const plan = useMemo(() => api.settleUp(), [api, version]);
  const [printing, setPrinting] = useState(false);
  const settlements = useMemo(
    () => Object.entries(state.settlements).sort(([a, x], [b, y]) => (x.date === y.date ? (a < b ? 1 : -1) : x.date < y.date ? 1 : -1)),
    [state],
  );
  const ids = memberIds(state, me).filter((m) => state.members[m]?.status === "active" || (balances[m] ?? 0) !== 0);

  const record = async (t: Transfer) => {
    try {
      const id = await mutate((a, now) => a.recordSettlement({ from: t.from, to: t.to, amount: t.amount, currency, date: isoDate() }, now));
      const amount = formatMoney(t.amount, currency);
      void notifyChange(api, { kind: "settled", author: nameOf(state, t.from), to: nameOf(state, t.to), amount, record: id });
      toast(`Recorded: ${isolate(nameOf(state, t.from))} paid ${isolate(nameOf(state, t.to))} ${formatMoney(t.amount, currency)}`, {
        label: "Undo",
        run: async () => {
          try {
            await mutate((a, now) => a.deleteSettlement(id, now));
          } catch (e) {
            problem(e);
          }
        },
      });
    } catch (e) {
      problem(e, () => record(t));
    }
  };

  const remove = async (id: string) => {
    if (!(await confirm("Delete this payment for everyone in the group?", "Delete"))) return;
    try {
      await mutate((a, now) => a.deleteSettlement(id, now));
    } catch (e) {
      problem(e);
    }
  };

  return (
    <section class="stack">
      <div class="row between">
        <h2>Balances</h2>
        <button type="button" onClick={() => setPrinting(true)} data-testid="print-summary">
          Print summary
        </button>
      </div>
      <ul class="list card">
        {ids.map((m) => {
          const b = balances[m] ?? 0;
          return (
            <li key={m} class="balance" data-testid={`balance-${m}`} data-sign={b > 0 ? "owed" : b < 0 ? "owes" : "even"}>
              <bdi>{nameOf(state, m, me)}</bdi>
              <span class={b > 0 ? "pos" : b < 0 ? "neg" : "muted"}>
                {b > 0 ? `is owed ${formatMoney(b, currency)}` : b < 0 ? `owes ${formatMoney(-b, currency)}` : "settled up"}
              </span>
            </li>
          );
        })}
      </ul>
      <h2>Settle up</h2>
      {plan.length === 0 ? (
        <p class="muted">Everyone is settled up.</p>
      ) : (
        <ul class="list card">
          {plan.map((t) => (
            <li key={`${t.from}-${t.to}`} class="transfer" data-testid="settle-transfer">
              <span>
                <strong>
                  <bdi>{nameOf(state, t.from, me)}</bdi>
                </strong>{" "}
                pays{" "}
                <strong>
                  <bdi>{nameOf(state, t.to, me)}</bdi>
                </strong>{" "}
                <span class="amount">{formatMoney(t.amount, currency)}</span>
              </span>
              <button type="button" onClick={() => void record(t)}>
                Record payment
              </button>
            </li>
          ))}
        </ul>
      )}
      <h2>Payments</h2>
      {settlements.length === 0 ? (
        <p class="muted">No payments recorded yet.</p>
      ) : (
        <ul class="list card">
          {settlements.map(([id, s]) => (
            <li key={id} class="settlement" data-testid="settlement-row">
              <span>
                <bdi>{nameOf(state, s.from, me)}</bdi> paid <bdi>{nameOf(state, s.to, me)}</bdi> <span class="amount">{formatMoney(s.amount, s.currency)}</span>
                <span class="sub muted"> · {dayHeading(s.date)}</span>
              </span>
              <button type="button" class="icon" aria-label={`Delete payment from ${nameOf(state, s.from)} to ${nameOf(state, s.to)}`} onClick={() => void remove(id)}>
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
      {printing && <PrintSummary onClose={() => setPrinting(false)} />}
    </section>
  );
}
