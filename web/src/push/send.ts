// Sends the notification for a change this device just recorded, in the background:
// a failure to notify never fails the change itself (the record syncs regardless).

import type { GroupApi } from "../core/types";
import { browserDeadEndpoints, type DeadEndpoints } from "./dead";
import { currencyExponent } from "../core/format";
import { type Change, messageFor, type Money, notify } from "./notify";
import { forwardersOf, recipientsOf } from "./recipients";

/** An amount for the receiver to format in its own language. */
export function moneyOf(minor: number, currency: string): Money {
  return { minor, currency, exp: currencyExponent(currency) };
}

/**
 * Notifies the other members who turned notifications on, but not at subscriptions a
 * push service said are gone; the ones it says are gone now join that list.
 */
export async function notifyChange(
  api: GroupApi,
  change: Change,
  fetchFn: typeof fetch = fetch,
  dead: DeadEndpoints = browserDeadEndpoints(),
): Promise<void> {
  try {
    const state = api.state();
    const recipients = recipientsOf(state, api.me()).filter((r) => !dead.has(r.subscription.endpoint));
    if (recipients.length === 0) return;
    // the group's key is the same on every member's phone: a tap opens this group there
    const message = messageFor({ id: api.groupKey(), name: state.settings?.name ?? "GFMS" }, change);
    const outcomes = await notify(api.me(), recipients, message, forwardersOf(api.pushEndpoints()), fetchFn);
    const gone = new Set(outcomes.flatMap((o) => ("gone" in o ? [o.member] : [])));
    dead.add(recipients.filter((r) => gone.has(r.member)).map((r) => r.subscription.endpoint));
  } catch {
    // Best effort: notifications are a courtesy, the ledger is the truth.
  }
}
