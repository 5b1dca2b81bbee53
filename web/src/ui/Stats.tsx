// Totals and bar charts by category, month, shop, account and payer, for a date range.
import { useEffect, useState } from "preact/hooks";
import { problemText } from "../core/errors";
import { formatMoney, monthLabel } from "../core/format";
import type { Filter, Statistics } from "../core/types";
import { BarChart, type Bar } from "./BarChart";
import { groupCurrency, nameOf, useGroup } from "./context";
import { t } from "../i18n";
import { categoryLabel } from "../core/categories";

/** Whether a dimension holds anything: "By account" is empty when no expense named an account. */
export function holdsSomething(record: Record<string, number>): boolean {
  return Object.keys(record).some((k) => k.trim() !== "");
}

function bars(record: Record<string, number>, label: (k: string) => string = (k) => k): Bar[] {
  return Object.entries(record)
    .map(([key, value]) => ({ key, label: label(key), value }))
    .sort((a, b) => b.value - a.value);
}

const EMPTY: Statistics = { by_category: {}, by_month: {}, by_shop: {}, by_account: {}, by_payer: {}, total: 0, uncounted: [] };

export function Stats() {
  const { api, state, version } = useGroup();
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const currency = groupCurrency(state);
  // The statistics come from the reports module, loaded the first time this screen opens.
  const [stats, setStats] = useState<Statistics>(EMPTY);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const f: Filter = {};
    if (from) f.from = from;
    if (to) f.to = to;
    let current = true;
    api.statistics(f).then(
      (s) => {
        if (!current) return;
        setStats(s);
        setLoaded(true);
        setError(null);
      },
      (e: unknown) => {
        if (current) setError(problemText(e));
      },
    );
    return () => {
      current = false;
    };
  }, [api, from, to, version]);
  const money = (v: number) => formatMoney(v, currency);
  const months = Object.entries(stats.by_month)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, value]) => ({ key, label: monthLabel(key), value }));

  return (
    <section class="stack" aria-busy={!loaded && !error} data-testid="stats">
      <h2>{t("tabs.stats")}</h2>
      <div class="row">
        <label class="grow">
          {t("expenses.from")}
          <input type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label class="grow">
          {t("expenses.to")}
          <input type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </label>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <p class="total card" data-testid="stats-total">
        {t("stats.total")} <strong>{money(stats.total)}</strong>
      </p>
      {loaded && months.length === 0 && <p class="muted">{from || to ? t("stats.nothingInDays") : t("stats.nothingYet")}</p>}
      {holdsSomething(stats.by_category) && <BarChart title={t("stats.byCategory")} bars={bars(stats.by_category, (c) => (c ? categoryLabel(c) : t("stats.noCategory")))} format={money} />}
      {months.length > 1 && <BarChart title={t("stats.byMonth")} bars={months} format={money} />}
      {holdsSomething(stats.by_payer) && <BarChart title={t("expenses.paidBy")} bars={bars(stats.by_payer, (m) => nameOf(state, m, api.me()))} format={money} />}
      {holdsSomething(stats.by_shop) && <BarChart title={t("stats.byShop")} bars={bars(stats.by_shop, (c) => c || t("stats.noShop"))} format={money} />}
      {holdsSomething(stats.by_account) && <BarChart title={t("stats.byAccount")} bars={bars(stats.by_account, (c) => c || t("stats.noAccount"))} format={money} />}
    </section>
  );
}
