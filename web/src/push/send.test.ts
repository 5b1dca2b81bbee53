import { describe, expect, it } from "vitest";
import type { GroupApi } from "../core/types";
import { notifyChange } from "./send";

const sub = {
  endpoint: "https://web.push.apple.com/ann",
  p256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
  auth: "BTBZMqHH6r4Tts7J_aSIgg",
};

function fakeApi(push: Record<string, typeof sub>): GroupApi {
  return {
    me: () => "me",
    state: () => ({
      settings: { name: "Rome", currency: "EUR", categories: [], accounts: [] },
      members: { me: { name: "Me", status: "active" }, ann: { name: "Ann", status: "active" } },
      push,
    }),
    pushEndpoints: () => [["wss://relay-a.example/v1/groups/g1/ws?member=m", ["gfms.v1", "bearer.aa"]]],
  } as unknown as GroupApi;
}

describe("notifying after a change", () => {
  it("sends to the other members who turned it on, through the group's relay", async () => {
    const urls: string[] = [];
    const fake = (async (url: string) => {
      urls.push(url);
      return new Response(JSON.stringify({ status: 201 }), { status: 200 });
    }) as unknown as typeof fetch;
    const change = { kind: "added" as const, author: "Me", title: "Pizza", amount: "€32.40", record: "e1" };
    await notifyChange(fakeApi({ me: sub, ann: sub }), change, fake);
    expect(urls).toEqual(["https://relay-a.example/v1/groups/g1/push"]);
    await notifyChange(fakeApi({ me: sub }), change, fake);
    expect(urls.length).toBe(1);
  });

  it("Slow relay: a relay that fails never fails the change", async () => {
    const broken = (async () => {
      throw new TypeError("offline");
    }) as unknown as typeof fetch;
    const change = { kind: "joined" as const, author: "Me" };
    await expect(notifyChange(fakeApi({ ann: sub }), change, broken)).resolves.toBeUndefined();
    const throwing = { me: () => { throw new Error("closed"); } } as unknown as GroupApi;
    await expect(notifyChange(throwing, change, broken)).resolves.toBeUndefined();
  });
});
