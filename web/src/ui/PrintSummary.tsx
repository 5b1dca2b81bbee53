// The end of a trip on paper: balances, who pays whom to settle up, the payments made and
// what each person paid, on a page the browser prints or saves as a PDF. Shown in a sheet;
// the print stylesheet (style.css, @media print) prints only this.
import { useEffect, useMemo, useState } from "preact/hooks";
import { problemText } from "../core/errors";
import { formatMoney } from "../core/format";
import type { Statistics } from "../core/types";
import { groupCurrency, memberIds, nameOf, useGroup } from "./context";
import { Sheet } from "./Sheet";
import { intlLocale, t } from "../i18n";

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
  const today = new Intl.DateTimeFormat(intlLocale(), { dateStyle: "long" }).format(new Date());

  return (
    <Sheet title={t("print.title")} onClose={onClose} testid="print-sheet">
      <div class="stack">
        <button type="button" class="primary no-print" onClick={() => window.print()}>
          {t("print.print")}
        </button>
        <article class="printable" data-testid="printable" aria-busy={stats === null && !error}>
          <h2>
            <bdi>{api.name()}</bdi>
          </h2>
          <p class="muted">
            {t("print.summaryOf", { date: today, n: Object.keys(state.expenses).length })}
            {stats ? ` ${t("print.spent", { amount: money(stats.total) })}` : ""}
          </p>
          {error && <p class="error">{error}</p>}
          <table class="summary-table">
            <caption>{t("balances.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("print.member")}</th>
                <th scope="col">{t("print.paid")}</th>
                <th scope="col">{t("print.balance")}</th>
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
                    <td>{b > 0 ? t("balances.isOwed", { amount: money(b) }) : b < 0 ? t("balances.owes", { amount: money(-b) }) : t("balances.settled")}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <h3>{t("print.toSettle")}</h3>
          {plan.length === 0 ? (
            <p>{t("balances.allSettled")}</p>
          ) : (
            <ol>
              {plan.map((p) => (
                <li key={`${p.from}-${p.to}`}>
                  <bdi>{nameOf(state, p.from)}</bdi> {t("balances.pays")} <bdi>{nameOf(state, p.to)}</bdi> {money(p.amount)}
                </li>
              ))}
            </ol>
          )}
          {settlements.length > 0 && (
            <>
              <h3>{t("print.paymentsMade")}</h3>
              <ul>
                {settlements.map((s, i) => (
                  <li key={i}>
                    {s.date}: <bdi>{nameOf(state, s.from)}</bdi> {t("balances.paid")} <bdi>{nameOf(state, s.to)}</bdi> {formatMoney(s.amount, s.currency)}
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
