// An itemized bill in the expense editor (a restaurant bill): each item with its price
// and who had it, a tip in percent and a tax or service amount spread in proportion; the
// total and each person's part as the core computes them, exact to the cent.
import { formatMoney, sampleDecimal } from "../core/format";
import type { ItemRow, ItemsForm } from "../core/items";
import type { GroupState, ItemizedTotal, MemberId } from "../core/types";
import { nameOf } from "./context";
import { t } from "../i18n";

interface Props {
  form: ItemsForm;
  onForm: (f: ItemsForm) => void;
  members: MemberId[];
  state: GroupState;
  me: MemberId;
  currency: string;
  /** what the bill comes to, or null while it cannot be computed */
  total: ItemizedTotal | null;
}

export function ItemsEditor({ form, onForm, members, state, me, currency, total }: Props) {
  const setItem = (i: number, row: Partial<ItemRow>) => onForm({ ...form, items: form.items.map((r, j) => (j === i ? { ...r, ...row } : r)) });
  const parts = new Map(total?.parts ?? []);
  return (
    <fieldset class="split" data-testid="items">
      <legend>{t("items.title")}</legend>
      <ol class="stack items">
        {form.items.map((row, i) => (
          <li key={i} class="card stack" data-testid="item">
            <div class="row">
              <label class="grow">
                {t("items.itemN", { i: i + 1 })}
                <input value={row.name} onInput={(e) => setItem(i, { name: e.currentTarget.value })} placeholder={t("items.placeholder")} autoComplete="off" />
              </label>
              <label>
                {t("items.priceOf", { i: i + 1 })}
                <input inputMode="decimal" value={row.price} onInput={(e) => setItem(i, { price: e.currentTarget.value })} placeholder={sampleDecimal()} autoComplete="off" />
              </label>
            </div>
            <div class="row wrap" role="group" aria-label={t("items.whoHad", { i: i + 1 })}>
              {members.map((m) => (
                <label key={m} class="check">
                  <input
                    type="checkbox"
                    checked={row.members.includes(m)}
                    onChange={(e) => {
                      const on = e.currentTarget.checked;
                      setItem(i, { members: on ? [...row.members, m] : row.members.filter((x) => x !== m) });
                    }}
                  />
                  <bdi>{nameOf(state, m, me)}</bdi>
                </label>
              ))}
            </div>
            {form.items.length > 1 && (
              <button type="button" class="link" onClick={() => onForm({ ...form, items: form.items.filter((_, j) => j !== i) })}>
                {t("items.remove", { i: i + 1 })}
              </button>
            )}
          </li>
        ))}
      </ol>
      <button type="button" onClick={() => onForm({ ...form, items: [...form.items, { name: "", price: "", members: [...members] }] })}>
        {t("items.add")}
      </button>
      <div class="row">
        <label class="grow">
          {t("items.tip")}
          <input inputMode="decimal" value={form.tip} onInput={(e) => onForm({ ...form, tip: e.currentTarget.value })} placeholder="0" />
        </label>
        <label class="grow">
          {t("items.tax")}
          <input inputMode="decimal" value={form.tax} onInput={(e) => onForm({ ...form, tax: e.currentTarget.value })} placeholder={sampleDecimal()} />
        </label>
      </div>
      {total && (
        <div data-testid="items-total" aria-live="polite">
          <p>
            {t("items.total")} <strong>{formatMoney(total.total, currency)}</strong>
            {total.total !== total.subtotal && <span class="muted"> {t("items.subtotal", { amount: formatMoney(total.subtotal, currency) })}</span>}
          </p>
          <ul class="split-members">
            {members
              .filter((m) => parts.has(m))
              .map((m) => (
                <li key={m} data-testid="item-part">
                  <bdi>{nameOf(state, m, me)}</bdi> <span class="part">{formatMoney(parts.get(m) ?? 0, currency)}</span>
                </li>
              ))}
          </ul>
        </div>
      )}
    </fieldset>
  );
}
