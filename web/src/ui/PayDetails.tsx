// How to pay a member (IBAN, PayPal.me, Revolut, Venmo, Lydia, a note): set for yourself,
// or for someone added by name nobody claimed; encrypted in the ledger like everything
// else. The core cleans and checks it (an IBAN's checksum, user names without link
// characters) and builds the payment links settle-up shows (./Balances: PayWith).
import { useState } from "preact/hooks";
import { problemText } from "../core/errors";
import type { MemberId, PaymentDetails } from "../core/types";
import { isolate, nameOf, useGroup } from "./context";
import { Sheet } from "./Sheet";
import { t, type Key } from "../i18n";
import { tb } from "../i18n/jsx";

const FIELDS: { key: keyof PaymentDetails; label: Key; hint: string }[] = [
  { key: "iban", label: "pay.iban", hint: "DE89 3704 0044 0532 0130 00" },
  { key: "paypal", label: "pay.paypal", hint: "alice" },
  { key: "revolut", label: "pay.revolut", hint: "alice" },
  { key: "venmo", label: "pay.venmo", hint: "alice" },
  { key: "lydia", label: "pay.lydia", hint: "+33 6 12 34 56 78" },
  { key: "note", label: "editor.note", hint: "pay.noteHint" },
];

export function PayDetails({ member, onClose }: { member: MemberId; onClose: () => void }) {
  const { api, state, mutate, toast } = useGroup();
  const me = api.me();
  const [form, setForm] = useState<PaymentDetails>(() => ({ ...(state.payment_details?.[member] ?? {}) }));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const whose = nameOf(state, member);

  const save = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const details: PaymentDetails = {};
    for (const { key } of FIELDS) {
      const v = form[key]?.trim();
      if (v) details[key] = v;
    }
    setBusy(true);
    try {
      await mutate((a, now) => a.setPaymentDetails(member, details, now));
      toast(member === me ? t("pay.savedMine") : t("pay.saved", { name: isolate(whose) }));
      onClose();
    } catch (err) {
      setError(problemText(err));
      setBusy(false);
    }
  };

  return (
    <Sheet title={member === me ? t("pay.titleMine") : t("members.howToPayLabel", { name: whose })} onClose={onClose} testid="pay-details">
      <form class="stack" onSubmit={save} noValidate>
        <p class="muted">{member === me ? t("pay.introMine") : tb("pay.intro", { name: whose })}</p>
        {FIELDS.map(({ key, label, hint }) => (
          <label key={key}>
            {t(label)}
            <input value={form[key] ?? ""} onInput={(e) => {
                const v = e.currentTarget.value;
                setForm((f) => ({ ...f, [key]: v }));
              }} placeholder={key === "note" ? t("pay.noteHint") : hint} autoComplete="off" spellcheck={false} />
          </label>
        ))}
        {error && (
          <p class="error" role="alert" data-testid="pay-details-error">
            {error}
          </p>
        )}
        <div class="row end">
          <button type="submit" class="primary" disabled={busy}>
            {t("common.save")}
          </button>
        </div>
      </form>
    </Sheet>
  );
}
