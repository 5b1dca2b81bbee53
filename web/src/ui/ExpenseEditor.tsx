// Adding or editing an expense: amount and currency (with a rate when it is not the
// group's), category, shop, account, who paid, how it is split, date and note.
import { useMemo, useState } from "preact/hooks";
import { problemText } from "../core/errors";
import { CURRENCIES, formatMoney, formatPlain, formatRate, isoDate, parseMoney, parseRate } from "../core/format";
import { buildSplit, formatBasisPoints, formFromSplit, initialForm, remainder, type SplitForm, type SplitMode } from "../core/split";
import type { EventId, Expense, MemberId } from "../core/types";
import { groupCurrency, memberIds, nameOf, useGroup } from "./context";
import { Sheet } from "./Sheet";

const MODES: { mode: SplitMode; label: string }[] = [
  { mode: "equal", label: "Equal" },
  { mode: "shares", label: "Shares" },
  { mode: "exact", label: "Exact" },
  { mode: "percent", label: "Percent" },
];

interface Props {
  /** the expense being edited, or null for a new one */
  editing: [EventId, Expense] | null;
  onClose: () => void;
}

export function ExpenseEditor({ editing, onClose }: Props) {
  const { api, state, mutate, toast, confirm } = useGroup();
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

  const [amountText, setAmountText] = useState(original ? formatPlain(original.amount, original.currency) : "");
  const [currency, setCurrency] = useState(original?.currency ?? group);
  const [rateText, setRateText] = useState(original?.rate ? formatRate(original.rate, original.currency, group) : "");
  const [category, setCategory] = useState(original?.category ?? "");
  const [shop, setShop] = useState(original?.shop ?? "");
  const [account, setAccount] = useState(original?.account ?? "");
  const [payer, setPayer] = useState<MemberId>(original?.payers[0]?.[0] ?? me);
  const [payerTouched, setPayerTouched] = useState(false);
  const [form, setForm] = useState<SplitForm>(() => (original ? formFromSplit(original.split, members, original.currency, formatPlain) : initialForm(members)));
  const [date, setDate] = useState(original?.date ?? isoDate());
  const [note, setNote] = useState(original?.note ?? "");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const amount = parseMoney(amountText, currency);
  const amountMinor = amount.ok ? amount.value : 0;
  const left = remainder(form, members, amountMinor, currency);

  const categories = useMemo(() => {
    const all = new Set(state.settings?.categories ?? []);
    for (const e of Object.values(state.expenses)) if (e.category) all.add(e.category);
    return [...all].sort();
  }, [state]);
  const shops = useMemo(() => [...new Set(Object.values(state.expenses).map((e) => e.shop).filter(Boolean))].sort(), [state]);
  const accounts = useMemo(() => {
    const all = new Set(state.settings?.accounts ?? []);
    for (const e of Object.values(state.expenses)) if (e.account) all.add(e.account);
    return [...all].sort();
  }, [state]);

  /** The expense the form describes, or why it cannot be saved yet. */
  const build = (): { ok: true; expense: Expense } | { ok: false; error: string } => {
    if (!amount.ok) return { ok: false, error: `Amount: ${amount.error}` };
    if (amount.value === 0) return { ok: false, error: "Amount: enter an amount other than 0" };
    let rate: Expense["rate"];
    if (currency !== group) {
      const r = parseRate(rateText, currency, group);
      if (!r.ok) return { ok: false, error: `Rate: ${r.error}` };
      rate = { numerator: r.numerator, denominator: r.denominator };
    }
    const split = buildSplit(form, members, amount.value, currency);
    if (!split.ok) return { ok: false, error: `Split: ${split.error}` };
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return { ok: false, error: "Date: pick a day" };
    const keepPayers = original && !payerTouched && original.amount === amount.value && original.payers.length > 1;
    const payers: Expense["payers"] = keepPayers && original ? original.payers : [[payer, amount.value]];
    const expense: Expense = { amount: amount.value, currency, category: category.trim(), shop: shop.trim(), account: account.trim(), payers, split: split.split, date, note: note.trim() };
    if (rate) expense.rate = rate;
    return { ok: true, expense };
  };

  // live parts preview (equal / shares), as the ledger will compute them
  const parts = useMemo(() => {
    if (!amount.ok || amount.value === 0 || (form.mode !== "equal" && form.mode !== "shares")) return null;
    const split = buildSplit(form, members, amount.value, currency);
    if (!split.ok) return null;
    try {
      return new Map(api.splitParts({ amount: amount.value, currency, category: "", shop: "", account: "", payers: [[payer, amount.value]], split: split.split, date, note: "" }));
    } catch {
      return null;
    }
  }, [amount.ok, amountMinor, form, members, currency, payer, date, api]);

  const save = async (e: Event) => {
    e.preventDefault();
    const built = build();
    if (!built.ok) return setError(built.error);
    setError(null);
    setBusy(true);
    try {
      if (editing) await mutate((a, now) => a.editExpense(editing[0], built.expense, now));
      else await mutate((a, now) => a.addExpense(built.expense, now));
      toast(editing ? "Expense saved" : "Expense added");
      onClose();
    } catch (err) {
      setError(problemText(err));
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!editing) return;
    if (!(await confirm("Delete this expense for everyone in the group?", "Delete"))) return;
    try {
      await mutate((a, now) => a.deleteExpense(editing[0], now));
      toast("Expense deleted");
      onClose();
    } catch (err) {
      setError(problemText(err));
    }
  };

  const setField = (field: "shares" | "exact" | "percent", m: MemberId, v: string) => setForm((f) => ({ ...f, [field]: { ...f[field], [m]: v } }));

  return (
    <Sheet title={editing ? "Edit expense" : "New expense"} onClose={onClose} testid="expense-editor">
      <form class="stack" onSubmit={save} noValidate>
        <div class="row">
          <label class="grow">
            Amount
            <input inputMode="decimal" value={amountText} onInput={(e) => setAmountText(e.currentTarget.value)} placeholder="0.00" autoComplete="off" aria-invalid={amountText !== "" && !amount.ok} />
          </label>
          <label>
            Currency
            <select value={currency} onChange={(e) => setCurrency(e.currentTarget.value)}>
              {[...new Set([group, currency, ...CURRENCIES])].map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        </div>
        {amountText !== "" && !amount.ok && <p class="field-error">{amount.error}</p>}
        {currency !== group && (
          <label>
            1 {currency} = ? {group}
            <input inputMode="decimal" value={rateText} onInput={(e) => setRateText(e.currentTarget.value)} placeholder="0.92" autoComplete="off" />
          </label>
        )}
        <label>
          Category
          <input list="categories" value={category} onInput={(e) => setCategory(e.currentTarget.value)} autoComplete="off" />
        </label>
        <datalist id="categories">
          {categories.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        <label>
          Shop
          <input list="shops" value={shop} onInput={(e) => setShop(e.currentTarget.value)} autoComplete="off" />
        </label>
        <datalist id="shops">
          {shops.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        <label>
          Account
          <input list="accounts" value={account} onInput={(e) => setAccount(e.currentTarget.value)} autoComplete="off" />
        </label>
        <datalist id="accounts">
          {accounts.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        <label>
          Paid by
          <select
            value={payer}
            onChange={(e) => {
              setPayer(e.currentTarget.value);
              setPayerTouched(true);
            }}
          >
            {members.map((m) => (
              <option key={m} value={m}>
                {nameOf(state, m, me)}
              </option>
            ))}
          </select>
        </label>
        <fieldset class="split">
          <legend>Split</legend>
          <div class="segmented" role="radiogroup" aria-label="Split mode">
            {MODES.map(({ mode, label }) => (
              <button key={mode} type="button" role="radio" aria-checked={form.mode === mode} onClick={() => setForm((f) => ({ ...f, mode }))}>
                {label}
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
                      <input type="checkbox" checked={form.selected[m] === true} onChange={(e) => {
                        const on = e.currentTarget.checked;
                        setForm((f) => ({ ...f, selected: { ...f.selected, [m]: on } }));
                      }} />
                      {name}
                    </label>
                  )}
                  {form.mode === "shares" && (
                    <label class="inline">
                      Shares for {name}
                      <input type="number" min="0" step="1" inputMode="numeric" value={form.shares[m] ?? ""} onInput={(e) => setField("shares", m, e.currentTarget.value)} />
                    </label>
                  )}
                  {form.mode === "exact" && (
                    <label class="inline">
                      Amount for {name}
                      <input inputMode="decimal" value={form.exact[m] ?? ""} onInput={(e) => setField("exact", m, e.currentTarget.value)} placeholder="0" />
                    </label>
                  )}
                  {form.mode === "percent" && (
                    <label class="inline">
                      Percent for {name}
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
                  ? `Remaining: ${formatMoney(left, currency)}`
                  : `Over by ${formatMoney(-left, currency)}`
                : left >= 0
                  ? `Remaining: ${formatBasisPoints(left)} %`
                  : `Over by ${formatBasisPoints(-left)} %`}
            </p>
          )}
        </fieldset>
        <label>
          Date
          <input type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} />
        </label>
        <label>
          Note
          <textarea rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        </label>
        {error && (
          <p class="error" role="alert" data-testid="editor-error">
            {error}
          </p>
        )}
        <div class="row end">
          {editing && (
            <button type="button" class="danger" onClick={remove}>
              Delete
            </button>
          )}
          <button type="submit" class="primary" disabled={busy} data-testid="save-expense">
            {editing ? "Save" : "Add expense"}
          </button>
        </div>
      </form>
    </Sheet>
  );
}
