// The expense list: grouped by day, newest first; filters, search, pull to refresh, "+".
import { useMemo, useRef, useState } from "preact/hooks";
import { dayHeading, formatMoney, groupByDay } from "../core/format";
import type { EventId, Expense, Filter } from "../core/types";
import { memberIds, nameOf, useGroup } from "./context";
import { ExpenseEditor } from "./ExpenseEditor";

const PULL_TRIGGER_PX = 70;

interface FilterForm {
  category: string;
  shop: string;
  account: string;
  member: string;
  from: string;
  to: string;
  text: string;
}

const EMPTY: FilterForm = { category: "", shop: "", account: "", member: "", from: "", to: "", text: "" };

/** The facade filter for what the form holds (only the fields set). */
export function toFilter(f: FilterForm): Filter {
  const out: Filter = {};
  if (f.category) out.category = f.category;
  if (f.shop) out.shop = f.shop;
  if (f.account) out.account = f.account;
  if (f.member) out.member = f.member;
  if (f.from) out.from = f.from;
  if (f.to) out.to = f.to;
  if (f.text.trim()) out.text = f.text.trim();
  return out;
}

function scrollTop(): number {
  return document.scrollingElement?.scrollTop ?? 0;
}

export function Expenses() {
  const { api, state, version, syncNow, sync } = useGroup();
  const me = api.me();
  const [form, setForm] = useState<FilterForm>(EMPTY);
  const [showFilters, setShowFilters] = useState(false);
  const [editing, setEditing] = useState<[EventId, Expense] | null | "new">(null);
  const [pull, setPull] = useState(0);
  const pullStart = useRef<number | null>(null);

  const filter = useMemo(() => toFilter(form), [form]);
  const list = useMemo(() => api.expenses(filter), [api, filter, version]);
  const days = useMemo(() => groupByDay(list, ([, e]) => e.date), [list]);
  const active = Object.entries(form).filter(([k, v]) => k !== "text" && v !== "").length;

  const options = useMemo(() => {
    const all = Object.values(state.expenses);
    const uniq = (xs: string[]) => [...new Set(xs.filter(Boolean))].sort();
    return {
      categories: uniq([...(state.settings?.categories ?? []), ...all.map((e) => e.category)]),
      shops: uniq(all.map((e) => e.shop)),
      accounts: uniq([...(state.settings?.accounts ?? []), ...all.map((e) => e.account)]),
    };
  }, [state]);

  const set = (k: keyof FilterForm) => (e: { currentTarget: HTMLInputElement | HTMLSelectElement }) => {
    const v = e.currentTarget.value;
    setForm((f) => ({ ...f, [k]: v }));
  };

  const onTouchStart = (e: TouchEvent) => {
    pullStart.current = scrollTop() <= 0 ? (e.touches[0]?.clientY ?? null) : null;
  };
  const onTouchMove = (e: TouchEvent) => {
    if (pullStart.current === null) return;
    const dy = (e.touches[0]?.clientY ?? 0) - pullStart.current;
    setPull(Math.max(0, Math.min(dy, 120)));
  };
  const onTouchEnd = () => {
    if (pullStart.current !== null && pull > PULL_TRIGGER_PX) void syncNow();
    pullStart.current = null;
    setPull(0);
  };

  return (
    <section class="expenses" onTouchStart={onTouchStart} onTouchMove={onTouchMove} onTouchEnd={onTouchEnd} onTouchCancel={onTouchEnd}>
      {(pull > 0 || sync.running) && (
        <div class="pull" style={{ height: `${sync.running ? 36 : pull / 2}px` }} aria-hidden="true">
          {sync.running ? "Syncing…" : pull > PULL_TRIGGER_PX ? "Release to sync" : "Pull to sync"}
        </div>
      )}
      <div class="searchbar row">
        <label class="grow">
          <span class="sr-only">Search</span>
          <input type="search" placeholder="Search" value={form.text} onInput={set("text")} aria-label="Search" />
        </label>
        <button type="button" aria-expanded={showFilters} onClick={() => setShowFilters((s) => !s)}>
          Filters{active ? ` (${active})` : ""}
        </button>
      </div>
      {showFilters && (
        <div class="filters card" data-testid="filters">
          <label>
            Category
            <select value={form.category} onChange={set("category")}>
              <option value="">All</option>
              {options.categories.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <label>
            Shop
            <select value={form.shop} onChange={set("shop")}>
              <option value="">All</option>
              {options.shops.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <label>
            Account
            <select value={form.account} onChange={set("account")}>
              <option value="">All</option>
              {options.accounts.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <label>
            Member
            <select value={form.member} onChange={set("member")}>
              <option value="">Everyone</option>
              {memberIds(state, me).map((m) => (
                <option key={m} value={m}>
                  {nameOf(state, m, me)}
                </option>
              ))}
            </select>
          </label>
          <label>
            From
            <input type="date" value={form.from} onInput={set("from")} />
          </label>
          <label>
            To
            <input type="date" value={form.to} onInput={set("to")} />
          </label>
          <button type="button" class="link" onClick={() => setForm((f) => ({ ...EMPTY, text: f.text }))}>
            Clear filters
          </button>
        </div>
      )}
      {list.length === 0 ? (
        <p class="empty muted">{Object.keys(state.expenses).length === 0 ? "No expenses yet. Tap + to add the first one." : "Nothing matches."}</p>
      ) : (
        days.map(([day, items]) => (
          <section key={day} class="day">
            <h2 class="day-head">{dayHeading(day)}</h2>
            <ul class="list">
              {items.map(([id, e]) => (
                <li key={id}>
                  <button type="button" class="expense-row" data-testid="expense-row" onClick={() => setEditing([id, e])}>
                    <span class="main">
                      <span class="title">{e.shop || e.category || "Expense"}</span>
                      <span class="sub muted">
                        {e.payers.map(([m]) => nameOf(state, m, me)).join(", ")} paid{e.shop && e.category ? ` · ${e.category}` : ""}
                      </span>
                    </span>
                    <span class="amount">{formatMoney(e.amount, e.currency)}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
      <button type="button" class="fab" data-testid="add-expense" aria-label="Add expense" onClick={() => setEditing("new")}>
        +
      </button>
      {editing !== null && <ExpenseEditor editing={editing === "new" ? null : editing} onClose={() => setEditing(null)} />}
    </section>
  );
}
