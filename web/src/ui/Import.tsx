// Settings → Import from Splitwise or Tricount: choose the app and the file, see a preview
// (who the people are in the group, how many expenses and payments, each person's balance
// after), then confirm. The parsers are the import module (../core/import), loaded only
// here; the core writes the plan all or nothing (`applyImport`).
import { useState } from "preact/hooks";
import { codeOf, problemText } from "../core/errors";
import { formatMoney, parseRate } from "../core/format";
import { checkImport, type ImportChoices, type ImportPlan, type ImportSource, lineOf, newRecords, type Planned, planImport } from "../core/import";
import type { MemberId, Rate } from "../core/types";
import { memberIds, nameOf, useGroup } from "./context";

/** Codes of errors about the file itself: their message (with the line) is the one to show. */
const FILE_ERRORS = new Set(["too_large", "encoding", "not_recognised", "bad_header", "cell_count", "bad_amount", "bad_date", "bad_currency", "unknown_member", "does_not_add_up", "bad_row", "bad_mapping", "too_many_rows"]);

const APP: Record<ImportSource, string> = { splitwise: "Splitwise", tricount: "Tricount" };

/** A refusal from `applyImport` (its message starts with the record's import id), by line. */
function applyProblem(plan: ImportPlan, err: unknown): string {
  const id = err instanceof Error ? /^(\w+:[0-9a-f]+): /.exec(err.message)?.[1] : undefined;
  const line = id ? lineOf(plan, id) : null;
  return `${line !== null ? `Line ${line}: ` : ""}${problemText(err)} Nothing was imported.`;
}

function fileProblem(err: unknown): string {
  const line = (err as { line?: unknown }).line;
  const message = err instanceof Error ? err.message : "";
  if (FILE_ERRORS.has(codeOf(err) ?? "") && message) {
    const where = typeof line === "number" && !/^line \d+/.test(message) ? `Line ${line}: ` : "";
    return `${where}${message.charAt(0).toUpperCase()}${message.slice(1)}. Nothing was imported.`;
  }
  return `${problemText(err)} Nothing was imported.`;
}

export function ImportSection() {
  const { api, state, mutate } = useGroup();
  const [from, setFrom] = useState<ImportSource>("splitwise");
  const [bytes, setBytes] = useState<Uint8Array | null>(null);
  const [choices, setChoices] = useState<ImportChoices>({});
  const [rateText, setRateText] = useState<Record<string, string>>({});
  const [planned, setPlanned] = useState<Planned | null>(null);
  const plan = planned?.plan ?? null;
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const currency = state.settings?.currency ?? "EUR";

  const replan = async (b: Uint8Array, f: ImportSource, c: ImportChoices) => {
    setChoices(c);
    try {
      setPlanned(await planImport(b, f, JSON.stringify(api.state()), c));
      setMessage(null);
    } catch (err) {
      setPlanned(null);
      setMessage(fileProblem(err));
    }
  };

  const choose = async (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    const b = new Uint8Array(await file.arrayBuffer());
    setBytes(b);
    setRateText({});
    await replan(b, from, {});
  };

  const mapTo = (name: string, member: string) => {
    if (!bytes) return;
    const mapping: Record<string, MemberId> = { ...choices.mapping };
    if (member) mapping[name] = member;
    else delete mapping[name];
    void replan(bytes, from, { ...choices, mapping });
  };

  const setRate = (cur: string, text: string) => {
    setRateText({ ...rateText, [cur]: text });
    if (!bytes) return;
    const parsed = parseRate(text, cur, currency);
    const rates: Record<string, Rate> = { ...choices.rates };
    if (parsed.ok) rates[cur] = { numerator: parsed.numerator, denominator: parsed.denominator };
    else delete rates[cur];
    void replan(bytes, from, { ...choices, rates });
  };

  const confirm = async () => {
    if (!planned || !plan) return;
    setBusy(true);
    try {
      const done = await mutate((a, now) => a.applyImport(planned.writes, now));
      const checked = await checkImport(plan, done, JSON.stringify(api.state()));
      const exact = checked.disagreements.length === 0;
      setMessage(
        `Imported ${done.expenses} expenses and ${done.payments} payments` +
          (done.placeholders ? `, added ${done.placeholders} people` : "") +
          (done.skipped ? `; ${done.skipped} were already here` : "") +
          (exact ? `. Every balance matches ${APP[plan.source]}'s.` : `. ${checked.disagreements.length} balances differ from ${APP[plan.source]}'s: check the file's totals.`),
      );
      setPlanned(null);
      setBytes(null);
    } catch (err) {
      setMessage(applyProblem(plan, err));
    } finally {
      setBusy(false);
    }
  };

  const counts = plan && newRecords(plan);
  const members = memberIds(state, api.me(), true);
  return (
    <section class="card stack" data-testid="import">
      <h2>Import from Splitwise or Tricount</h2>
      <p class="muted">Bring a group's history along: its expenses and payments, and its people as members added by name, who claim themselves when they join.</p>
      <label>
        The file comes from
        <select
          value={from}
          onChange={(e) => {
            const f = e.currentTarget.value as ImportSource;
            setFrom(f);
            if (bytes) void replan(bytes, f, choices);
          }}
        >
          <option value="splitwise">Splitwise (Export as spreadsheet)</option>
          <option value="tricount">Tricount (data export, CSV)</option>
        </select>
      </label>
      <label>
        Choose the exported file
        <input type="file" accept=".csv,text/csv,text/plain" onChange={(e) => void choose(e)} />
      </label>
      {plan && counts && (
        <div class="stack" data-testid="import-preview">
          <h3>
            {plan.members.length} people, {counts.expenses} expenses and {counts.payments} payments to add
          </h3>
          {counts.skipped > 0 && <p class="muted">{counts.skipped} are in the group already and will be skipped.</p>}
          <ul class="stack">
            {plan.members.map((m) => (
              <li key={m.name}>
                <label>
                  <bdi>{m.name}</bdi> is
                  <select value={m.matched === "new" ? "" : (m.member ?? "")} onChange={(e) => mapTo(m.name, e.currentTarget.value)}>
                    <option value="">a new person, added by name</option>
                    {members.map((id) => (
                      <option key={id} value={id}>
                        {nameOf(state, id, api.me())}
                      </option>
                    ))}
                  </select>
                </label>
              </li>
            ))}
          </ul>
          {plan.missing_rates.map((cur) => (
            <label key={cur}>
              1 {cur} = how many {currency}?
              <input inputMode="decimal" value={rateText[cur] ?? ""} onInput={(e) => setRate(cur, e.currentTarget.value)} />
            </label>
          ))}
          <h3>Balances after, as {APP[plan.source]} shows them</h3>
          <table data-testid="import-balances">
            <tbody>
              {Object.entries(plan.expected).flatMap(([cur, list]) =>
                list.map((v, i) => (
                  <tr key={`${cur}${i}`}>
                    <td>
                      <bdi>{plan.members[i]?.name}</bdi>
                    </td>
                    <td class="num">{formatMoney(v, cur)}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
          {plan.differences.length > 0 && <p role="alert">The file's totals and its rows disagree for {plan.differences.length} balances; the import keeps the rows.</p>}
          {plan.warnings.length > 0 && (
            <details>
              <summary>{plan.warnings.length} things were read with a guess</summary>
              <ul>
                {plan.warnings.map((w, i) => (
                  <li key={i}>
                    {w.line !== null && `Line ${w.line}: `}
                    <bdi>{w.message}</bdi>
                  </li>
                ))}
              </ul>
            </details>
          )}
          <button type="button" class="primary" disabled={busy || plan.missing_rates.length > 0 || counts.expenses + counts.payments === 0} onClick={() => void confirm()}>
            Import {counts.expenses} expenses and {counts.payments} payments
          </button>
        </div>
      )}
      {message && (
        <p role="status" data-testid="import-message">
          {message}
        </p>
      )}
    </section>
  );
}
