// Web Push in the service worker (imported by the one vite-plugin-pwa generates). The
// browser has already decrypted the message (RFC 8291) with this subscription's key;
// the plaintext is JSON from a member's app: {title, body, group, record, said}. Shows it,
// and a tap opens (or focuses) the app on that group and record. `said` is the change as
// fields: worded here in the language chosen on this phone (the app keeps it in the
// cache "gfms-settings", src/i18n), else the browser's, so the receiver reads its own
// language whatever the sender's; `body` (the sender's words) when it cannot be worded.
/* global self, clients, caches */
"use strict";

const WORDS = {
  en: { added: "{author} added {title} {amount}", edited: "{author} edited {title} {amount}", settled: "{author} paid {to} {amount}", joined: "{author} joined the group" },
  fr: { added: "{author} a ajouté {title} {amount}", edited: "{author} a modifié {title} {amount}", settled: "{author} a payé {amount} à {to}", joined: "{author} a rejoint le groupe" },
  de: { added: "{author} hat {title} {amount} hinzugefügt", edited: "{author} hat {title} {amount} geändert", settled: "{author} hat {to} {amount} gezahlt", joined: "{author} ist der Gruppe beigetreten" },
  es: { added: "{author} añadió {title} {amount}", edited: "{author} editó {title} {amount}", settled: "{author} pagó {amount} a {to}", joined: "{author} se unió al grupo" },
};

const text = (x) => (typeof x === "string" ? x.slice(0, 100) : "");

/** The first of `languages` this worker words, else null ("fr-CA" → "fr"). */
self.gfmsLanguage = (languages) => {
  for (const tag of languages || []) {
    const base = String(tag).toLowerCase().split("-")[0];
    if (WORDS[base]) return base;
  }
  return null;
};

/** A change's fields in `lang`'s words; null when they cannot be worded. */
self.gfmsWords = (said, lang) => {
  const words = WORDS[lang];
  if (!words || !said || typeof said !== "object" || typeof said.kind !== "string" || !Object.hasOwn(words, said.kind)) return null;
  let amount = "";
  const m = said.money;
  if (m && typeof m === "object" && Number.isSafeInteger(m.minor) && typeof m.currency === "string" && Number.isInteger(m.exp) && m.exp >= 0 && m.exp <= 4) {
    try {
      const opts = { style: "currency", currency: m.currency, minimumFractionDigits: m.exp, maximumFractionDigits: m.exp };
      amount = new Intl.NumberFormat(lang, opts).format(m.minor / 10 ** m.exp);
    } catch {
      return null;
    }
  } else if (said.kind !== "joined") return null;
  const fields = { author: text(said.author), title: text(said.title), to: text(said.to), amount };
  return words[said.kind].replace(/\{(\w+)\}/g, (_, k) => fields[k] ?? "").replace(/\s+/g, " ").trim();
};

/** The language chosen on this phone (set by the app), else the browser's, else null. */
async function chosenLanguage() {
  try {
    const saved = await (await caches.open("gfms-settings")).match(new URL("gfms-language", self.registration.scope).href);
    const lang = saved ? self.gfmsLanguage([await saved.text()]) : null;
    if (lang) return lang;
  } catch {
    // no Cache Storage: the browser's language
  }
  return self.gfmsLanguage((self.navigator && self.navigator.languages) || []);
}

/** The notification for a push message's text, worded in `lang` when it can; null if it is not ours. */
self.gfmsNotification = (text, lang) => {
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
      body: ((lang && self.gfmsWords(msg.said, lang)) || msg.body).slice(0, 240),
      icon: "icons/icon-192.png",
      badge: "icons/icon-192.png",
      // One notification per record: an edit replaces the "added" one.
      tag: typeof msg.record === "string" ? msg.record : undefined,
      data: { url: query ? `./?${query}` : "./" },
    },
  };
};

self.addEventListener("push", (event) => {
  const data = event.data ? event.data.text() : "";
  if (!self.gfmsNotification(data, null)) return;
  event.waitUntil(
    chosenLanguage()
      .catch(() => null)
      .then((lang) => {
        const shown = self.gfmsNotification(data, lang);
        return shown && self.registration.showNotification(shown.title, shown.options);
      }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL((event.notification.data && event.notification.data.url) || "./", self.registration.scope).href;
  event.waitUntil(
    clients.matchAll({ type: "window", includeUncontrolled: true }).then((open) => {
      const same = open.find((c) => new URL(c.url).origin === new URL(url).origin);
      // The open app loads the link (it reads ?group=&record= at start); a window this
      // worker does not control cannot be navigated: open a new one then.
      if (same) return same.navigate(url).then((c) => (c || same).focus()).catch(() => clients.openWindow(url));
      return clients.openWindow(url);
    }),
  );
});
