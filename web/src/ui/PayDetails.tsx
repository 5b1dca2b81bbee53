// How to pay a member (IBAN, PayPal.me, Revolut, Venmo, Lydia, a note): set for yourself,
// or for someone added by name nobody claimed; encrypted in the ledger like everything
// else. The core cleans and checks it (an IBAN's checksum, user names without link
// characters) and builds the payment links settle-up shows (./Balances: PayWith).
import { useState } from "preact/hooks";
import { problemText } from "../core/errors";
import type { MemberId, PaymentDetails } from "../core/types";
import { isolate, nameOf, useGroup } from "./context";
import { Sheet } from "./Sheet";

const FIELDS: { key: keyof PaymentDetails; label: string; hint: string }[] = [
  { key: "iban", label: "IBAN", hint: "DE89 3704 0044 0532 0130 00" },
  { key: "paypal", label: "PayPal.me user name", hint: "alice" },
  { key: "revolut", label: "Revolut user name", hint: "alice" },
  { key: "venmo", label: "Venmo user name", hint: "alice" },
  { key: "lydia", label: "Lydia phone number", hint: "+33 6 12 34 56 78" },
  { key: "note", label: "Note", hint: "Cash is fine too" },
];

export function PayDetails({ member, onClose }: { member: MemberId; onClose: () => void }) {
  const { api, state, mutate, toast } = useGroup();
  const me = api.me();
  const [form, setForm] = useState<PaymentDetails>(() => ({ ...(state.payment_details?.[member] ?? {}) }));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const whose = member === me ? "you" : nameOf(state, member);

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
      toast(member === me ? "Your payment details are saved" : `Payment details for ${isolate(whose)} saved`);
      onClose();
    } catch (err) {
      setError(problemText(err));
      setBusy(false);
    }
  };

  return (
    <Sheet title={member === me ? "How to pay you" : `How to pay ${whose}`} onClose={onClose} testid="pay-details">
      <form class="stack" onSubmit={save} noValidate>
        <p class="muted">Shown to the group when someone settles up with {member === me ? "you" : <bdi>{whose}</bdi>}, with a link where the service has one. All optional.</p>
        {FIELDS.map(({ key, label, hint }) => (
          <label key={key}>
            {label}
            <input value={form[key] ?? ""} onInput={(e) => {
                const v = e.currentTarget.value;
                setForm((f) => ({ ...f, [key]: v }));
              }} placeholder={hint} autoComplete="off" spellcheck={false} />
          </label>
        ))}
        {error && (
          <p class="error" role="alert" data-testid="pay-details-error">
            {error}
          </p>
        )}
        <div class="row end">
          <button type="submit" class="primary" disabled={busy}>
            Save
          </button>
        </div>
      </form>
    </Sheet>
  );
}
