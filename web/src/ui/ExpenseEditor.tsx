// Adding or editing an expense. It starts with what people say first: what it was, how
// much, who paid, split between whom. Then optional details, each explained: the category
// (the common ones with icons, the group's own first), and under "More details" the shop,
// the account it was paid with and a note. A negative amount is a refund: money coming
// back. A very large amount is confirmed before it is saved.
// Income (a refund, a deposit back) is a kind next to "Expense": shared the same way, with
// the opposite sign. Several people can have paid, each their part (./PaidBy). When the
// amount changes under exact parts or several payers, the editor offers to scale them.
// A new expense can repeat (./RepeatControl); an instance of a series is changed for
// itself or for it and the later ones, skipped, or its series stopped after it.
import { useMemo, useRef, useState } from "preact/hooks";
import { canonicalCategory, categoryChoices, categoryIcon, categoryLabel } from "../core/categories";
import { t, type Key } from "../i18n";
import { problemText } from "../core/errors";
import { veryLarge } from "../core/expense";
import { CURRENCIES, formatInput, fromIso, formatMoney, formatRate, localDecimal, sampleDecimal, isoDate, parseMoney, parseRate } from "../core/format";
import { buildBill, emptyItems, isItemized, itemsFormOf, type ItemsForm } from "../core/items";
import { buildSchedule, dayText, NO_REPEAT, type RepeatForm } from "../core/repeat";
import { buildPayers, payersForm, payersLeft, typedParts, type PayersForm } from "../core/payers";
import { buildSplit, formatBasisPoints, formFromSplit, initialForm, remainder, type SplitForm, type SplitMode } from "../core/split";
import type { Attached, EventId, Expense, MemberId, Split } from "../core/types";
import { groupCurrency, memberIds, nameOf, useGroup } from "./context";
import { moneyOf, notifyChange } from "../push/send";
import { ItemsEditor } from "./ItemsEditor";
import { useHistory } from "./lazy";
import { PaidBy } from "./PaidBy";
import { keepAttached, keepBeforeAttach, Receipts } from "./Receipts";
import type { Prepared } from "../receipts/prepare";
import { RepeatControl, SeriesScope, type Scope } from "./RepeatControl";
import { Sheet } from "./Sheet";
import { tb } from "../i18n/jsx";
import { step } from "../core/trace";

const MODES: { mode: SplitMode; label: Key }[] = [
  { mode: "equal", label: "editor.equal" },
  { mode: "shares", label: "editor.shares" },
  { mode: "exact", label: "editor.exact" },
  { mode: "percent", label: "editor.percent" },
];

/** How many category chips to offer before "type another". */
const CHIPS = 8;

interface Props {
  /** the expense being edited, or null for a new one */
  editing: [EventId, Expense] | null;
  onClose: () => void;
}

/** A refund's exact parts are negative, as its amount is; the form shows them positive. */
function signed(split: Split, refund: boolean): Split {
  if (!refund || split.kind !== "exact") return split;
  return { kind: "exact", amounts: split.amounts.map(([m, a]) => [m, -a]) };
}

/** Whether the "Repeats" form says it repeats. */
const repeats = (r: RepeatForm) => r.unit !== "";

/** A save that takes longer than this shows its button busy. */
const BUSY_AFTER_MS = 150;

export function ExpenseEditor({ editing, onClose }: Props) {
  step("draw: editor");
  const { api, state, mutate, toast, confirm, problem, blobs } = useGroup();
  const [historyOpen, setHistoryOpen] = useState(false);
  const history = useHistory(historyOpen);
  const me = api.me();
  const group = groupCurrency(state);
  const original = editing?.[1];
  const members = useMemo(() => {
    const ids = memberIds(state, me, true);
    if (original) {
      for (const [m] of original.payers) if (!ids.includes(m)) ids.push(m);
      try {
        for (const [m] of api.splitParts(original)) if (!ids.includes(m)) ids.push(m);
      } catch {
        /* an invalid split (from another version): edit among the current members */
      }
    }
    return ids;
  }, [state, me, original, api]);

  const [title, setTitle] = useState(original?.title ?? "");
  const [amountText, setAmountText] = useState(original ? formatInput(Math.abs(original.amount), original.currency) : "");
  const [refundChosen, setRefundChosen] = useState(original ? original.amount < 0 : false);
  const [currency, setCurrency] = useState(original?.currency ?? group);
  const [rateText, setRateText] = useState(original?.rate ? localDecimal(formatRate(original.rate, original.currency, group)) : "");
  const [category, setCategory] = useState(original?.category ?? "");
  const [shop, setShop] = useState(original?.shop ?? "");
  const [account, setAccount] = useState(original?.account ?? "");
  const [paid, setPaid] = useState<PayersForm>(() => payersForm(original?.payers, me, (a) => formatInput(a, original?.currency ?? group)));
  const payer = paid.one;
  const [form, setForm] = useState<SplitForm>(() =>
    original ? formFromSplit(original.split, members, original.currency, (a, c) => formatInput(Math.abs(a), c)) : initialForm(members),
  );
  const [date, setDate] = useState(original?.date ?? isoDate());
  // an instance of a recurring series: its series and day
  const inst = editing ? state.instances?.[editing[0]] : undefined;
  const [repeat, setRepeat] = useState<RepeatForm>(NO_REPEAT);
  const [scope, setScope] = useState<Scope>("one");
  const [note, setNote] = useState(original?.note ?? "");
  // receipts chosen for an expense not saved yet: attached with it
  const [newReceipts, setNewReceipts] = useState<Prepared[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // a save under way: a second tap is ignored at once, but the button shows it only if the
  // save takes a while — a redraw of the form before the write would delay its upload
  const saving = useRef(false);

  const [itemized, setItemized] = useState(() => isItemized(original));
  const [itemsForm, setItemsForm] = useState<ItemsForm>(() =>
    original?.items && isItemized(original) ? itemsFormOf(original.items, (a) => formatInput(a, original.currency)) : emptyItems(members),
  );
  const bill = useMemo(() => buildBill(itemsForm, currency), [itemsForm, currency]);
  const billTotal = useMemo(() => {
    if (!itemized || !bill.ok) return { ok: false as const, error: bill.ok ? "" : bill.error };
    try {
      return { ok: true as const, total: api.itemizedTotal(bill.bill) };
    } catch (e) {
      return { ok: false as const, error: problemText(e) };
    }
  }, [itemized, bill, api]);
  const typed = parseMoney(amountText, currency);
  // an itemized bill's amount is what its items come to
  const amount: typeof typed = itemized ? { ok: true, value: billTotal.ok ? billTotal.total.total : 0 } : typed;
  // A minus typed in the amount means a refund too; the form then works with the size.
  const typedNegative = typed.ok && typed.value < 0;
  const refund = refundChosen || (!itemized && typedNegative);
  const size = amount.ok ? Math.abs(amount.value) : 0;
  const signedAmount = refund ? -size : size;
  const left = remainder(form, members, size, currency);
  const payersLeftOver = payersLeft(paid, members, size, currency);

  /** Scales typed parts (any sum) to the amount, as the ledger's rescale does; null if none. */
  const scaled = (typed: [MemberId, number][]): [MemberId, number][] | null => {
    const sum = typed.reduce((s, [, a]) => s + a, 0);
    if (sum === 0 || size === 0) return null;
    try {
      return api.rescale({ amount: sum, currency, category: "", shop: "", account: "", payers: typed, split: { kind: "equal", members: [me] }, date, note: "" }, size).payers;
    } catch {
      return null;
    }
  };
  const asTexts = (parts: [MemberId, number][]) => Object.fromEntries(parts.map(([m, a]) => [m, formatInput(a, currency)]));
  const scaleSplit = () => {
    const out = scaled(typedParts(form.exact, members, currency));
    if (out) setForm((f) => ({ ...f, exact: asTexts(out) }));
  };
  const scalePayers = () => {
    const out = scaled(typedParts(paid.amounts, members, currency));
    if (out) setPaid((p) => ({ ...p, amounts: asTexts(out) }));
  };

  const categories = useMemo(() => categoryChoices(state), [state]);
  const chips = useMemo(() => {
    const first = categories.slice(0, CHIPS);
    return category && !first.includes(category) && categories.includes(category) ? [...first, category] : first;
  }, [categories, category]);
  const shops = useMemo(() => [...new Set(Object.values(state.expenses).map((e) => e.shop).filter(Boolean))].sort(), [state]);
  const accounts = useMemo(() => {
    const all = new Set(state.settings?.accounts ?? []);
    for (const e of Object.values(state.expenses)) if (e.account) all.add(e.account);
    return [...all].sort();
  }, [state]);

  /** The expense the form describes, or why it cannot be saved yet. */
  const build = (): { ok: true; expense: Expense } | { ok: false; error: string } => {
    if (itemized && !billTotal.ok) return { ok: false, error: t("editor.itemsError", { error: billTotal.error }) };
    if (!amount.ok) return { ok: false, error: t("editor.amountError", { error: amount.error }) };
    if (size === 0) return { ok: false, error: t("editor.amountZero") };
    let rate: Expense["rate"];
    if (currency !== group) {
      const r = parseRate(rateText, currency, group);
      if (!r.ok) return { ok: false, error: t("editor.rateError", { error: r.error }) };
      rate = { numerator: r.numerator, denominator: r.denominator };
    }
    const split: ReturnType<typeof buildSplit> =
      itemized && billTotal.ok ? { ok: true, split: { kind: "exact", amounts: billTotal.total.parts } } : buildSplit(form, members, size, currency);
    if (!split.ok) return { ok: false, error: t("editor.splitError", { error: split.error }) };
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return { ok: false, error: t("editor.dateError") };
    const built = buildPayers(paid, members, size, currency);
    if (!built.ok) return { ok: false, error: t(refund ? "editor.whoGotError" : "editor.paidByError", { error: built.error }) };
    const payers: Expense["payers"] = built.payers.map(([m, a]) => [m, refund ? -a : a]);
    const expense: Expense = {
      amount: signedAmount,
      currency,
      category: category.trim(),
      shop: shop.trim(),
      account: account.trim(),
      payers,
      split: signed(split.split, refund),
      date,
      note: note.trim(),
    };
    if (title.trim()) expense.title = title.trim();
    if (rate) expense.rate = rate;
    if (refund) expense.kind = "income";
    if (itemized && bill.ok) expense.items = bill.bill;
    return { ok: true, expense };
  };

  // live parts preview (equal / shares), as the ledger will compute them
  const parts = useMemo(() => {
    if (size === 0 || (form.mode !== "equal" && form.mode !== "shares")) return null;
    const split = buildSplit(form, members, size, currency);
    if (!split.ok) return null;
    try {
      return new Map(api.splitParts({ amount: size, currency, category: "", shop: "", account: "", payers: [[payer, size]], split: split.split, date, note: "" }));
    } catch {
      return null;
    }
  }, [size, form, members, currency, payer, date, api]);

  const save = async (e: Event) => {
    e.preventDefault();
    step("editor: save");
    const built = build();
    if (!built.ok) return setError(built.error);
    const repeating = editing ? null : buildSchedule(repeat, built.expense.date);
    if (repeating && !repeating.ok) return setError(repeating.error);
    const schedule = repeating?.ok ? repeating.schedule : null;
    setError(null);
    const others = Object.entries(state.expenses)
      .filter(([id]) => id !== editing?.[0])
      .map(([, x]) => x);
    if ((!original || original.amount !== signedAmount || original.currency !== currency) && veryLarge(signedAmount, currency, others)) {
      const ok = await confirm(t("editor.veryLarge", { amount: formatMoney(size, currency) }), t("editor.yesSave"));
      if (!ok) return;
    }
    if (saving.current) return;
    saving.current = true;
    const slow = setTimeout(() => setBusy(true), BUSY_AFTER_MS);
    let attached: Attached[] = [];
    try {
      for (const p of newReceipts) await keepBeforeAttach(blobs, p);
      const id = editing ? editing[0] : null;
      if (inst || schedule) {
        const { series, date: day } = inst ?? { series: "", date: "" };
        // "This and later" on a month that had a value of its own: that month follows too
        const own = state.recurring?.[series]?.overrides?.[day] !== undefined;
        await mutate((a, now) => {
          if (schedule) return void a.addRecurring({ template: built.expense, schedule }, now);
          if (scope === "one" || own) a.setRecurringInstance(series, day, built.expense, now);
          if (scope === "later") a.editRecurring(series, day, built.expense, now);
        });
        toast(schedule ? t("repeat.added") : scope === "one" ? t("repeat.savedOne") : t("repeat.savedLater"));
        onClose();
        return;
      }
      const record = id
        ? (await mutate((a, now) => a.editExpense(id, built.expense, now)), id)
        : await mutate((a, now) => {
            const added = a.addExpense(built.expense, now);
            attached = newReceipts.map((p) => a.attachReceipt(added, p.bytes, p.mime, p.name, p.thumb, now));
            return added;
          });
      for (const [i, at] of attached.entries()) {
        const p = newReceipts[i];
        if (p) await keepAttached(blobs, p, at);
      }
      void notifyChange(api, {
        kind: editing ? "edited" : "added",
        author: nameOf(state, api.me()),
        title: built.expense.title || built.expense.category,
        amount: formatMoney(built.expense.amount, built.expense.currency),
        money: moneyOf(built.expense.amount, built.expense.currency),
        record,
      });
      toast(t(editing ? (refund ? "editor.incomeSaved" : "editor.expenseSaved") : refund ? "editor.incomeAdded" : "editor.expenseAdded"));
      onClose();
    } catch (err) {
      setError(problemText(err));
      setBusy(false);
    } finally {
      clearTimeout(slow);
      saving.current = false;
    }
  };

  /** An instance: skipped for everyone (the others stay). */
  const skip = async (series: EventId, day: string) => {
    if (!(await confirm(t("repeat.skipConfirm", { day: dayText(day) }), t("repeat.skipIt")))) return;
    try {
      await mutate((a, now) => a.setRecurringInstance(series, day, null, now));
      toast(t("repeat.skipped"));
      onClose();
    } catch (err) {
      setError(problemText(err));
    }
  };

  /** No more instances after this one, for everyone; the ones before stay. */
  const stop = async () => {
    if (!inst) return;
    const next = fromIso(inst.date);
    next.setDate(next.getDate() + 1);
    if (!(await confirm(t("repeat.stopConfirm", { day: dayText(inst.date) }), t("repeat.stopSeries")))) return;
    try {
      await mutate((a, now) => a.stopRecurring(inst.series, isoDate(next), now));
      toast(t("repeat.stopped"));
      onClose();
    } catch (err) {
      setError(problemText(err));
    }
  };

  const remove = async () => {
    if (!editing) return;
    if (inst) return skip(inst.series, inst.date);
    if (!(await confirm(t("editor.deleteConfirm"), t("common.delete")))) return;
    try {
      const id = editing[0];
      await mutate((a, now) => a.deleteExpense(id, now));
      toast(t("editor.deleted"), {
        label: t("common.undo"),
        run: async () => {
          try {
            await mutate((a, now) => a.restoreExpense(id, null, now));
          } catch (err) {
            problem(err);
          }
        },
      });
      onClose();
    } catch (err) {
      setError(problemText(err));
    }
  };

  const toggleRefund = (on: boolean) => {
    if (!on && typedNegative) setAmountText(amountText.trim().replace(/^[-−]/, ""));
    setRefundChosen(on);
    if (on) setItemized(false);
  };

  const setField = (field: "shares" | "exact" | "percent", m: MemberId, v: string) => setForm((f) => ({ ...f, [field]: { ...f[field], [m]: v } }));
  const payerName = paid.several ? t("editor.they") : nameOf(state, payer, me);

  return (
    <Sheet title={t(editing ? (refund ? "editor.editIncome" : "editor.editExpense") : refund ? "editor.newIncome" : "editor.newExpense")} onClose={onClose} testid="expense-editor">
      <form class="stack" onSubmit={save} noValidate>
        <label>
          {t("editor.what")}
          <input value={title} onInput={(e) => setTitle(e.currentTarget.value)} placeholder={t("editor.whatPlaceholder")} autoComplete="off" data-testid="expense-title" />
        </label>
        <div class="row">
          <label class="grow">
            {t("editor.amount")}
            {itemized ? (
              <input value={billTotal.ok ? formatInput(billTotal.total.total, currency) : ""} readOnly placeholder={t("editor.fromItems")} data-testid="items-amount" />
            ) : (
              <input inputMode="decimal" value={amountText} onInput={(e) => setAmountText(e.currentTarget.value)} placeholder={sampleDecimal()} autoComplete="off" aria-invalid={amountText !== "" && !amount.ok} />
            )}
          </label>
          <label>
            {t("editor.currency")}
            <select value={currency} onChange={(e) => setCurrency(e.currentTarget.value)}>
              {[...new Set([group, currency, ...CURRENCIES])].map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        </div>
        {!itemized && amountText !== "" && !typed.ok && <p class="field-error">{typed.error}</p>}
        <div class="segmented" role="radiogroup" aria-label={t("editor.kind")}>
          <button type="button" role="radio" aria-checked={!refund} onClick={() => toggleRefund(false)} data-testid="kind-expense">
            {t("editor.expense")}
          </button>
          <button type="button" role="radio" aria-checked={refund} onClick={() => toggleRefund(true)} data-testid="kind-income">
            {t("editor.income")}
          </button>
        </div>
        {refund && size > 0 && (
          <p class="notice-line pos" role="status" data-testid="refund-note">
            {tb("editor.refundNote", { name: payerName, amount: formatMoney(size, currency) })}
          </p>
        )}
        {currency !== group && (
          <label>
            1 {currency} = ? {group}
            <input inputMode="decimal" value={rateText} onInput={(e) => setRateText(e.currentTarget.value)} placeholder={sampleDecimal(0.92)} autoComplete="off" />
          </label>
        )}
        <PaidBy
          form={paid}
          onForm={setPaid}
          members={members}
          state={state}
          me={me}
          income={refund}
          currency={currency}
          left={payersLeftOver}
          onScale={typedParts(paid.amounts, members, currency).length > 0 ? scalePayers : null}
        />
        {!refund && (
          <label class="check">
            <input type="checkbox" checked={itemized} onChange={(e) => setItemized(e.currentTarget.checked)} data-testid="itemized" />
            {t("editor.itemized")}
          </label>
        )}
        {itemized && !refund ? (
          <ItemsEditor form={itemsForm} onForm={setItemsForm} members={members} state={state} me={me} currency={currency} total={billTotal.ok ? billTotal.total : null} />
        ) : (
        <fieldset class="split">
          <legend>{t("editor.splitBetween")}</legend>
          <div class="segmented" role="radiogroup" aria-label={t("editor.splitMode")}>
            {MODES.map(({ mode, label }) => (
              <button key={mode} type="button" role="radio" aria-checked={form.mode === mode} onClick={() => setForm((f) => ({ ...f, mode }))}>
                {t(label)}
              </button>
            ))}
          </div>
          <ul class="split-members">
            {members.map((m) => {
              const name = nameOf(state, m, me);
              const part = parts?.get(m);
              return (
                <li key={m}>
                  {form.mode === "equal" && (
                    <label class="check">
                      <input
                        type="checkbox"
                        checked={form.selected[m] === true}
                        onChange={(e) => {
                          const on = e.currentTarget.checked;
                          setForm((f) => ({ ...f, selected: { ...f.selected, [m]: on } }));
                        }}
                      />
                      <bdi>{name}</bdi>
                    </label>
                  )}
                  {form.mode === "shares" && (
                    <label class="inline">
                      <span>
                        {t("editor.sharesFor")} <bdi>{name}</bdi>
                      </span>
                      <input type="number" min="0" step="1" inputMode="numeric" value={form.shares[m] ?? ""} onInput={(e) => setField("shares", m, e.currentTarget.value)} />
                    </label>
                  )}
                  {form.mode === "exact" && (
                    <label class="inline">
                      <span>
                        {t("editor.amountFor")} <bdi>{name}</bdi>
                      </span>
                      <input inputMode="decimal" value={form.exact[m] ?? ""} onInput={(e) => setField("exact", m, e.currentTarget.value)} placeholder="0" />
                    </label>
                  )}
                  {form.mode === "percent" && (
                    <label class="inline">
                      <span>
                        {t("editor.percentFor")} <bdi>{name}</bdi>
                      </span>
                      <input inputMode="decimal" value={form.percent[m] ?? ""} onInput={(e) => setField("percent", m, e.currentTarget.value)} placeholder="0" />
                    </label>
                  )}
                  {part !== undefined && <span class="part muted">{formatMoney(part, currency)}</span>}
                </li>
              );
            })}
          </ul>
          {left !== null && (
            <p class={left === 0 ? "remaining ok" : "remaining bad"} data-testid="split-remaining" aria-live="polite">
              {form.mode === "exact"
                ? left >= 0
                  ? t("editor.remaining", { amount: formatMoney(left, currency) })
                  : t("editor.over", { amount: formatMoney(-left, currency) })
                : left >= 0
                  ? t("editor.remaining", { amount: `${formatBasisPoints(left)} %` })
                  : t("editor.over", { amount: `${formatBasisPoints(-left)} %` })}
            </p>
          )}
          {form.mode === "exact" && left !== null && left !== 0 && typedParts(form.exact, members, currency).length > 0 && (
            <button type="button" class="link" onClick={scaleSplit} data-testid="scale-split">
              {t("editor.scaleSplit")}
            </button>
          )}
        </fieldset>
        )}
        <label>
          {editing ? t("editor.date") : repeat.unit ? t("repeat.firstOn") : t("editor.date")}
          <input type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} disabled={inst !== undefined} />
        </label>
        {!editing && <RepeatControl form={repeat} onForm={setRepeat} />}
        {inst && <SeriesScope schedule={state.recurring?.[inst.series]?.schedule} date={inst.date} scope={scope} onScope={setScope} />}
        {!inst && !(repeats(repeat) && !editing) && <Receipts expense={editing ? editing[0] : null} pending={newReceipts} onPending={setNewReceipts} />}
        <fieldset class="categories">
          <legend>{t("editor.categoryOptional")}</legend>
          <div class="chips" role="radiogroup" aria-label={t("editor.commonCategories")}>
            {chips.map((c) => (
              <button key={c} type="button" role="radio" class="chip" aria-checked={category === c} onClick={() => setCategory(category === c ? "" : c)}>
                <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                  <path d={categoryIcon(c)} fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
                </svg>
                <bdi>{categoryLabel(c)}</bdi>
              </button>
            ))}
          </div>
          <label>
            {t("editor.category")}
            <input list="categories" value={categoryLabel(category)} onInput={(e) => setCategory(canonicalCategory(e.currentTarget.value))} autoComplete="off" placeholder={t("editor.categoryPlaceholder")} />
          </label>
          <datalist id="categories">
            {categories.map((c) => (
              <option key={c} value={categoryLabel(c)} />
            ))}
          </datalist>
        </fieldset>
        <details class="more" open={Boolean(original && (original.shop || original.account || original.note))}>
          <summary>{t("editor.more")}</summary>
          <div class="stack">
            <label>
              {t("editor.shop")}
              <input list="shops" value={shop} onInput={(e) => setShop(e.currentTarget.value)} autoComplete="off" aria-describedby="shop-hint" />
            </label>
            <p id="shop-hint" class="hint muted">
              {t("editor.shopHint")}
            </p>
            <datalist id="shops">
              {shops.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
            <label>
              {t("editor.account")}
              <input list="accounts" value={account} onInput={(e) => setAccount(e.currentTarget.value)} autoComplete="off" placeholder={t("editor.accountPlaceholder")} aria-describedby="account-hint" />
            </label>
            <p id="account-hint" class="hint muted">
              {t("editor.accountHint")}
            </p>
            <datalist id="accounts">
              {accounts.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
            <label>
              {t("editor.note")}
              <textarea rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
            </label>
          </div>
        </details>
        {editing && (
          <details class="more" onToggle={(e) => setHistoryOpen(e.currentTarget.open)} data-testid="history-toggle">
            <summary>{t("editor.history")}</summary>
            {history ? <history.ExpenseHistory id={editing[0]} onRestored={onClose} /> : historyOpen && <p aria-busy="true">{t("common.loading")}</p>}
          </details>
        )}
        {error && (
          <p class="error" role="alert" data-testid="editor-error">
            {error}
          </p>
        )}
        <div class="row end">
          {inst && (
            <button type="button" class="danger" onClick={stop} data-testid="stop-series">
              {t("repeat.stopSeries")}
            </button>
          )}
          {editing && (
            <button type="button" class="danger" onClick={remove} data-testid={inst ? "skip-instance" : undefined}>
              {inst ? t("repeat.skipThis") : t("common.delete")}
            </button>
          )}
          <button type="submit" class="primary" disabled={busy} data-testid="save-expense">
            {editing ? t("common.save") : repeats(repeat) ? t("repeat.addRecurring") : refund ? t("editor.addIncome") : t("editor.addExpense")}
          </button>
        </div>
      </form>
    </Sheet>
  );
}
