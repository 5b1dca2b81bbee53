import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

type Shown = { title: string; options: { body: string; tag?: string; data: { url: string } } } | null;
type Listener = (event: unknown) => void;

/** Runs public/push-sw.js against a fake service worker global. */
function loadWorker(clients: unknown = {}, caches: unknown = undefined, languages: string[] = []) {
  const listeners = new Map<string, Listener>();
  const shown: { title: string; options: unknown }[] = [];
  const self: Record<string, unknown> = {
    addEventListener: (type: string, fn: Listener) => listeners.set(type, fn),
    navigator: { languages },
    registration: {
      scope: "https://app.example/",
      showNotification: (title: string, options: unknown) => {
        shown.push({ title, options });
        return Promise.resolve();
      },
    },
  };
  const source = readFileSync(new URL("../../public/push-sw.js", import.meta.url), "utf8");
  new Function("self", "clients", "caches", source)(self, clients, caches);
  const notification = self.gfmsNotification as (text: string, lang?: string | null) => Shown;
  return { listeners, shown, notification };
}

describe("service worker push handler", () => {
  it("shows the member's text and links to the group and record", async () => {
    const { listeners, shown, notification } = loadWorker();
    const text = JSON.stringify({ title: "Trip to Rome", body: "Bob added Pizza €32.40", group: "g1", record: "e7" });
    const waits: Promise<unknown>[] = [];
    listeners.get("push")?.({ data: { text: () => text }, waitUntil: (p: Promise<unknown>) => waits.push(p) });
    await Promise.all(waits);
    expect(shown).toEqual([
      {
        title: "Trip to Rome",
        options: expect.objectContaining({ body: "Bob added Pizza €32.40", tag: "e7", data: { url: "./?group=g1&record=e7" } }),
      },
    ]);
    expect(notification("not json")).toBeNull();
  });

  it("Hostile member: a push that is not a GFMS message shows nothing; long text is cut", () => {
    const { listeners, shown, notification } = loadWorker();
    listeners.get("push")?.({ data: { text: () => '{"title":1}' }, waitUntil: () => undefined });
    listeners.get("push")?.({ data: null, waitUntil: () => undefined });
    expect(shown).toEqual([]);
    const long = notification(JSON.stringify({ title: "t".repeat(500), body: "b".repeat(500) }));
    expect(long?.title.length).toBe(120);
    expect(long?.options.body.length).toBe(240);
    expect(long?.options.data.url).toBe("./");
  });

  it("words the change in the receiver's language (chosen on the phone, else the browser's), whatever the sender's", async () => {
    const said = { kind: "added", author: "Bob", title: "Pizza", money: { minor: 3240, currency: "EUR", exp: 2 } };
    const text = JSON.stringify({ title: "Rome", body: "Bob a ajouté Pizza 32,40 €", group: "g1", record: "e7", said });
    const space = (s: string | undefined) => s?.replace(/[\u00a0\u202f]/g, " ");
    // the app saved "de" in the worker's cache; the browser says French
    const saved = { open: async () => ({ match: async (url: string) => (url === "https://app.example/gfms-language" ? new Response("de") : undefined) }) };
    const german = loadWorker({}, saved, ["fr-FR"]);
    const waits: Promise<unknown>[] = [];
    german.listeners.get("push")?.({ data: { text: () => text }, waitUntil: (p: Promise<unknown>) => waits.push(p) });
    await Promise.all(waits);
    expect(space((german.shown[0]?.options as { body: string }).body)).toBe("Bob hat Pizza 32,40 € hinzugefügt");
    // nothing saved: the browser's language
    const spanish = loadWorker({}, { open: async () => ({ match: async () => undefined }) }, ["es-MX", "en"]);
    spanish.listeners.get("push")?.({ data: { text: () => text }, waitUntil: (p: Promise<unknown>) => waits.push(p) });
    await Promise.all(waits);
    expect(space((spanish.shown[0]?.options as { body: string }).body)).toMatch(/^Bob añadió Pizza 32,40 (€|EUR)$/);
    const { notification } = loadWorker();
    expect(notification(JSON.stringify({ title: "Rome", body: "x", said: { kind: "settled", author: "Bob", to: "Ann", money: { minor: 1000, currency: "EUR", exp: 2 } } }), "en")?.options.body).toBe("Bob paid Ann €10.00");
    expect(notification(JSON.stringify({ title: "Rome", body: "x", said: { kind: "joined", author: "Carol" } }), "fr")?.options.body).toBe("Carol a rejoint le groupe");
  });

  it("Hostile member: fields that cannot be worded show the sender's text instead", () => {
    const { notification } = loadWorker();
    const body = (said: unknown) => notification(JSON.stringify({ title: "Rome", body: "sender's words", said }), "fr")?.options.body;
    expect(body({ kind: "toString", author: "Bob" })).toBe("sender's words");
    expect(body({ kind: "added", author: "Bob", title: "Pizza" })).toBe("sender's words"); // no amount
    expect(body({ kind: "added", author: "Bob", title: "Pizza", money: { minor: 1, currency: "not a currency", exp: 2 } })).toBe("sender's words");
    expect(body({ kind: "added", author: "Bob", title: "Pizza", money: { minor: 1.5, currency: "EUR", exp: 2 } })).toBe("sender's words");
    expect(body("added")).toBe("sender's words");
    expect(body({ kind: "joined", author: { name: "x" } })).toBe("a rejoint le groupe");
  });

  it("a tap loads the link in the open app, or opens a window when that one cannot be navigated", async () => {
    const opened: string[] = [];
    const navigated: string[] = [];
    const app = (controlled: boolean) => ({
      url: "https://app.example/?x=1",
      navigate: (u: string) => (navigated.push(u), controlled ? Promise.resolve(null) : Promise.reject(new TypeError("not controlled"))),
      focus: () => Promise.resolve(),
    });
    for (const controlled of [true, false]) {
      const clients = { matchAll: async () => [app(controlled)], openWindow: async (u: string) => void opened.push(u) };
      const { listeners } = loadWorker(clients);
      const waits: Promise<unknown>[] = [];
      listeners.get("notificationclick")?.({
        notification: { close: () => {}, data: { url: "./?group=g1&record=e7" } },
        waitUntil: (p: Promise<unknown>) => waits.push(p),
      });
      await Promise.all(waits);
    }
    expect(navigated).toEqual(["https://app.example/?group=g1&record=e7", "https://app.example/?group=g1&record=e7"]);
    expect(opened).toEqual(["https://app.example/?group=g1&record=e7"]);
  });
});
