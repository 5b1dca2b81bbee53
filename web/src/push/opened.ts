// A tapped notification opens the app on `?group=<group key>&record=<event id>`
// (public/push-sw.js). The app opens that group and shows that record: the expense's
// editor, or the balances for a settle-up. A record not here yet waits for the first
// round (the notification often comes before the phone has synced); one still missing
// after it has not arrived; a deleted one opens the activity, where it can be restored. A group not on this phone says so.
import type { GroupState } from "../core/types";
import { en } from "../i18n/en";

export interface NotificationTarget {
  /** the group's key (`GroupApi.groupKey()`, the same on every member's phone) */
  group: string;
  /** the event id of the expense or settle-up, when the notification names one */
  record: string | null;
}

const GROUP_KEY = /^[0-9a-f]{1,128}$/;
/** An event id (a UUID today); anything else is not ours. */
const EVENT_ID = /^[0-9A-Za-z-]{1,128}$/;

/** The group and record a notification's link names, or null (none, or malformed). */
export function notificationTarget(search: string): NotificationTarget | null {
  const params = new URLSearchParams(search);
  const group = params.get("group");
  if (!group || !GROUP_KEY.test(group)) return null;
  const record = params.get("record");
  return { group, record: record && EVENT_ID.test(record) ? record : null };
}

/** Takes the notification's target out of the address bar, once it is handled. */
export function clearNotificationTarget(): void {
  if (typeof history === "undefined" || typeof location === "undefined") return;
  if (!location.search) return;
  const params = new URLSearchParams(location.search);
  params.delete("group");
  params.delete("record");
  const rest = params.toString();
  history.replaceState(null, "", location.pathname + (rest ? `?${rest}` : "") + location.hash);
}

/**
 * Where a record is shown: an expense, a settle-up, one that was deleted (its history is
 * here: the activity shows it, with Restore), or not on this phone (yet).
 */
export function recordPlace(
  state: Pick<GroupState, "expenses" | "settlements">,
  record: string,
  history: (id: string) => { action: string }[] = () => [],
): "expense" | "settlement" | "deleted" | null {
  if (Object.hasOwn(state.expenses, record)) return "expense";
  if (Object.hasOwn(state.settlements, record)) return "settlement";
  try {
    // its newest step (a round may have merged it before the screen's state caught up)
    return history(record).at(-1)?.action === "deleted" ? "deleted" : null;
  } catch {
    return null; // the core knows nothing of it
  }
}

/** The toasts, in English (tests); the screen shows `t(key)` (../i18n). */
export const GROUP_NOT_HERE = en["opened.groupNotHere"];
export const RECORD_GONE = en["opened.recordGone"];
export const RECORD_DELETED = en["opened.recordDeleted"];
