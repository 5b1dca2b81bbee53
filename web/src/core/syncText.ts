// Sync in the words people use: the top bar's label, the sync panel's sentences and each
// member's line. The engine's terms (batches, relays, Σ s_i, expiry) stay in the panel's
// details view. Pure functions of what the scheduler and the core report, so a new state
// (a member who is leaving, events kept aside from a newer version) is one more case here.
import { en } from "../i18n/en";
import { listOf, t } from "../i18n";
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

/** The offline sentence in English (tests); the screen says `t("sync.offline")`. */
export const OFFLINE_TEXT = en["sync.offline"];

/** Every relay of the last round was down: nothing was sent or received. */
export function unreachable(sync: SyncStatus): boolean {
  const relays = sync.lastReport?.relays ?? [];
  return relays.length > 0 && relays.every((r) => r.health === "down");
}

/** Names in a list: "Bob", "Bob and Carol", "Bob, Carol and Dan". */
export function listNames(names: string[]): string {
  return listOf(names);
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
    return n > 0 ? { state: "running", short: t("sync.receivingShort"), long: t("sync.receiving", { n }) } : { state: "running", short: t("sync.syncing"), long: t("sync.syncing") };
  }
  if (!sync.online) return { state: "offline", short: t("sync.offlineShort"), long: t("sync.offline") };
  if (sync.lastError) return { state: "error", short: t("sync.problemShort"), long: sync.lastError };
  const report = sync.lastReport;
  if (!report) return { state: "idle", short: t("sync.notSyncedShort"), long: t("sync.notSynced") };
  if (unreachable(sync)) return { state: "offline", short: t("sync.offlineShort"), long: t("sync.unreachable") };
  if (report.relays.some((r) => r.health === "tampering")) {
    return { state: "error", short: t("sync.problemShort"), long: t("sync.tampering") };
  }
  const waiting = waitingChanges(report.pending);
  if (waiting.size > 0) {
    const changes = Math.max(...waiting.values());
    const names = [...waiting.keys()].map((m) => state?.members[m]?.name ?? t("common.someone")).sort();
    return { state: "waiting", short: t("sync.sendingShort"), long: t("sync.waiting", { n: changes, names: listNames(names) }) };
  }
  if (report.pending.length > 0) return { state: "waiting", short: t("sync.sendingShort"), long: t("sync.sending") };
  return { state: "ok", short: t("sync.upToDate"), long: t("sync.upToDate") };
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
      const name = state.members[member]?.name ?? t("common.someone");
      const at = lastActive[member];
      const since = at === undefined ? t("sync.neverSynced") : t("sync.lastActive", { when: dayWhen(Math.min(at, now.getTime()), now) });
      const line: WaitingLine = { member, changes, text: `${t("sync.waiting", { n: changes, names: name })}${since}` };
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
  const active = lastActiveMs === undefined ? "" : t("sync.lastActive", { when: dayWhen(Math.min(lastActiveMs, now.getTime()), now) });
  switch (s.kind) {
    case "me":
      return t("sync.thisPhone");
    case "up-to-date":
      return t("sync.hasEverything", { active });
    case "waiting":
      return t("sync.onTheWay", { n: s.changes, active });
    case "gone":
      return s.status === "left" ? t("sync.left") : t("sync.removed");
  }
}
