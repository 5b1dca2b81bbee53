import { describe, expect, it } from "vitest";
import { messageFor, notify, type Recipient } from "./notify";

const group = { id: "g1", name: "Rome" };
const sub = {
  endpoint: "https://fcm.googleapis.com/fcm/send/x",
  p256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
  auth: "BTBZMqHH6r4Tts7J_aSIgg",
};

describe("notifications", () => {
  it("say what happened, in the member's words", () => {
    expect(messageFor(group, { kind: "added", author: "Bob", title: "Pizza", amount: "€32.40", money: { minor: 3240, currency: "EUR", exp: 2 }, record: "e1" })).toEqual({
      title: "Rome",
      body: "Bob added Pizza €32.40",
      group: "g1",
      record: "e1",
      // the fields the receiver's service worker words in its own language
      said: { kind: "added", author: "Bob", title: "Pizza", money: { minor: 3240, currency: "EUR", exp: 2 } },
    });
    expect(messageFor(group, { kind: "settled", author: "Bob", to: "Ann", amount: "€10.00", record: "p1" }).body).toBe(
      "Bob paid Ann €10.00",
    );
    expect(messageFor(group, { kind: "joined", author: "Carol" }).body).toBe("Carol joined the group");
  });

  it("Slow relay: never to yourself, only ciphertext, and the next relay carries it when the first is down", async () => {
    const calls: { url: string; body: string }[] = [];
    const fake = (async (url: string, init: RequestInit) => {
      calls.push({ url, body: String(init.body) });
      if (url.startsWith("https://down")) throw new TypeError("network");
      return new Response(JSON.stringify({ status: 201 }), { status: 200 });
    }) as unknown as typeof fetch;
    const recipients: Recipient[] = [
      { member: "me", subscription: sub },
      { member: "ann", subscription: sub },
    ];
    const message = messageFor(group, { kind: "added", author: "Bob", title: "Pizza", amount: "€32.40", record: "e1" });
    const relays = [
      { url: "https://down.example/v1/groups/g1/push", token: "t1" },
      { url: "https://up.example/v1/groups/g9/push", token: "t2" },
    ];
    const out = await notify("me", recipients, message, relays, fake);
    expect(out).toEqual([{ member: "ann", status: 201 }]);
    expect(calls.map((c) => c.url)).toEqual(["https://down.example/v1/groups/g1/push", "https://up.example/v1/groups/g9/push"]);
    for (const c of calls) expect(c.body).not.toContain("Pizza");
  });

  it("Slow relay: a subscription made with one relay's VAPID key goes only through that relay", async () => {
    const urls: string[] = [];
    const fake = (async (url: string) => {
      urls.push(url);
      if (url.startsWith("https://b.example")) throw new TypeError("down");
      return new Response(JSON.stringify({ status: 201 }), { status: 200 });
    }) as unknown as typeof fetch;
    const relays = [
      { url: "https://a.example/v1/groups/g1/push", token: "t1" },
      { url: "https://b.example/v1/groups/g2/push", token: "t2" },
    ];
    const message = messageFor(group, { kind: "joined", author: "Carol" });
    const bound = [{ member: "ann", subscription: { ...sub, relay: "https://b.example" } }];
    expect(await notify("me", bound, message, relays, fake)).toEqual([{ member: "ann", error: "no relay could forward it" }]);
    expect(urls).toEqual(["https://b.example/v1/groups/g2/push"]);
  });
});
