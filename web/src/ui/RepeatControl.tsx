// The editor's recurring parts: "Repeats" for a new expense (never / daily / weekly /
// monthly / yearly, and an end: never, on a day, after N times), and for an instance of
// a series what a change applies to ("This one only" / "This and later"). The rules are
// ../core/repeat; the series itself is the core's (client-wasm/ledger/src/recurring).
import { MAX_TIMES, ruleText, UNITS, dayText, type RepeatEnd, type RepeatForm } from "../core/repeat";
import type { Schedule } from "../core/types";
import { t, type Key } from "../i18n";

const ENDS: { end: RepeatEnd; label: Key }[] = [
  { end: "never", label: "repeat.never" },
  { end: "on", label: "repeat.endOn" },
  { end: "after", label: "repeat.endAfter" },
];

/** "Repeats" and its end, for a new expense. */
export function RepeatControl({ form, onForm }: { form: RepeatForm; onForm: (f: RepeatForm) => void }) {
  const set = (patch: Partial<RepeatForm>) => onForm({ ...form, ...patch });
  return (
    <fieldset class="repeat stack" data-testid="repeat">
      <legend>{t("repeat.repeats")}</legend>
      <label>
        <span class="sr-only">{t("repeat.repeats")}</span>
        <select value={form.unit} onChange={(e) => set({ unit: e.currentTarget.value as RepeatForm["unit"] })} data-testid="repeat-unit">
          {UNITS.map(({ unit, label }) => (
            <option key={label} value={unit}>
              {t(label)}
            </option>
          ))}
        </select>
      </label>
      {form.unit !== "" && (
        <>
          <div class="segmented" role="radiogroup" aria-label={t("repeat.ends")}>
            {ENDS.map(({ end, label }) => (
              <button key={end} type="button" role="radio" aria-checked={form.end === end} onClick={() => set({ end })} data-testid={`repeat-end-${end}`}>
                {t(label)}
              </button>
            ))}
          </div>
          {form.end === "on" && (
            <label>
              {t("repeat.lastDay")}
              <input type="date" value={form.until} onInput={(e) => set({ until: e.currentTarget.value })} data-testid="repeat-until" />
            </label>
          )}
          {form.end === "after" && (
            <label>
              {t("repeat.timesInAll")}
              <input type="number" min="1" max={MAX_TIMES} step="1" inputMode="numeric" value={form.times} onInput={(e) => set({ times: e.currentTarget.value })} data-testid="repeat-times" />
            </label>
          )}
          <p class="hint muted">{t("repeat.hint")}</p>
        </>
      )}
    </fieldset>
  );
}

export type Scope = "one" | "later";

/** For an instance of a series: its rule, and whether a change is for this one only or this and later ones. */
export function SeriesScope({ schedule, date, scope, onScope }: { schedule: Schedule | undefined; date: string; scope: Scope; onScope: (s: Scope) => void }) {
  return (
    <fieldset class="repeat stack" data-testid="series-scope">
      <legend>{t("repeat.partOfSeries")}</legend>
      <p class="muted">
        {schedule ? t("repeat.seriesFrom", { rule: ruleText(schedule), day: dayText(schedule.start) }) : t("repeat.aRecurring")} {t("repeat.thisOneOn", { day: dayText(date) })}
      </p>
      <div class="segmented" role="radiogroup" aria-label={t("repeat.change")}>
        <button type="button" role="radio" aria-checked={scope === "one"} onClick={() => onScope("one")} data-testid="scope-one">
          {t("repeat.thisOnly")}
        </button>
        <button type="button" role="radio" aria-checked={scope === "later"} onClick={() => onScope("later")} data-testid="scope-later">
          {t("repeat.thisAndLater")}
        </button>
      </div>
    </fieldset>
  );
}
