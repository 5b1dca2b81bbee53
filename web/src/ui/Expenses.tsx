// The expense list: grouped by day, newest first; search, filters, pull to refresh, "+".
// An empty group invites the next step: invite people, add the first expense. The editor
// is loaded once the list is up (and at the latest when it is opened), not in the first
// screen's bundle: the first load has a budget (web/e2e/offline.mjs).
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { categoryIcon, categoryLabel } from "../core/categories";
import { t } from "../i18n";
import { expenseTitle, isRefund } from "../core/expense";
import { dayHeading, formatMoney, groupByDay } from "../core/format";
import { matchesQuery } from "../core/search";
import type { EventId, Expense, Filter, GroupApi, MemberId } from "../core/types";
import { groupCurrency, isolate, memberIds, nameOf, useGroup } from "./context";
import { readOnly } from "./Removed";
import { loadEditor, loadExpenseDetail, loadHistory } from "./lazy";
import { SeriesTag } from "./SeriesTag";
import { receiptsOf } from "../receipts/receipts";

const PULL_TRIGGER_PX = 70;

interface FilterForm {
  category: string;
  shop: string;
  account: string;
  paidBy: string;
  sharedBy: string;
  from: string;
  to: string;
  text: string;
}

const EMPTY: FilterForm = { category: "", shop: "", account: "", paidBy: "", sharedBy: "", from: "", to: "", text: "" };

/** The core's filter for what the form holds (only the fields set; people and words are matched here). */
export function toFilter(f: FilterForm): Filter {
  const out: Filter = {};
  if (f.category) out.category = f.category;
  if (f.shop) out.shop = f.shop;
  if (f.account) out.account = f.account;
  // the core's member filter means "paid by or shared by": the cheap first cut
  const member = f.paidBy || f.sharedBy;
  if (member) out.member = member;
  if (f.from) out.from = f.from;
  if (f.to) out.to = f.to;
  return out;
}

/** Who shares an expense, as the core splits it (none when its split cannot be read). */
function sharers(api: GroupApi, e: Expense): MemberId[] {
  try {
    return api.splitParts(e).map(([m]) => m);
  } catch {
    return [];
  }
}

function scrollTop(): number {
  return document.scrollingElement?.scrollTop ?? 0;
}

function CategoryIcon({ category }: { category: string }) {
  return (
    <svg class="cat-icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
      <path d={categoryIcon(category)} fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}

function ExpenseRow({ id, e, onOpen }: { id: EventId; e: Expense; onOpen: () => void }) {
  const { api, state } = useGroup();
  const me = api.me();
  const group = groupCurrency(state);
  const refund = isRefund(e);
  const payers = e.payers.map(([m]) => nameOf(state, m, me));
  const rate = e.currency !== group && e.rate ? Math.round((e.amount * e.rate.numerator) / e.rate.denominator) : null;
  return (
    <button type="button" class="expense-row" data-testid="expense-row" data-refund={refund} data-id={id} data-series={state.instances?.[id]?.series} onClick={onOpen}>
      <CategoryIcon category={e.category} />
      <span class="main">
        <span class="title">
          <bdi>{expenseTitle(e)}</bdi>
        </span>
        <span class="sub muted">
          <SeriesTag state={state} id={id} />
          {receiptsOf(e).length > 0 && (
            <span role="img" aria-label={t("receipts.title")} data-testid="has-receipt">
              📎{" "}
            </span>
          )}
          {refund && <span class="refund-tag">{t("expenses.income")}</span>}
          {payers.map((p, i) => (
            <span key={i}>
              <bdi>{p}</bdi>
              {i < payers.length - 1 ? ", " : ""}
            </span>
          ))}
          {refund ? t("expenses.received") : t("expenses.paid")}
          {e.category && categoryLabel(e.category) !== expenseTitle(e) && (
            <>
              {" · "}
              <bdi>{categoryLabel(e.category)}</bdi>
            </>
          )}
        </span>
      </span>
      <span class="amounts">
        <span class={refund ? "amount pos" : "amount"}>{refund ? `+${formatMoney(-e.amount, e.currency)}` : formatMoney(e.amount, e.currency)}</span>
        {rate !== null && <span class="sub muted">{formatMoney(Math.abs(rate), group)}</span>}
      </span>
    </button>
  );
}

/** `open`: an expense to open in the editor (a tapped notification's); `onOpened` then. */
export function Expenses({ open = null, onOpened }: { open?: EventId | null; onOpened?: () => void } = {}) {
  const { api, state, version, syncNow, showInvite, problem } = useGroup();
  const [activity, setActivity] = useState<typeof import("./History") | null>(null);
  const openActivity = () => loadHistory().then(setActivity, (e: unknown) => problem(e, openActivity));
  const me = api.me();
  const [form, setForm] = useState<FilterForm>(EMPTY);
  const [showFilters, setShowFilters] = useState(false);
  const [editing, setEditing] = useState<[EventId, Expense] | null | "new">(null);
  // a removed member's phone opens an expense read-only (./Removed)
  const [viewing, setViewing] = useState<{ item: [EventId, Expense]; mod: typeof import("./ExpenseDetail") } | null>(null);
  const view = (item: [EventId, Expense]) => loadExpenseDetail().then((mod) => setViewing({ item, mod }), (e: unknown) => problem(e));
  const [pull, setPull] = useState(0);
  const [editor, setEditor] = useState<typeof import("./ExpenseEditor") | null>(null);
  useEffect(() => {
    if (editor) return;
    let live = true;
    // fetched soon after the list shows, so "+" opens at once even offline
    const wanted = editing !== null;
    const timer = setTimeout(
      () =>
        loadEditor().then(
          (m) => live && setEditor(m),
          (e: unknown) => {
            if (live && wanted) {
              problem(e);
              setEditing(null);
            }
          },
        ),
      wanted ? 0 : 500,
    );
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [editing, editor, problem]);
  const pullStart = useRef<number | null>(null);
  useEffect(() => {
    if (!open) return;
    const x = state.expenses[open];
    if (x && readOnly(state)) void view([open, x]);
    else if (x) setEditing([open, x]);
    else void openActivity(); // deleted: the activity shows it, with Restore
    onOpened?.();
  }, [open]);

  const filter = useMemo(() => toFilter(form), [form]);
  const list = useMemo(
    () =>
      api
        .expenses(filter)
        .filter(([, e]) => !form.paidBy || e.payers.some(([m]) => m === form.paidBy))
        .filter(([, e]) => !form.sharedBy || sharers(api, e).includes(form.sharedBy))
        .filter(([, e]) => matchesQuery(e, form.text, state)),
    [api, filter, form.paidBy, form.sharedBy, form.text, state, version],
  );
  const days = useMemo(() => groupByDay(list, ([, e]) => e.date), [list]);
  const active = Object.entries(form).filter(([k, v]) => k !== "text" && v !== "").length;
  const none = Object.keys(state.expenses).length === 0;
  const alone = Object.values(state.members).filter((m) => m.status === "active").length <= 1;
  const locked = readOnly(state);

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

  const select = (label: string, key: keyof FilterForm, all: string, values: [string, string][]) => (
    <label>
      {label}
      <select value={form[key]} onChange={set(key)}>
        <option value="">{all}</option>
        {values.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
  // option text cannot hold <bdi>: members' words are isolated with FSI…PDI instead
  const people = memberIds(state, me).map((m): [string, string] => [m, isolate(nameOf(state, m, me))]);
  const same = (xs: string[]) => xs.map((x): [string, string] => [x, isolate(x)]);

  return (
    <section class="expenses" onTouchStart={onTouchStart} onTouchMove={onTouchMove} onTouchEnd={onTouchEnd} onTouchCancel={onTouchEnd}>
      {pull > 0 && (
        // over the list, not in its flow: pulling never pushes the rows around
        <div class="pull" style={{ height: `${pull / 2}px` }} aria-hidden="true">
          {pull > PULL_TRIGGER_PX ? t("expenses.releaseToSync") : t("expenses.pullToSync")}
        </div>
      )}
      {none ? (
        <div class="empty-start card stack" data-testid="empty-start">
          <h2>{t("expenses.emptyTitle")}</h2>
          <p class="muted">
            {alone ? t("expenses.emptyAlone") : t("expenses.emptyGroup")}
          </p>
          {!locked && (
            <>
              <button type="button" class={alone ? "primary" : ""} onClick={showInvite}>
                {t("common.invitePeople")}
              </button>
              <button type="button" class={alone ? "" : "primary"} onClick={() => setEditing("new")}>
                {t("expenses.addFirst")}
              </button>
            </>
          )}
          {api.activity(null, 1).length > 0 && (
            <button type="button" class="link" onClick={() => void openActivity()} data-testid="open-activity">
              {t("expenses.activityDeleted")}
            </button>
          )}
        </div>
      ) : (
        <>
          <div class="searchbar row">
            <label class="grow">
              <span class="sr-only">{t("expenses.search")}</span>
              <input type="search" placeholder={t("expenses.searchPlaceholder")} value={form.text} onInput={set("text")} aria-label={t("expenses.search")} />
            </label>
            <button type="button" aria-expanded={showFilters} onClick={() => setShowFilters((s) => !s)}>
              {active ? t("expenses.filtersActive", { n: active }) : t("expenses.filters")}
            </button>
            <button type="button" onClick={() => void openActivity()} data-testid="open-activity">
              {t("expenses.activity")}
            </button>
          </div>
          {showFilters && (
            <div class="filters card" data-testid="filters">
              {select(t("expenses.paidBy"), "paidBy", t("common.anyone"), people)}
              {select(t("expenses.sharedBy"), "sharedBy", t("common.anyone"), people)}
              {select(t("expenses.category"), "category", t("common.all"), options.categories.map((c): [string, string] => [c, isolate(categoryLabel(c))]))}
              {select(t("expenses.shop"), "shop", t("common.all"), same(options.shops))}
              {select(t("expenses.account"), "account", t("common.all"), same(options.accounts))}
              <label>
                {t("expenses.from")}
                <input type="date" value={form.from} onInput={set("from")} />
              </label>
              <label>
                {t("expenses.to")}
                <input type="date" value={form.to} onInput={set("to")} />
              </label>
              <button type="button" class="link" onClick={() => setForm((f) => ({ ...EMPTY, text: f.text }))}>
                {t("expenses.clearFilters")}
              </button>
            </div>
          )}
          {list.length === 0 ? (
            <p class="empty muted">{t("expenses.nothingMatches")}</p>
          ) : (
            days.map(([day, items]) => (
              <section key={day} class="day">
                <h2 class="day-head">{dayHeading(day)}</h2>
                <ul class="list">
                  {items.map(([id, e]) => (
                    <li key={id}>
                      <ExpenseRow id={id} e={e} onOpen={() => (locked ? void view([id, e]) : setEditing([id, e]))} />
                    </li>
                  ))}
                </ul>
              </section>
            ))
          )}
        </>
      )}
      {!locked && (
        <button type="button" class="fab" data-testid="add-expense" aria-label={t("expenses.add")} onClick={() => setEditing("new")}>
          +
        </button>
      )}
      {activity && <activity.Activity onClose={() => setActivity(null)} />}
      {viewing && <viewing.mod.ExpenseDetail id={viewing.item[0]} e={viewing.item[1]} onClose={() => setViewing(null)} />}
      {editing !== null && editor && <editor.ExpenseEditor editing={editing === "new" ? null : editing} onClose={() => setEditing(null)} />}
    </section>
  );
}
