import { describe, expect, it } from "vitest";
import type { GroupApi } from "../core/types";
import { deadEndpoints, MAX_DEAD } from "./dead";
import { renewOwnSubscription, type BrowserPush } from "./renew";
import { notifyChange } from "./send";

const key = {
  p256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
  auth: "BTBZMqHH6r4Tts7J_aSIgg",
};
const ann = { endpoint: "https://web.push.apple.com/ann", ...key };
const cat = { endpoint: "https://fcm.googleapis.com/fcm/send/cat", ...key };

function group(push: Record<string, typeof ann>): GroupApi {
  return {
    me: () => "me",
    groupKey: () => "0a1b",
    state: () => ({
      settings: { name: "Rome", currency: "EUR", categories: [], accounts: [] },
      members: { me: { name: "Me", status: "active" }, ann: { name: "Ann", status: "active" }, cat: { name: "Cat", status: "active" } },
      relays: [["https://relay-a.example"], 2],
      push,
    }),
    pushEndpoints: () => [["wss://relay-a.example/v1/groups/g1/ws?member=m", ["gfms.v1", "bearer.aa"]]],
  } as unknown as GroupApi;
}

/** A relay in front of a push service that forgot Ann's subscription (410). */
function relay(answer: (endpoint: string) => object) {
  const sent: string[] = [];
  const fetchFn = (async (_url: string, init: RequestInit) => {
    const { endpoint } = JSON.parse(String(init.body)) as { endpoint: string };
    sent.push(endpoint);
    return new Response(JSON.stringify(answer(endpoint)), { status: 200 });
  }) as unknown as typeof fetch;
  return { sent, fetchFn };
}

const change = { kind: "added" as const, author: "Me", title: "Pizza", amount: "€32.40", record: "e1" };

describe("dead subscriptions", () => {
  it("Forgetful push service: after a 410 the sender stops sending there, and keeps sending to the others", async () => {
    const dead = deadEndpoints();
    const r = relay((e) => (e === ann.endpoint ? { status: 410, gone: true } : { status: 201 }));
    const api = group({ ann, cat });
    await notifyChange(api, change, r.fetchFn, dead);
    expect(r.sent).toEqual([ann.endpoint, cat.endpoint]);
    await notifyChange(api, change, r.fetchFn, dead);
    expect(r.sent).toEqual([ann.endpoint, cat.endpoint, cat.endpoint]);
    // Ann subscribed again (a new endpoint): she gets them again
    const renewed = { ...ann, endpoint: "https://web.push.apple.com/ann-2" };
    await notifyChange(group({ ann: renewed, cat }), change, r.fetchFn, dead);
    expect(r.sent.slice(3)).toEqual([renewed.endpoint, cat.endpoint]);
  });

  it("Forgetful push service: an older relay's bare 404 counts as gone too; a 429 or a relay that is down does not", async () => {
    const dead = deadEndpoints();
    await notifyChange(group({ ann }), change, relay(() => ({ status: 429 })).fetchFn, dead);
    await notifyChange(group({ ann }), change, (async () => { throw new TypeError("down"); }) as unknown as typeof fetch, dead);
    expect(dead.has(ann.endpoint)).toBe(false);
    await notifyChange(group({ ann }), change, relay(() => ({ status: 404 })).fetchFn, dead);
    expect(dead.has(ann.endpoint)).toBe(true);
  });

  it("the list survives a restart through storage, bounded, and a broken saved value is ignored", () => {
    const saved = new Map<string, string>();
    const storage = { getItem: (k: string) => saved.get(k) ?? null, setItem: (k: string, v: string) => void saved.set(k, v) };
    deadEndpoints(storage).add([ann.endpoint]);
    expect(deadEndpoints(storage).has(ann.endpoint)).toBe(true);
    const many = Array.from({ length: MAX_DEAD + 5 }, (_, i) => `https://fcm.googleapis.com/x/${i}`);
    deadEndpoints(storage).add(many);
    const after = deadEndpoints(storage);
    expect(after.has(ann.endpoint)).toBe(false);
    expect(after.has(many.at(-1) ?? "")).toBe(true);
    saved.set("gfms-dead-push-endpoints", "{not json");
    expect(deadEndpoints(storage).has(ann.endpoint)).toBe(false);
  });
});

describe("the owner's subscription when the app opens", () => {
  function owner(mine: typeof ann | undefined) {
    const calls: (typeof ann | null)[] = [];
    const api = { ...group(mine ? { me: mine } : {}) } as GroupApi;
    const mutate = async <T,>(fn: (a: GroupApi, now: number) => T): Promise<T> =>
      fn({ setPush: (s: typeof ann | null) => void calls.push(s) } as unknown as GroupApi, 0);
    return { api, mutate, calls };
  }
  const browser = (endpoint: string | null, permission: NotificationPermission): BrowserPush => ({
    permission: () => permission,
    endpoint: async () => endpoint,
    subscribe: async () => ({ ...ann, endpoint: "https://web.push.apple.com/fresh", relay: "https://relay-a.example" }),
  });

  it("Forgetful push service: the browser dropped the subscription; still allowed: subscribes again and puts it in the ledger", async () => {
    const o = owner(ann);
    expect(await renewOwnSubscription(o.api, o.mutate, browser(null, "granted"))).toBe("renewed");
    expect(o.calls.map((c) => c?.endpoint)).toEqual(["https://web.push.apple.com/fresh"]);
  });

  it("permission taken back: notifications off for the group, so nobody encrypts for nothing", async () => {
    const o = owner(ann);
    expect(await renewOwnSubscription(o.api, o.mutate, browser(null, "denied"))).toBe("off");
    expect(o.calls).toEqual([null]);
  });

  it("the same subscription, or notifications off: nothing to do", async () => {
    const same = owner(ann);
    expect(await renewOwnSubscription(same.api, same.mutate, browser(ann.endpoint, "granted"))).toBe("kept");
    const off = owner(undefined);
    expect(await renewOwnSubscription(off.api, off.mutate, browser(null, "granted"))).toBe("none");
    expect([...same.calls, ...off.calls]).toEqual([]);
  });
});
