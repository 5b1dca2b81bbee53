// The top bar: the open group's name (tap it for the list of groups), invite, and sync in
// a word or two (tap it for the details). Nothing in it is cut off at 390 px: the name may
// take two lines, and the sync state is a short word whose sentence is its accessible name.
import type { SyncStatus } from "../core/sync/scheduler";
import { syncLook } from "../core/syncText";
import type { GroupState } from "../core/types";
import { t } from "../i18n";

interface Props {
  /** the open group's name, null when none is open */
  groupName: string | null;
  /** whether this device holds any group (the list is offered even with none open) */
  hasGroups: boolean;
  onGroups: () => void;
  /** opens the invite, null when no group is open */
  onInvite: (() => void) | null;
  /** null when no group is open */
  sync: SyncStatus | null;
  /** the open group's state, for names in the sync label */
  state?: GroupState | null;
  onSyncClick: () => void;
}

/**
 * How long a name is for the bar: long names get a smaller font, so any name the ledger
 * accepts (80 characters) fits on at most three lines at 390 px.
 */
function nameLength(name: string): "short" | "long" | "very-long" {
  const n = [...name].length;
  return n > 40 ? "very-long" : n > 22 ? "long" : "short";
}

const INVITE_ICON = "M15 19a6 6 0 0 0-12 0M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM19 8v6M16 11h6";

export function TopBar({ groupName, hasGroups, onGroups, onInvite, sync, state, onSyncClick }: Props) {
  const look = sync ? syncLook(sync, state ?? undefined) : null;
  return (
    <header class="topbar">
      <h1 class={groupName !== null ? "sr-only" : "brand"}>GFMS</h1>
      {groupName !== null ? (
        <button type="button" class="group-switch" data-testid="group-switch" data-length={nameLength(groupName)} onClick={onGroups}>
          <span class="group-name">
            <bdi>{groupName}</bdi>
          </span>
          <span class="sr-only">{t("top.switchGroup")}</span>
          <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" class="chevron">
            <path d="M6 9l6 6 6-6" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
          </svg>
        </button>
      ) : (
        <span class="grow" />
      )}
      {groupName === null && hasGroups && (
        <button type="button" class="link" onClick={onGroups}>
          {t("top.yourGroups")}
        </button>
      )}
      {onInvite && (
        <button type="button" class="icon-button" data-testid="invite-button" onClick={onInvite} aria-label={t("common.invitePeople")}>
          <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
            <path d={INVITE_ICON} fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
          </svg>
        </button>
      )}
      {look && (
        <button type="button" class="sync-indicator" data-testid="sync-indicator" data-state={look.state} onClick={onSyncClick} title={look.long}>
          <span class="dot" aria-hidden="true" />
          <span class="sync-label">{look.short}</span>
          {look.long !== look.short && <span class="sr-only">: {look.long}</span>}
        </button>
      )}
    </header>
  );
}
