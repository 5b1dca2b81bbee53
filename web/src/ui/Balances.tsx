// Who is owed and who owes, the plan to settle up, and the payments made so far; a
// printable summary of it all for the end of a trip. A payment of any amount between two
// members is recorded from here too (./PaymentForm).
import { useMemo, useState } from "preact/hooks";
import { dayHeading, formatMoney, isoDate } from "../core/format";
import type { PlannedPayment, Transfer } from "../core/types";
import { groupCurrency, isolate, memberIds, nameOf, useGroup } from "./context";
import { readOnly } from "./Removed";
import { moneyOf, notifyChange } from "../push/send";
import { loadPaymentForm } from "./lazy";
import { PrintSummary } from "./PrintSummary";
import { t } from "../i18n";

const SERVICES: Record<string, string> = { paypal: "PayPal", revolut: "Revolut", venmo: "Venmo" };

/** "DE89 3704 0044 …": an IBAN in groups of four, as printed on cards. */
function grouped(iban: string): string {
  return iban.replace(/(.{4})/g, "$1 ").trim();
}

/** How the recipient said to pay them: links that pay (https only), IBAN, Lydia, their note. */
function PayWith({ how, to }: { how: Omit<PlannedPayment, "transfer">; to: string }) {
  const d = how.details;
  const links = how.links.filter((l) => l.url.startsWith("https://"));
  if (!d && links.length === 0) return null;
  return (
    <div class="pay-with stack" data-testid="pay-with">
      {links.length > 0 && (
        <span class="row wrap">
          {links.map((l) => (
            <a key={l.url} class="button" href={l.url} target="_blank" rel="noopener noreferrer">
              {t("balances.payWith", { service: SERVICES[l.scheme] ?? t("balances.link") })}
            </a>
          ))}
        </span>
      )}
      {d?.iban && (
        <span class="muted">
          IBAN <span class="mono">{grouped(d.iban)}</span>
        </span>
      )}
      {d?.lydia && <span class="muted">Lydia: {d.lydia}</span>}
      {d?.note && (
        <span class="muted">
          <bdi>{to}</bdi>: “<bdi>{d.note}</bdi>”
        </span>
      )}
    </div>
  );
}

export function Balances() {
  const { api, state, version, mutate, toast, problem, confirm } = useGroup();
  const locked = readOnly(state);
  const me = api.me();
  const currency = groupCurrency(state);
  const balances = useMemo(() => api.balances(), [api, version]);
  const planned = useMemo(() => api.settleUpWithDetails(), [api, version]);
  const plan = planned.map((p) => p.transfer);
  const [printing, setPrinting] = useState(false);
  const [paying, setPayingState] = useState<{ start: Transfer | null; mod: typeof import("./PaymentForm") } | null>(null);
  const setPaying = (start: Transfer | "blank") => loadPaymentForm().then((mod) => setPayingState({ start: start === "blank" ? null : start, mod }), (e: unknown) => problem(e));
  const settlements = useMemo(
    () => Object.entries(state.settlements).sort(([a, x], [b, y]) => (x.date === y.date ? (a < b ? 1 : -1) : x.date < y.date ? 1 : -1)),
    [state],
  );
  const ids = memberIds(state, me).filter((m) => state.members[m]?.status === "active" || (balances[m] ?? 0) !== 0);

  const record = async (p: Transfer) => {
    try {
      const id = await mutate((a, now) => a.recordSettlement({ from: p.from, to: p.to, amount: p.amount, currency, date: isoDate() }, now));
      const amount = formatMoney(p.amount, currency);
      void notifyChange(api, { kind: "settled", author: nameOf(state, p.from), to: nameOf(state, p.to), amount, money: moneyOf(p.amount, currency), record: id });
      toast(t("balances.recorded", { from: isolate(nameOf(state, p.from)), to: isolate(nameOf(state, p.to)), amount: formatMoney(p.amount, currency) }), {
        label: t("common.undo"),
        run: async () => {
          try {
            await mutate((a, now) => a.deleteSettlement(id, now));
          } catch (e) {
            problem(e);
          }
        },
      });
    } catch (e) {
      problem(e, () => record(p));
    }
  };

  const remove = async (id: string) => {
    if (!(await confirm(t("balances.deleteConfirm"), t("common.delete")))) return;
    try {
      await mutate((a, now) => a.deleteSettlement(id, now));
    } catch (e) {
      problem(e);
    }
  };

  return (
    <section class="stack">
      <div class="row between">
        <h2>{t("balances.title")}</h2>
        <button type="button" onClick={() => setPrinting(true)} data-testid="print-summary">
          {t("balances.print")}
        </button>
      </div>
      <ul class="list card">
        {ids.map((m) => {
          const b = balances[m] ?? 0;
          return (
            <li key={m} class="balance" data-testid={`balance-${m}`} data-sign={b > 0 ? "owed" : b < 0 ? "owes" : "even"}>
              <bdi>{nameOf(state, m, me)}</bdi>
              <span class={b > 0 ? "pos" : b < 0 ? "neg" : "muted"}>
                {b > 0 ? t("balances.isOwed", { amount: formatMoney(b, currency) }) : b < 0 ? t("balances.owes", { amount: formatMoney(-b, currency) }) : t("balances.settled")}
              </span>
            </li>
          );
        })}
      </ul>
      <div class="row between">
        <h2>{t("balances.settleUp")}</h2>
        {!locked && (
          <button type="button" onClick={() => void setPaying("blank")} data-testid="record-other-payment">
            {t("balances.recordOther")}
          </button>
        )}
      </div>
      {plan.length === 0 ? (
        <p class="muted">{t("balances.allSettled")}</p>
      ) : (
        <ul class="list card">
          {planned.map(({ transfer: tr, ...how }) => (
            <li key={`${tr.from}-${tr.to}`} class="transfer" data-testid="settle-transfer">
              <span>
                <strong>
                  <bdi>{nameOf(state, tr.from, me)}</bdi>
                </strong>{" "}
                {t("balances.pays")}{" "}
                <strong>
                  <bdi>{nameOf(state, tr.to, me)}</bdi>
                </strong>{" "}
                <span class="amount">{formatMoney(tr.amount, currency)}</span>
              </span>
              <span class="actions" hidden={locked}>
                <button type="button" onClick={() => void record(tr)}>
                  {t("balances.record")}
                </button>
                <button type="button" class="link" onClick={() => void setPaying(tr)} aria-label={t("balances.otherAmountLabel", { from: nameOf(state, tr.from), to: nameOf(state, tr.to) })}>
                  {t("balances.otherAmount")}
                </button>
              </span>
              <PayWith how={how} to={nameOf(state, tr.to)} />
            </li>
          ))}
        </ul>
      )}
      <h2>{t("balances.payments")}</h2>
      {settlements.length === 0 ? (
        <p class="muted">{t("balances.noPayments")}</p>
      ) : (
        <ul class="list card">
          {settlements.map(([id, s]) => (
            <li key={id} class="settlement" data-testid="settlement-row">
              <span>
                <bdi>{nameOf(state, s.from, me)}</bdi> {t("balances.paid")} <bdi>{nameOf(state, s.to, me)}</bdi> <span class="amount">{formatMoney(s.amount, s.currency)}</span>
                <span class="sub muted"> · {dayHeading(s.date)}</span>
              </span>
              {!locked && (
                <button type="button" class="icon" aria-label={t("balances.deletePaymentLabel", { from: nameOf(state, s.from), to: nameOf(state, s.to) })} onClick={() => void remove(id)}>
                  ✕
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {printing && <PrintSummary onClose={() => setPrinting(false)} />}
      {paying && <paying.mod.PaymentForm start={paying.start} onClose={() => setPayingState(null)} />}
    </section>
  );
}
