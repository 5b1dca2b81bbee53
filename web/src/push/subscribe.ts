// Turning this device's notifications on or off for a group: permission, a Web Push
// subscription made with the VAPID key of the first of the group's relays that has one
// (only that relay can then forward to it), and its keys for the ledger.

import { checkRelay } from "../relays";
import type { PushSubscription as LedgerSubscription } from "../core/types.gen";
import { fromBase64url, toBase64url } from "./webpush";
import { t } from "../i18n";

/** Whether this browser can receive Web Push at all (iPhone: installed to the home screen). */
export function pushSupported(): boolean {
  return typeof window !== "undefined" && "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

/**
 * Subscribes this device; throws a sentence for the user if it cannot. `replace: false`
 * (renewing in the background, ./renew) never drops a subscription made with another
 * group's relay key: that group would lose its notifications, and renew it in turn.
 */
export async function subscribe(relays: string[], health = checkRelay, { replace = true } = {}): Promise<LedgerSubscription> {
  if ((await Notification.requestPermission()) !== "granted") {
    throw new Error(t("push.blocked"));
  }
  // A browser has one subscription (one VAPID key) for all its groups: reuse it when one
  // of this group's relays holds its key, so other groups' notifications keep working.
  const registration = await navigator.serviceWorker.ready;
  const existing = await registration.pushManager.getSubscription();
  const existingKey = existing?.options.applicationServerKey
    ? toBase64url(new Uint8Array(existing.options.applicationServerKey))
    : null;
  let relay: string | null = null;
  let key: string | null = null;
  for (const url of relays) {
    const r = await health(url);
    const k = r.state === "up" ? r.health.vapid_public_key : undefined;
    if (!k) continue;
    if (!relay || k === existingKey) {
      relay = url;
      key = k;
    }
    if (k === existingKey) break;
  }
  if (!relay || !key) throw new Error(t("push.noRelay"));
  let sub = existing;
  if (!sub || key !== existingKey) {
    if (sub && !replace) throw new Error(t("push.otherGroup"));
    if (sub) await sub.unsubscribe();
    sub = await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: fromBase64url(key) as BufferSource,
    });
  }
  const p256dh = sub.getKey("p256dh");
  const auth = sub.getKey("auth");
  if (!p256dh || !auth) throw new Error(t("push.noKeys"));
  return { endpoint: sub.endpoint, p256dh: toBase64url(new Uint8Array(p256dh)), auth: toBase64url(new Uint8Array(auth)), relay };
}
