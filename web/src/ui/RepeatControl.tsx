// The editor's recurring parts: "Repeats" for a new expense (never / daily / weekly /
// monthly / yearly, and an end: never, on a day, after N times), and for an instance of
// a series what a change applies to ("This one only" / "This and later"). The rules are
// ../core/repeat; the series itself is the core's (client-wasm/ledger/src/recurring).
import { MAX_TIMES, ruleText, UNITS, dayText, type RepeatEnd, type RepeatForm } from "../core/repeat";
import type { Schedule } from "../core/types";

const ENDS: { end: RepeatEnd; label: string }[] = [
  { end: "never", label: "Never" },
  { end: "on", label: "On a day" },
  { end: "after", label: "After" },
];

/** "Repeats" and its end, for a new expense. */
export function RepeatControl({ form, onForm }: { form: RepeatForm; onForm: (f: RepeatForm) => void }) {
  const set = (patch: Partial<RepeatForm>) => onForm({ ...form, ...patch });
  return (
    <fieldset class="repeat stack" data-testid="repeat">
      <legend>Repeats</legend>
      <label>
        <span class="sr-only">Repeats</span>
        <select value={form.unit} onChange={(e) => set({ unit: e.currentTarget.value as RepeatForm["unit"] })} data-testid="repeat-unit">
          {UNITS.map(({ unit, label }) => (
            <option key={label} value={unit}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {form.unit !== "" && (
        <>
          <div class="segmented" role="radiogroup" aria-label="Ends">
            {ENDS.map(({ end, label }) => (
              <button key={end} type="button" role="radio" aria-checked={form.end === end} onClick={() => set({ end })} data-testid={`repeat-end-${end}`}>
                {label}
              </button>
            ))}
          </div>
          {form.end === "on" && (
            <label>
              Last day
              <input type="date" value={form.until} onInput={(e) => set({ until: e.currentTarget.value })} data-testid="repeat-until" />
            </label>
          )}
          {form.end === "after" && (
            <label>
              Times in all
              <input type="number" min="1" max={MAX_TIMES} step="1" inputMode="numeric" value={form.times} onInput={(e) => set({ times: e.currentTarget.value })} data-testid="repeat-times" />
            </label>
          )}
          <p class="hint muted">Each one is added on its day, on every phone in the group; the first on the date above.</p>
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
      <legend>Part of a series</legend>
      <p class="muted">
        {schedule ? `${ruleText(schedule)}, from ${dayText(schedule.start)}.` : "A recurring expense."} This one is on {dayText(date)}.
      </p>
      <div class="segmented" role="radiogroup" aria-label="Change">
        <button type="button" role="radio" aria-checked={scope === "one"} onClick={() => onScope("one")} data-testid="scope-one">
          This one only
        </button>
        <button type="button" role="radio" aria-checked={scope === "later"} onClick={() => onScope("later")} data-testid="scope-later">
          This and later
        </button>
      </div>
    </fieldset>
  );
}
