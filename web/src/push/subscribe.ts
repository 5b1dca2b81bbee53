// Turning this device's notifications on or off for a group: permission, a Web Push
// subscription made with the VAPID key of the first of the group's relays that has one
// (only that relay can then forward to it), and its keys for the ledger.

import { checkRelay } from "../relays";
import type { PushSubscription as LedgerSubscription } from "../core/types.gen";
import { fromBase64url, toBase64url } from "./webpush";

/** Whether this browser can receive Web Push at all (iPhone: installed to the home screen). */
export function pushSupported(): boolean {
  return typeof window !== "undefined" && "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

/** Subscribes this device; throws a sentence for the user if it cannot. */
export async function subscribe(relays: string[], health = checkRelay): Promise<LedgerSubscription> {
  if ((await Notification.requestPermission()) !== "granted") {
    throw new Error("Notifications are blocked for this app in the browser's settings.");
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
  if (!relay || !key) throw new Error("None of the group's relays forwards notifications right now.");
  let sub = existing;
  if (!sub || key !== existingKey) {
    if (sub) await sub.unsubscribe();
    sub = await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: fromBase64url(key) as BufferSource,
    });
  }
  const p256dh = sub.getKey("p256dh");
  const auth = sub.getKey("auth");
  if (!p256dh || !auth) throw new Error("This browser gave no encryption keys for notifications.");
  return { endpoint: sub.endpoint, p256dh: toBase64url(new Uint8Array(p256dh)), auth: toBase64url(new Uint8Array(auth)), relay };
}
