// Sync in the words people use: the top bar's label, the sync panel's sentences and each
// member's line. The engine's terms (batches, relays, Σ s_i, expiry) stay in the panel's
// details view. Pure functions of what the scheduler and the core report, so a new state
// (a member who is leaving, events kept aside from a newer version) is one more case here.
import { dayWhen } from "./format";
import type { SyncStatus } from "./sync/scheduler";
import type { GroupState, MemberId, PendingBatch } from "./types";

export type SyncState = "running" | "offline" | "error" | "waiting" | "ok" | "idle";

export interface SyncLook {
  state: SyncState;
  /** a word or two for the top bar */
  short: string;
  /** the sentence (the top bar's accessible name, the panel's headline) */
  long: string;
}

export const OFFLINE_TEXT = "You're offline — changes are saved on this phone and will be sent";
const UNREACHABLE_TEXT = "Can't connect right now — changes are saved on this phone and will be sent";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Every relay of the last round was down: nothing was sent or received. */
export function unreachable(sync: SyncStatus): boolean {
  const relays = sync.lastReport?.relays ?? [];
  return relays.length > 0 && relays.every((r) => r.health === "down");
}

/** Names in a list: "Bob", "Bob and Carol", "Bob, Carol and Dan". */
export function listNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/** The changes this phone sent that each member still lacks: member → changes. */
export function waitingChanges(pending: PendingBatch[]): Map<MemberId, number> {
  const out = new Map<MemberId, number>();
  for (const b of pending) for (const m of b.missing) out.set(m, (out.get(m) ?? 0) + b.events);
  return out;
}

/** What the top bar and the panel say about sync. */
export function syncLook(sync: SyncStatus, state?: GroupState): SyncLook {
  if (sync.running) {
    const n = sync.progress?.receiving ?? 0;
    return n > 0 ? { state: "running", short: "Receiving…", long: `Receiving ${plural(n, "update")}…` } : { state: "running", short: "Syncing…", long: "Syncing…" };
  }
  if (!sync.online) return { state: "offline", short: "Offline", long: OFFLINE_TEXT };
  if (sync.lastError) return { state: "error", short: "Problem", long: sync.lastError };
  const report = sync.lastReport;
  if (!report) return { state: "idle", short: "Not synced", long: "Not synced yet" };
  if (unreachable(sync)) return { state: "offline", short: "Offline", long: UNREACHABLE_TEXT };
  if (report.relays.some((r) => r.health === "tampering")) {
    return { state: "error", short: "Problem", long: "Some data arrived damaged and was refused; it will be fetched again" };
  }
  const waiting = waitingChanges(report.pending);
  if (waiting.size > 0) {
    const changes = Math.max(...waiting.values());
    const names = [...waiting.keys()].map((m) => state?.members[m]?.name ?? "someone").sort();
    return { state: "waiting", short: "Sending", long: `${plural(changes, "change")} waiting for ${listNames(names)}` };
  }
  if (report.pending.length > 0) return { state: "waiting", short: "Sending", long: "Sending your changes" };
  return { state: "ok", short: "Up to date", long: "Up to date" };
}

/** One member's line in the panel's "waiting" list. */
export interface WaitingLine {
  member: MemberId;
  changes: number;
  /** unix ms of the member's latest change this phone has, if any */
  lastActiveMs?: number;
  text: string;
}

/** "2 changes waiting for Carol · last active on Tuesday", one per member, by name. */
export function waitingLines(pending: PendingBatch[], state: GroupState, lastActive: Record<MemberId, number>, now = new Date()): WaitingLine[] {
  return [...waitingChanges(pending).entries()]
    .map(([member, changes]) => {
      const name = state.members[member]?.name ?? "someone";
      const at = lastActive[member];
      const since = at === undefined ? " · has not synced yet" : ` · last active ${dayWhen(Math.min(at, now.getTime()), now)}`;
      const line: WaitingLine = { member, changes, text: `${plural(changes, "change")} waiting for ${name}${since}` };
      if (at !== undefined) line.lastActiveMs = at;
      return line;
    })
    .sort((a, b) => (state.members[a.member]?.name ?? "").localeCompare(state.members[b.member]?.name ?? ""));
}

/** How a member stands with this phone, for the members screen. */
export type MemberSync =
  | { kind: "me" }
  | { kind: "up-to-date" }
  | { kind: "waiting"; changes: number }
  | { kind: "gone"; status: "left" | "removed" };

export function memberSync(member: MemberId, me: MemberId, state: GroupState, pending: PendingBatch[]): MemberSync {
  if (member === me) return { kind: "me" };
  const status = state.members[member]?.status;
  if (status === "left" || status === "removed") return { kind: "gone", status };
  const changes = waitingChanges(pending).get(member) ?? 0;
  return changes > 0 ? { kind: "waiting", changes } : { kind: "up-to-date" };
}

/** The members screen's line for a member. */
export function memberSyncText(s: MemberSync, lastActiveMs?: number, now = new Date()): string {
  const active = lastActiveMs === undefined ? "" : ` · last active ${dayWhen(Math.min(lastActiveMs, now.getTime()), now)}`;
  switch (s.kind) {
    case "me":
      return "this phone";
    case "up-to-date":
      return `has everything from this phone${active}`;
    case "waiting":
      return `${plural(s.changes, "change")} on the way${active}`;
    case "gone":
      return s.status === "left" ? "left the group" : "removed from the group";
  }
}
