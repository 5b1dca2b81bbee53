// Sync, told plainly: whether this phone is up to date, offline (and that its changes are
// kept and will be sent), catching up, or waiting for someone ("2 changes waiting for
// Carol · last active on Tuesday"). The engine's own terms — each relay's health, each
// batch's Σ s_i against (m − 1)·k, expiry and re-sending — are in "Technical details".
// The sentences come from ../core/syncText, so a new state is one case there.
import { useEffect, useMemo, useState } from "preact/hooks";
import { relativeTime } from "../core/format";
import { syncLook, unreachable, waitingLines } from "../core/syncText";
import type { KeptAside, PendingBatch, RelayReport } from "../core/types";
import { nameOf, useGroup } from "./context";
import { Sheet } from "./Sheet";
import { t } from "../i18n";
import { tb } from "../i18n/jsx";
import type { GroupState } from "../core/types";

export const SLOW_MS = 2000;

export function relayText(r: RelayReport): string {
  const parts: string[] = [r.health === "up" ? t("sync.relayUp") : r.health === "down" ? t("sync.relayDown") : t("sync.relayTampering")];
  if (r.slowest_ms !== undefined) parts.push(r.slowest_ms > SLOW_MS ? t("sync.relaySlow", { ms: r.slowest_ms }) : `${r.slowest_ms} ms`);
  if (r.error) parts.push(r.error);
  return parts.join(" · ");
}

/** When this phone last reached a relay, said while it reaches none: never "just now". */
function sinceCut(reached: number, now: number): string {
  const when = relativeTime(reached, Math.max(now, reached));
  return when === t("when.justNow") ? t("when.aMomentAgo") : when;
}

/** A change not applied: who it claims is its author, and why it was kept aside. */
function asideText(k: KeptAside, state: GroupState) {
  const why =
    k.reason.kind === "signed_by_other"
      ? t("sync.asideSignedBy", { name: nameOf(state, k.reason.signer) })
      : k.reason.kind === "unsigned"
        ? t("sync.asideUnsigned")
        : k.reason.kind === "bad_signature"
          ? t("sync.asideBadSignature")
          : t("sync.asideUnknownKey");
  return tb("sync.keptAside", { name: k.author ? nameOf(state, k.author) : t("common.someone"), why });
}

export function SyncPanel({ onClose }: { onClose: () => void }) {
  const { api, state, sync, syncNow, version } = useGroup();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, []);
  // before this session's first round, what the saved state last knew
  const pending: PendingBatch[] = sync.lastReport?.pending ?? api.pending();
  const relays: RelayReport[] = sync.lastReport?.relays ?? (state.relays?.[0] ?? []).map((url) => ({ url, health: "up" as const }));
  const known = sync.lastReport !== null;
  const lastActive = useMemo(() => api.lastActive(), [api, version]);
  const waiting = waitingLines(pending, state, lastActive, new Date(now));
  const receipts = useMemo(() => {
    try {
      return api.receiptsPending();
    } catch {
      return { sending: 0, receiving: 0 }; // a core without receipts
    }
  }, [api, version, sync]);
  const look = syncLook(sync, state);
  const aside = state.device.keptAside ?? [];
  const cut = !sync.online || unreachable(sync);
  // "last connected" only when this phone did reach the group's relays: never "just now"
  // while every one of them is down
  const reached = sync.lastReachedMs || (known ? 0 : api.lastSyncMs());

  return (
    <Sheet title={t("sync.title")} onClose={onClose} testid="sync-panel">
      <div class="stack">
        <p class="sync-headline" data-state={look.state} data-testid="sync-headline" role="status">
          {look.long}
          {look.state === "running" || look.long.endsWith("…") ? "" : "."}
        </p>
        {reached > 0 && (
          <p class="muted" data-testid="last-connected">
            {cut ? t("sync.lastConnected", { when: sinceCut(reached, now) }) : t("sync.lastSynced", { when: relativeTime(reached, Math.max(now, reached)) })}.
          </p>
        )}
        <button type="button" class="primary" onClick={() => void syncNow()} disabled={sync.running} data-testid="sync-now">
          {sync.running ? t("sync.syncing") : t("sync.now")}
        </button>
        {waiting.length > 0 ? (
          <>
            <h3>{t("sync.onTheWayTitle")}</h3>
            <ul class="list card">
              {waiting.map((w) => (
                <li key={w.member} data-testid="waiting-for">
                  <bdi>{w.text}</bdi>
                </li>
              ))}
            </ul>
            <p class="muted">{t("sync.theyGetThese")}</p>
          </>
        ) : (
          pending.length === 0 && <p class="muted">{t("sync.everyoneHasAll")}</p>
        )}
        {(receipts.sending > 0 || receipts.receiving > 0) && (
          <p class="muted" data-testid="receipts-pending" data-sending={receipts.sending} data-receiving={receipts.receiving}>
            {[receipts.sending > 0 && t("receipts.sending", { n: receipts.sending }), receipts.receiving > 0 && t("receipts.receiving", { n: receipts.receiving })].filter(Boolean).join(" · ")}
          </p>
        )}
        {aside.length > 0 && (
          <>
            <h3>{t("sync.keptAsideTitle")}</h3>
            <ul class="list card">
              {aside.map((k) => (
                <li key={k.event} class="warn" data-testid="kept-aside">
                  {asideText(k, state)}
                </li>
              ))}
            </ul>
            <p class="muted">{t("sync.keptAsideHint")}</p>
          </>
        )}
        <details class="tech" data-jargon-ok="relay batch sigma" data-testid="sync-details">
          <summary>{t("sync.technical")}</summary>
          <div class="stack">
            <h3>
              {t("sync.relays")} {state.relays && <span class="muted">{t("sync.anyOf", { k: state.relays[1], n: state.relays[0].length })}</span>}
            </h3>
            <ul class="list card">
              {relays.map((r) => (
                <li key={r.url} class="relay" data-health={known ? r.health : "unknown"} data-slow={r.slowest_ms !== undefined && r.slowest_ms > SLOW_MS}>
                  <span class="url">{r.url}</span>
                  <span class="state">{known ? relayText(r) : t("sync.notChecked")}</span>
                </li>
              ))}
            </ul>
            <h3>{t("sync.batches")}</h3>
            {pending.length === 0 ? (
              <p class="muted">{t("sync.none")}</p>
            ) : (
              <ul class="list card">
                {pending.map((b) => (
                  <li key={b.batch_id} class="batch" data-testid="pending-batch">
                    <span>
                      {t("sync.batchChanges", { n: b.events })}: Σ s<sub>i</sub> = {b.sum_s} of {b.target}
                    </span>
                    {b.missing.length > 0 && (
                      <span class="muted">
                        {t("sync.notAcked")}{" "}
                        {b.missing.map((m, i) => (
                          <span key={m}>
                            <bdi>{nameOf(state, m)}</bdi>
                            {i < b.missing.length - 1 ? ", " : ""}
                          </span>
                        ))}
                      </span>
                    )}
                    <span class="muted">{b.expires_at ? t("sync.relaysDrop", { when: relativeTime(b.expires_at, now) }) : t("sync.expiryUnknown")}</span>
                    {b.reput.length > 0 && <span class="warn">{t("sync.resent", { n: b.reput.length })}</span>}
                  </li>
                ))}
              </ul>
            )}
          </div>
        </details>
      </div>
    </Sheet>
  );
}
