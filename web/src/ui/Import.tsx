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
import { t } from "../i18n";
import { tb } from "../i18n/jsx";

/** Codes of errors about the file itself: their message (with the line) is the one to show. */
const FILE_ERRORS = new Set(["too_large", "encoding", "not_recognised", "bad_header", "cell_count", "bad_amount", "bad_date", "bad_currency", "unknown_member", "does_not_add_up", "bad_row", "bad_mapping", "too_many_rows"]);

const APP: Record<ImportSource, string> = { splitwise: "Splitwise", tricount: "Tricount" };

/** A refusal from `applyImport` (its message starts with the record's import id), by line. */
function applyProblem(plan: ImportPlan, err: unknown): string {
  const id = err instanceof Error ? /^(\w+:[0-9a-f]+): /.exec(err.message)?.[1] : undefined;
  const line = id ? lineOf(plan, id) : null;
  return `${line !== null ? t("import.line", { n: line }) : ""}${problemText(err)} ${t("import.nothing")}`;
}

function fileProblem(err: unknown): string {
  const line = (err as { line?: unknown }).line;
  const message = err instanceof Error ? err.message : "";
  if (FILE_ERRORS.has(codeOf(err) ?? "") && message) {
    const where = typeof line === "number" && !/^line \d+/.test(message) ? t("import.line", { n: line }) : "";
    return `${where}${message.charAt(0).toUpperCase()}${message.slice(1)}. ${t("import.nothing")}`;
  }
  return `${problemText(err)} ${t("import.nothing")}`;
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
      const app = APP[plan.source];
      setMessage(
        t("import.done", { expenses: done.expenses, payments: done.payments }) +
          (done.placeholders ? t("import.addedPeople", { n: done.placeholders }) : "") +
          (done.skipped ? t("import.skippedDone", { n: done.skipped }) : "") +
          (exact ? t("import.exact", { app }) : t("import.differ", { n: checked.disagreements.length, app })),
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
      <h2>{t("import.title")}</h2>
      <p class="muted">{t("import.intro")}</p>
      <label>
        {t("import.from")}
        <select
          value={from}
          onChange={(e) => {
            const f = e.currentTarget.value as ImportSource;
            setFrom(f);
            if (bytes) void replan(bytes, f, choices);
          }}
        >
          <option value="splitwise">{t("import.splitwise")}</option>
          <option value="tricount">{t("import.tricount")}</option>
        </select>
      </label>
      <label>
        {t("import.choose")}
        <input type="file" accept=".csv,text/csv,text/plain" onChange={(e) => void choose(e)} />
      </label>
      {plan && counts && (
        <div class="stack" data-testid="import-preview">
          <h3>
            {t("import.preview", { people: plan.members.length, expenses: counts.expenses, payments: counts.payments })}
          </h3>
          {counts.skipped > 0 && <p class="muted">{t("import.skipped", { n: counts.skipped })}</p>}
          <ul class="stack">
            {plan.members.map((m) => (
              <li key={m.name}>
                <label>
                  {tb("import.is", { name: m.name })}
                  <select value={m.matched === "new" ? "" : (m.member ?? "")} onChange={(e) => mapTo(m.name, e.currentTarget.value)}>
                    <option value="">{t("import.newPerson")}</option>
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
              {t("import.rate", { from: cur, to: currency })}
              <input inputMode="decimal" value={rateText[cur] ?? ""} onInput={(e) => setRate(cur, e.currentTarget.value)} />
            </label>
          ))}
          <h3>{t("import.balances", { app: APP[plan.source] })}</h3>
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
          {plan.differences.length > 0 && <p role="alert">{t("import.disagree", { n: plan.differences.length })}</p>}
          {plan.warnings.length > 0 && (
            <details>
              <summary>{t("import.guesses", { n: plan.warnings.length })}</summary>
              <ul>
                {plan.warnings.map((w, i) => (
                  <li key={i}>
                    {w.line !== null && t("import.line", { n: w.line })}
                    <bdi>{w.message}</bdi>
                  </li>
                ))}
              </ul>
            </details>
          )}
          <button type="button" class="primary" disabled={busy || plan.missing_rates.length > 0 || counts.expenses + counts.payments === 0} onClick={() => void confirm()}>
            {t("import.go", { expenses: counts.expenses, payments: counts.payments })}
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
