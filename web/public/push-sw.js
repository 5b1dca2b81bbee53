// Web Push in the service worker (imported by the one vite-plugin-pwa generates). The
// browser has already decrypted the message (RFC 8291) with this subscription's key;
// the plaintext is JSON from a member's app: {title, body, group, record}. Shows it,
// and a tap opens (or focuses) the app on that group and record.
/* global self, clients */
"use strict";

/** The notification for a push message's text; null if it is not ours. */
self.gfmsNotification = (text) => {
  let msg;
  try {
    msg = JSON.parse(text);
  } catch {
    return null;
  }
  if (!msg || typeof msg.title !== "string" || typeof msg.body !== "string") return null;
  const params = new URLSearchParams();
  if (typeof msg.group === "string" && msg.group) params.set("group", msg.group);
  if (typeof msg.record === "string") params.set("record", msg.record);
  const query = params.toString();
  return {
    title: msg.title.slice(0, 120),
    options: {
      body: msg.body.slice(0, 240),
      icon: "icons/icon-192.png",
      badge: "icons/icon-192.png",
      // One notification per record: an edit replaces the "added" one.
      tag: typeof msg.record === "string" ? msg.record : undefined,
      data: { url: query ? `./?${query}` : "./" },
    },
  };
};

self.addEventListener("push", (event) => {
  const shown = self.gfmsNotification(event.data ? event.data.text() : "");
  if (!shown) return;
  event.waitUntil(self.registration.showNotification(shown.title, shown.options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL((event.notification.data && event.notification.data.url) || "./", self.registration.scope).href;
  event.waitUntil(
    clients.matchAll({ type: "window", includeUncontrolled: true }).then((open) => {
      const same = open.find((c) => new URL(c.url).origin === new URL(url).origin);
      if (same) return same.navigate(url).then((c) => (c || same).focus());
      return clients.openWindow(url);
    }),
  );
});
