// Totals and bar charts by category, month, shop, account and payer, for a date range.
import { useMemo, useState } from "preact/hooks";
import { formatMoney, monthLabel } from "../core/format";
import type { Filter } from "../core/types";
import { BarChart, type Bar } from "./BarChart";
import { groupCurrency, nameOf, useGroup } from "./context";

function bars(record: Record<string, number>, label: (k: string) => string = (k) => k): Bar[] {
  return Object.entries(record)
    .map(([key, value]) => ({ key, label: label(key), value }))
    .sort((a, b) => b.value - a.value);
}

export function Stats() {
  const { api, state, version } = useGroup();
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const currency = groupCurrency(state);
  const stats = useMemo(() => {
    const f: Filter = {};
    if (from) f.from = from;
    if (to) f.to = to;
    return api.statistics(f);
  }, [api, from, to, version]);
  const money = (v: number) => formatMoney(v, currency);
  const months = Object.entries(stats.by_month)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, value]) => ({ key, label: monthLabel(key), value }));

  return (
    <section class="stack">
      <h2>Stats</h2>
      <div class="row">
        <label class="grow">
          From
          <input type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label class="grow">
          To
          <input type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </label>
      </div>
      <p class="total card" data-testid="stats-total">
        Total spent <strong>{money(stats.total)}</strong>
      </p>
      <BarChart title="By category" bars={bars(stats.by_category)} format={money} />
      <BarChart title="By month" bars={months} format={money} />
      <BarChart title="By shop" bars={bars(stats.by_shop)} format={money} />
      <BarChart title="By account" bars={bars(stats.by_account)} format={money} />
      <BarChart title="By member (paid)" bars={bars(stats.by_payer, (m) => nameOf(state, m, api.me()))} format={money} />
    </section>
  );
}
