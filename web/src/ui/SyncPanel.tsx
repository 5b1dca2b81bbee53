// Sync details: when, each relay's health, each outgoing batch still on its way.
import { useEffect, useState } from "preact/hooks";
import { relativeTime } from "../core/format";
import type { PendingBatch, RelayReport } from "../core/types";
import { nameOf, useGroup } from "./context";
import { Sheet } from "./Sheet";

export const SLOW_MS = 2000;

export function relayText(r: RelayReport): string {
  const parts: string[] = [r.health === "up" ? "up" : r.health === "down" ? "down" : "tampering detected"];
  if (r.slowest_ms !== undefined) parts.push(r.slowest_ms > SLOW_MS ? `slow (${r.slowest_ms} ms)` : `${r.slowest_ms} ms`);
  if (r.error) parts.push(r.error);
  return parts.join(" · ");
}

export function SyncPanel({ onClose }: { onClose: () => void }) {
  const { api, state, sync, syncNow, version } = useGroup();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, []);
  const last = Math.max(api.lastSyncMs(), sync.lastMs);
  const pending: PendingBatch[] = sync.lastReport?.pending ?? api.pending();
  const relays: RelayReport[] = sync.lastReport?.relays ?? (state.relays?.[0] ?? []).map((url) => ({ url, health: "up" as const }));
  const known = sync.lastReport !== null;
  void version;

  return (
    <Sheet title="Sync" onClose={onClose} testid="sync-panel">
      <div class="stack">
        <p>
          Last sync: <strong>{last ? relativeTime(last, Math.max(now, last)) : "never"}</strong>
          {sync.running && " · syncing now…"}
        </p>
        {sync.lastError && (
          <p class="error" role="alert">
            {sync.lastError}
          </p>
        )}
        <button type="button" class="primary" onClick={() => void syncNow()} disabled={sync.running} data-testid="sync-now">
          {sync.running ? "Syncing…" : "Sync now"}
        </button>
        <h3>Relays {state.relays && <span class="muted">(any {state.relays[1]} of {state.relays[0].length})</span>}</h3>
        <ul class="list card">
          {relays.map((r) => (
            <li key={r.url} class="relay" data-health={known ? r.health : "unknown"} data-slow={r.slowest_ms !== undefined && r.slowest_ms > SLOW_MS}>
              <span class="url">{r.url}</span>
              <span class="state">{known ? relayText(r) : "not checked yet"}</span>
            </li>
          ))}
        </ul>
        <h3>On the way</h3>
        {pending.length === 0 ? (
          <p class="muted">Everything this phone sent has arrived.</p>
        ) : (
          <ul class="list card">
            {pending.map((b) => (
              <li key={b.batch_id} class="batch" data-testid="pending-batch">
                <span>
                  {b.events} change{b.events === 1 ? "" : "s"}: Σ s<sub>i</sub> = {b.sum_s} of {b.target}
                </span>
                {b.missing.length > 0 && <span class="muted">Waiting for {b.missing.map((m) => nameOf(state, m)).join(", ")}</span>}
                <span class="muted">{b.expires_at ? `Expires ${relativeTime(b.expires_at, now)}` : "Expiry unknown"}</span>
                {b.reput.length > 0 && <span class="warn">Will be re-sent to {b.reput.length} relay{b.reput.length === 1 ? "" : "s"}</span>}
              </li>
            ))}
          </ul>
        )}
      </div>
    </Sheet>
  );
}
