// A payment of any amount between two members ("Bob paid Alice €10 cash"), not only the
// settle-up plan's exact amount: from Balances, blank or started from a suggestion.
import { useState } from "preact/hooks";
import { problemText } from "../core/errors";
import { formatInput, formatMoney, isoDate, parseMoney, sampleDecimal } from "../core/format";
import type { MemberId, Transfer } from "../core/types";
import { moneyOf, notifyChange } from "../push/send";
import { groupCurrency, isolate, memberIds, nameOf, useGroup } from "./context";
import { Sheet } from "./Sheet";
import { t } from "../i18n";

/** Why a payment cannot be recorded as typed, or null. */
export function paymentProblem(from: MemberId, to: MemberId, amount: ReturnType<typeof parseMoney>): string | null {
  if (from === to) return t("payment.samePerson");
  if (!amount.ok) return t("editor.amountError", { error: amount.error });
  if (amount.value <= 0) return t("payment.positive");
  return null;
}

export function PaymentForm({ start, onClose }: { start: Transfer | null; onClose: () => void }) {
  const { api, state, mutate, toast, problem } = useGroup();
  const me = api.me();
  const currency = groupCurrency(state);
  const people = memberIds(state, me, true);
  const [from, setFrom] = useState<MemberId>(start?.from ?? me);
  const [to, setTo] = useState<MemberId>(start?.to ?? people.find((m) => m !== me) ?? me);
  const [amountText, setAmountText] = useState(start ? formatInput(start.amount, currency) : "");
  const [date, setDate] = useState(isoDate());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (e: Event) => {
    e.preventDefault();
    const amount = parseMoney(amountText, currency);
    const why = paymentProblem(from, to, amount);
    if (why || !amount.ok) return setError(why);
    setBusy(true);
    try {
      const id = await mutate((a, now) => a.recordSettlement({ from, to, amount: amount.value, currency, date }, now));
      const text = formatMoney(amount.value, currency);
      void notifyChange(api, { kind: "settled", author: nameOf(state, from), to: nameOf(state, to), amount: text, money: moneyOf(amount.value, currency), record: id });
      toast(t("balances.recorded", { from: isolate(nameOf(state, from)), to: isolate(nameOf(state, to)), amount: text }), {
        label: t("common.undo"),
        run: async () => {
          try {
            await mutate((a, now) => a.deleteSettlement(id, now));
          } catch (err) {
            problem(err);
          }
        },
      });
      onClose();
    } catch (err) {
      setError(problemText(err));
      setBusy(false);
    }
  };

  const person = (label: string, value: MemberId, set: (m: MemberId) => void) => (
    <label>
      {label}
      <select value={value} onChange={(e) => set(e.currentTarget.value)}>
        {people.map((m) => (
          <option key={m} value={m}>
            {isolate(nameOf(state, m, me))}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <Sheet title={t("balances.recordOther")} onClose={onClose} testid="payment-form">
      <form class="stack" onSubmit={save} noValidate>
        <p class="muted">{t("payment.intro")}</p>
        {person(t("payment.whoPaid"), from, setFrom)}
        {person(t("payment.whoReceived"), to, setTo)}
        <label>
          {t("payment.amount", { currency })}
          <input inputMode="decimal" value={amountText} onInput={(e) => setAmountText(e.currentTarget.value)} placeholder={sampleDecimal()} autoComplete="off" />
        </label>
        <label>
          {t("editor.date")}
          <input type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} />
        </label>
        {error && (
          <p class="error" role="alert" data-testid="payment-error">
            {error}
          </p>
        )}
        <div class="row end">
          <button type="submit" class="primary" disabled={busy} data-testid="save-payment">
            {t("balances.record")}
          </button>
        </div>
      </form>
    </Sheet>
  );
}
