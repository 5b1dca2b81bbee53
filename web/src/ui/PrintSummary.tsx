// The end of a trip on paper: balances, who pays whom to settle up, the payments made and
// what each person paid, on a page the browser prints or saves as a PDF. Shown in a sheet;
// the print stylesheet (style.css, @media print) prints only this.
import { useEffect, useMemo, useState } from "preact/hooks";
import { problemText } from "../core/errors";
import { formatMoney } from "../core/format";
import type { Statistics } from "../core/types";
import { groupCurrency, memberIds, nameOf, useGroup } from "./context";
import { Sheet } from "./Sheet";

export function PrintSummary({ onClose }: { onClose: () => void }) {
  const { api, state, version } = useGroup();
  const me = api.me();
  const currency = groupCurrency(state);
  const money = (v: number) => formatMoney(v, currency);
  const balances = useMemo(() => api.balances(), [api, version]);
  const plan = useMemo(() => api.settleUp(), [api, version]);
  const [stats, setStats] = useState<Statistics | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.statistics({}).then(setStats, (e: unknown) => setError(problemText(e)));
  }, [api, version]);
  const ids = memberIds(state, me).filter((m) => state.members[m]?.status === "active" || (balances[m] ?? 0) !== 0);
  const settlements = Object.values(state.settlements).sort((a, b) => (a.date < b.date ? -1 : 1));
  const today = new Intl.DateTimeFormat(undefined, { dateStyle: "long" }).format(new Date());

  return (
    <Sheet title="Summary" onClose={onClose} testid="print-sheet">
      <div class="stack">
        <button type="button" class="primary no-print" onClick={() => window.print()}>
          Print or save as PDF
        </button>
        <article class="printable" data-testid="printable" aria-busy={stats === null && !error}>
          <h2>
            <bdi>{api.name()}</bdi>
          </h2>
          <p class="muted">
            Summary of {today}. {Object.keys(state.expenses).length} expenses{stats ? `, ${money(stats.total)} spent in all` : ""}.
          </p>
          {error && <p class="error">{error}</p>}
          <table class="summary-table">
            <caption>Balances</caption>
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Paid</th>
                <th scope="col">Balance</th>
              </tr>
            </thead>
            <tbody>
              {ids.map((m) => {
                const b = balances[m] ?? 0;
                return (
                  <tr key={m}>
                    <th scope="row">
                      <bdi>{nameOf(state, m)}</bdi>
                    </th>
                    <td>{stats ? money(stats.by_payer[m] ?? 0) : "…"}</td>
                    <td>{b > 0 ? `is owed ${money(b)}` : b < 0 ? `owes ${money(-b)}` : "settled up"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <h3>To settle up</h3>
          {plan.length === 0 ? (
            <p>Everyone is settled up.</p>
          ) : (
            <ol>
              {plan.map((t) => (
                <li key={`${t.from}-${t.to}`}>
                  <bdi>{nameOf(state, t.from)}</bdi> pays <bdi>{nameOf(state, t.to)}</bdi> {money(t.amount)}
                </li>
              ))}
            </ol>
          )}
          {settlements.length > 0 && (
            <>
              <h3>Payments already made</h3>
              <ul>
                {settlements.map((s, i) => (
                  <li key={i}>
                    {s.date}: <bdi>{nameOf(state, s.from)}</bdi> paid <bdi>{nameOf(state, s.to)}</bdi> {formatMoney(s.amount, s.currency)}
                  </li>
                ))}
              </ul>
            </>
          )}
        </article>
      </div>
    </Sheet>
  );
}
