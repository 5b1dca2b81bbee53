// An expense's history (who created it, each edit and what it changed, deletions; an
// older version brought back in one tap) and the group's activity feed (newest first,
// one member's only if chosen; a deleted expense restored in one tap). Loaded on first
// use (./lazy): the first screen does not need it.
import type { ComponentChildren } from "preact";
import { useMemo, useState } from "preact/hooks";
import { problemText } from "../core/errors";
import { amountChange, fieldList, subjectName, values, versions, when, wroteValue } from "../core/history";
import { formatMoney } from "../core/format";
import { recurringVerb } from "../core/repeat";
import type { EventId, Expense, GroupApi, GroupState, HistoryEntry, MemberId, Settlement } from "../core/types";
import { isolate, memberIds, nameOf, useGroup } from "./context";
import { readOnly } from "./Removed";
import { Sheet } from "./Sheet";
import { t } from "../i18n";

/** Restores expense `id` on the newest state; a restore of what is already back says so. */
export function restore(a: GroupApi, id: EventId, to: EventId | null, now: number): void {
  if (to === null && a.state().expenses[id]) throw new Error(t("history.alreadyBack"));
  a.restoreExpense(id, to, now);
}

/** "(Bob paid Ann €10.00)" for a payment's value, empty when unknown. */
function paymentText(state: GroupState, v: Expense | Settlement | undefined): string {
  if (!v || !("from" in v)) return "";
  return t("history.payment", { from: isolate(nameOf(state, v.from)), to: isolate(nameOf(state, v.to)), amount: formatMoney(v.amount, v.currency) });
}

/** One entry in words (without who: the screen puts the name first, in <bdi>). */
function verb(state: GroupState, entry: HistoryEntry, before: Expense | Settlement | undefined, after: Expense | Settlement | undefined, name: string | null): string {
  const of = name === null ? "" : isolate(name);
  if (entry.what === "series" || entry.what === "instance") return recurringVerb(entry, name === null ? null : isolate(name), fieldList(entry.changed));
  if (entry.what === "settlement") {
    const said = entry.action === "deleted" ? "history.deletedPayment" : entry.action === "created" ? "history.recordedPayment" : "history.changedPayment";
    return t(said, { payment: paymentText(state, after) });
  }
  switch (entry.action) {
    case "created":
      return name === null ? t("history.addedIt") : t("history.added", { name: of });
    case "deleted":
      return name === null ? t("history.deletedIt") : t("history.deleted", { name: of });
    case "edited": {
      const change = entry.changed.includes("amount") ? amountChange(before, after) : null;
      const amount = change ? ` (${change})` : "";
      const fields = fieldList(entry.changed);
      return name === null ? t("history.changedIt", { fields, amount }) : t("history.changed", { fields, name: of, amount });
    }
  }
}

function Line({ entry, text, children }: { entry: HistoryEntry; text: string; children?: ComponentChildren }) {
  const { api, state } = useGroup();
  return (
    <li class="history-entry" data-testid="history-entry" data-action={entry.action}>
      <span class="main">
        <span>
          <bdi>{nameOf(state, entry.author, api.me())}</bdi> {text}
        </span>
        <span class="sub muted">{when(entry.at_ms)}</span>
      </span>
      {children}
    </li>
  );
}

/** An expense's history, oldest first, with "Bring back this version" on values it no longer has. */
export function ExpenseHistory({ id, onRestored }: { id: EventId; onRestored: () => void }) {
  const { api, state, version, mutate, toast } = useGroup();
  const [error, setError] = useState<string | null>(null);
  const entries = useMemo(() => api.history(id), [api, id, version]);
  const written = useMemo(() => values(api.eventLog()), [api, version]);
  const vals = useMemo(() => versions(entries, written), [entries, written]);
  const current = [...entries].reverse().find((e) => wroteValue(written, e.event))?.event;
  const back = async (to: EventId) => {
    try {
      await mutate((a, now) => restore(a, id, to, now));
      toast(t("history.versionBack"));
      onRestored();
    } catch (e) {
      setError(problemText(e));
    }
  };
  let before: Expense | Settlement | undefined;
  return (
    <section class="stack" data-testid="expense-history" aria-label={t("history.title")}>
      <ul class="list card">
        {entries.map((e) => {
          const after = vals.get(e.event) ?? before;
          const line = (
            <Line key={e.event} entry={e} text={verb(state, e, before, after, null)}>
              {e.action !== "deleted" && !readOnly(state) && wroteValue(written, e.event) && e.event !== current && (
                <button type="button" class="link" onClick={() => void back(e.event)}>
                  {t("history.bringBack")}
                </button>
              )}
            </Line>
          );
          before = after;
          return line;
        })}
      </ul>
      {error && (
        <p class="error" role="alert" data-testid="history-error">
          {error}
        </p>
      )}
    </section>
  );
}

const LIMIT = 200;

/** What happened in the group, newest first; one member's only if chosen. */
export function Activity({ onClose }: { onClose: () => void }) {
  const { api, state, version, mutate, toast, problem } = useGroup();
  const me = api.me();
  const [member, setMember] = useState<MemberId>("");
  const entries = useMemo(() => api.activity(member || null, LIMIT), [api, member, version]);
  const written = useMemo(() => values(api.eventLog()), [api, version]);
  const vals = written.whole;
  // each subject's latest value (the feed is newest first), and each entry's value before it
  const latest = new Map<string, Expense | Settlement>();
  for (const e of entries) {
    const v = state.expenses[e.subject] ?? vals.get(e.event);
    if (v && !latest.has(e.subject)) latest.set(e.subject, v);
  }
  // an edit's value before and after it, from its subject's history
  const around = (e: HistoryEntry): [Expense | Settlement | undefined, Expense | Settlement | undefined] => {
    const fallback = vals.get(e.event) ?? latest.get(e.subject);
    if (e.action !== "edited") return [undefined, fallback];
    const h = api.history(e.subject);
    const i = h.findIndex((x) => x.event === e.event);
    const upTo = versions(h.slice(0, i + 1), written);
    return [i > 0 ? upTo.get(h[i - 1]?.event ?? "") : undefined, upTo.get(e.event) ?? fallback];
  };
  const bringBack = async (id: EventId) => {
    try {
      await mutate((a, now) => restore(a, id, null, now));
      toast(t("history.restored"));
    } catch (e) {
      problem(e);
    }
  };
  return (
    <Sheet title={t("expenses.activity")} onClose={onClose} testid="activity">
      <div class="stack">
        <label>
          {t("history.show")}
          <select value={member} onChange={(e) => setMember(e.currentTarget.value)}>
            <option value="">{t("history.everyone")}</option>
            {memberIds(state, me).map((m) => (
              <option key={m} value={m}>
                {isolate(nameOf(state, m, me))}
              </option>
            ))}
          </select>
        </label>
        {entries.length === 0 ? (
          <p class="muted">{t("history.nothingYet")}</p>
        ) : (
          <ul class="list card">
            {entries.map((e) => {
              const deleted = e.what === "expense" && e.action === "deleted" && !state.expenses[e.subject];
              // a removed member's phone changes nothing (./Removed)
              const restorable = deleted && !readOnly(state) && entries.find((x) => x.subject === e.subject) === e;
              return (
                <Line key={e.event} entry={e} text={verb(state, e, ...around(e), subjectName(e, latest.get(e.subject)))}>
                  {restorable && (
                    <button type="button" onClick={() => void bringBack(e.subject)} data-testid="restore">
                      {t("history.restore")}
                    </button>
                  )}
                </Line>
              );
            })}
          </ul>
        )}
      </div>
    </Sheet>
  );
}
