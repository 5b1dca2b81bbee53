import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

type Shown = { title: string; options: { body: string; tag?: string; data: { url: string } } } | null;
type Listener = (event: unknown) => void;

/** Runs public/push-sw.js against a fake service worker global. */
function loadWorker(clients: unknown = {}) {
  const listeners = new Map<string, Listener>();
  const shown: { title: string; options: unknown }[] = [];
  const self: Record<string, unknown> = {
    addEventListener: (type: string, fn: Listener) => listeners.set(type, fn),
    registration: {
      scope: "https://app.example/",
      showNotification: (title: string, options: unknown) => {
        shown.push({ title, options });
        return Promise.resolve();
      },
    },
  };
  const source = readFileSync(new URL("../../public/push-sw.js", import.meta.url), "utf8");
  new Function("self", "clients", source)(self, clients);
  const notification = self.gfmsNotification as (text: string) => Shown;
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
