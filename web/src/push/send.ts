// Sends the notification for a change this device just recorded, in the background:
// a failure to notify never fails the change itself (the record syncs regardless).

import type { GroupApi } from "../core/types";
import { type Change, messageFor, notify } from "./notify";
import { forwardersOf, recipientsOf } from "./recipients";

export async function notifyChange(api: GroupApi, change: Change, fetchFn: typeof fetch = fetch): Promise<void> {
  try {
    const state = api.state();
    const recipients = recipientsOf(state, api.me());
    if (recipients.length === 0) return;
    const message = messageFor({ id: "", name: state.settings?.name ?? "GFMS" }, change);
    await notify(api.me(), recipients, message, forwardersOf(api.pushEndpoints()), fetchFn);
  } catch {
    // Best effort: notifications are a courtesy, the ledger is the truth.
  }
}
