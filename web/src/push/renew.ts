// The owner's side of a dead subscription: when the app opens a group in which this
// member has notifications on, it checks that this browser still holds that
// subscription. A push service forgets one when the browser drops it (storage cleared,
// permission reset, the service's own expiry) and then answers senders 404/410 (./dead).
// Still granted: subscribe again and put the new one in the ledger; not: turn the
// group's notifications off, so senders stop encrypting for nobody. A browser has one
// subscription for all its groups: renewing never replaces one made with another group's
// relay key (it fails, and the group stays as it is).
import type { PushSubscription as LedgerSubscription } from "../core/types.gen";
import type { GroupApi } from "../core/types";
import { pushSupported, subscribe } from "./subscribe";

/** What renewing needs of the browser (tests give their own). */
export interface BrowserPush {
  permission(): NotificationPermission;
  /** this browser's current subscription endpoint, or null */
  endpoint(): Promise<string | null>;
  subscribe(relays: string[]): Promise<LedgerSubscription>;
}

export type Renewal = "none" | "kept" | "renewed" | "off";

type Mutate = <T>(fn: (a: GroupApi, nowMs: number) => T) => Promise<T>;

export async function renewOwnSubscription(api: GroupApi, mutate: Mutate, browser: BrowserPush): Promise<Renewal> {
  const state = api.state();
  const mine = state.push?.[api.me()];
  if (!mine) return "none";
  if ((await browser.endpoint()) === mine.endpoint) return "kept";
  if (browser.permission() !== "granted") {
    await mutate((a, now) => a.setPush(null, now));
    return "off";
  }
  const sub = await browser.subscribe(state.relays?.[0] ?? []);
  await mutate((a, now) => a.setPush(sub, now));
  return "renewed";
}

/** The browser's push, or null where there is none (no service worker yet: dev, tests). */
export async function browserPush(): Promise<BrowserPush | null> {
  if (!pushSupported()) return null;
  const registration = await navigator.serviceWorker.getRegistration();
  if (!registration) return null;
  return {
    permission: () => Notification.permission,
    endpoint: async () => (await registration.pushManager.getSubscription())?.endpoint ?? null,
    subscribe: (relays) => subscribe(relays, undefined, { replace: false }),
  };
}
