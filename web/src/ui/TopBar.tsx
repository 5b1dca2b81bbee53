// The top bar: the app name, the group switcher and the sync indicator.
import type { StoredGroup } from "../core/storage";
import type { SyncStatus } from "../core/sync/scheduler";

interface Props {
  groups: StoredGroup[];
  current: string | null;
  onSwitch: (choice: string) => void;
  /** null when no group is open */
  sync: SyncStatus | null;
  onSyncClick: () => void;
}

/** "syncing", "offline", "problem", "waiting" or "ok" (drives the dot's colour). */
export function syncLook(sync: SyncStatus): { state: string; label: string } {
  if (sync.running) return { state: "running", label: "Syncing…" };
  if (sync.lastError) return { state: "error", label: "Sync failed" };
  const report = sync.lastReport;
  if (!report) return { state: "idle", label: "Not synced yet" };
  if (report.relays.some((r) => r.health === "tampering")) return { state: "error", label: "A relay misbehaves" };
  if (report.relays.length > 0 && report.relays.every((r) => r.health === "down")) return { state: "error", label: "Relays unreachable" };
  if (report.pending.length > 0) return { state: "waiting", label: `${report.pending.length} batch${report.pending.length === 1 ? "" : "es"} on the way` };
  return { state: "ok", label: "Up to date" };
}

export function TopBar({ groups, current, onSwitch, sync, onSyncClick }: Props) {
  const look = sync ? syncLook(sync) : null;
  return (
    <header class="topbar">
      <h1>GFMS</h1>
      {(groups.length > 0 || current) && (
        <label class="switcher">
          <span class="sr-only">Group</span>
          <select
            value={current ?? ""}
            onChange={(e) => {
              const v = e.currentTarget.value;
              e.currentTarget.value = current ?? "";
              onSwitch(v);
            }}
          >
            {!current && <option value="">Choose a group</option>}
            {groups
              .slice()
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((g) => (
                <option key={g.key} value={g.key}>
                  {g.name}
                </option>
              ))}
            <option value="new">＋ New group…</option>
            <option value="join">Join a group…</option>
          </select>
        </label>
      )}
      {look && (
        <button type="button" class="sync-indicator" data-testid="sync-indicator" data-state={look.state} onClick={onSyncClick} aria-label={`Sync: ${look.label}`}>
          <span class="dot" aria-hidden="true" />
          <span class="sync-label">{look.label}</span>
        </button>
      )}
    </header>
  );
}
