import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

type Shown = { title: string; options: { body: string; tag?: string; data: { url: string } } } | null;
type Listener = (event: unknown) => void;

/** Runs public/push-sw.js against a fake service worker global. */
function loadWorker() {
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
  new Function("self", "clients", source)(self, {});
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
});
