// What every screen of an open group shares: the facade, a version that changes after
// every mutation (screens re-read from the facade then), sync, toasts and confirms.
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { BlobStore } from "../core/blobs";
import type { SyncStatus } from "../core/sync/scheduler";
import type { GroupApi, GroupState, MemberId } from "../core/types";
import { t } from "../i18n";

export interface Toast {
  id: number;
  text: string;
  action?: { label: string; run: () => void | Promise<void> };
}

export interface GroupCtx {
  api: GroupApi;
  /** the group state, re-read after every change */
  state: GroupState;
  /** bumps after every change */
  version: number;
  /** runs a facade mutation, saves durably, re-renders; rethrows facade errors */
  mutate<T>(fn: (api: GroupApi, nowMs: number) => T): Promise<T>;
  sync: SyncStatus;
  syncNow(): Promise<void>;
  toast(text: string, action?: Toast["action"]): void;
  /** says what went wrong in the user's words (never a code), with its action if any */
  problem(e: unknown, retry?: () => void | Promise<void>): void;
  confirm(message: string, ok: string): Promise<boolean>;
  /** opens the invite sheet (from the top bar, the empty list, the members screen) */
  showInvite(): void;
  /** the URL the invite link points to */
  appUrl: string;
  /** receipts' bytes on this device */
  blobs: BlobStore;
}

export const Group = createContext<GroupCtx | null>(null);

export function useGroup(): GroupCtx {
  const ctx = useContext(Group);
  if (!ctx) throw new Error("no open group");
  return ctx;
}

/**
 * Text a member wrote, isolated for plain-text places (toasts, dialogs, options): inside
 * FSI…PDI, right-to-left text or an override character in a name or shop cannot reorder
 * the words around it. Markup uses `<bdi>` instead.
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}

/** A member's name, "you" marked when `mark` is set. */
export function nameOf(state: GroupState, id: MemberId, me?: MemberId): string {
  const name = state.members[id]?.name ?? t("common.unknownMember", { id: id.slice(0, 6) });
  return me !== undefined && id === me ? t("common.you", { name }) : name;
}

/** Members in a stable display order: you first, then by name. */
export function memberIds(state: GroupState, me: MemberId, activeOnly = false): MemberId[] {
  return Object.entries(state.members)
    .filter(([, m]) => !activeOnly || m.status === "active")
    .sort(([a, ma], [b, mb]) => (a === me ? -1 : b === me ? 1 : ma.name.localeCompare(mb.name)))
    .map(([id]) => id);
}

export function groupCurrency(state: GroupState): string {
  return state.settings?.currency ?? "EUR";
}
