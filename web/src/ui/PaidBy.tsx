// The expense editor's "paid by": one member (a menu), or several people each with what
// they paid, with what is left to assign shown live (as the split section shows it) and
// an offer to scale the parts when the total changed under them.
import { formatMoney } from "../core/format";
import type { PayersForm } from "../core/payers";
import type { GroupState, MemberId } from "../core/types";
import { isolate, nameOf } from "./context";
import { t } from "../i18n";

interface Props {
  form: PayersForm;
  onForm: (f: PayersForm) => void;
  members: MemberId[];
  state: GroupState;
  me: MemberId;
  /** income: they received the money */
  income: boolean;
  currency: string;
  /** total − what the several payers' parts add up to; null with one payer */
  left: number | null;
  /** scales the typed parts to the total (offered when they add up to something else) */
  onScale: (() => void) | null;
}

export function PaidBy({ form, onForm, members, state, me, income, currency, left, onScale }: Props) {
  const label = income ? t("paidBy.whoGot") : t("paidBy.paidBy");
  const switchTo = (several: boolean) => onForm({ ...form, several });
  return (
    <fieldset class="split" data-testid="paid-by">
      <legend>{label}</legend>
      <div class="segmented" role="radiogroup" aria-label={income ? t("paidBy.howManyReceived") : t("paidBy.howManyPaid")}>
        <button type="button" role="radio" aria-checked={!form.several} onClick={() => switchTo(false)}>
          {t("paidBy.one")}
        </button>
        <button type="button" role="radio" aria-checked={form.several} onClick={() => switchTo(true)}>
          {t("paidBy.several")}
        </button>
      </div>
      {!form.several ? (
        <select value={form.one} onChange={(e) => onForm({ ...form, one: e.currentTarget.value })} aria-label={label}>
          {members.map((m) => (
            <option key={m} value={m}>
              {isolate(nameOf(state, m, me))}
            </option>
          ))}
        </select>
      ) : (
        <>
          <ul class="split-members">
            {members.map((m) => (
              <li key={m}>
                <label class="inline">
                  <span>
                    {income ? t("paidBy.receivedBy") : t("paidBy.paidBy")} <bdi>{nameOf(state, m, me)}</bdi>
                  </span>
                  <input
                    inputMode="decimal"
                    value={form.amounts[m] ?? ""}
                    onInput={(e) => onForm({ ...form, amounts: { ...form.amounts, [m]: e.currentTarget.value } })}
                    placeholder="0"
                  />
                </label>
              </li>
            ))}
          </ul>
          {left !== null && (
            <p class={left === 0 ? "remaining ok" : "remaining bad"} data-testid="payers-remaining" aria-live="polite">
              {left >= 0 ? t("paidBy.left", { amount: formatMoney(left, currency) }) : t("editor.over", { amount: formatMoney(-left, currency) })}
            </p>
          )}
          {onScale && left !== 0 && (
            <button type="button" class="link" onClick={onScale} data-testid="scale-payers">
              {t("paidBy.scale")}
            </button>
          )}
        </>
      )}
    </fieldset>
  );
}
