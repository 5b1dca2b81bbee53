import { describe, expect, it } from "vitest";
import { forwardersOf, recipientsOf } from "./recipients";

const sub = { endpoint: "https://web.push.apple.com/x", p256dh: "B", auth: "A" };

describe("who gets a notification and which relays carry it", () => {
  it("never yourself, never a member who left, only members who turned it on", () => {
    const members = {
      me: { name: "Me", status: "active" as const },
      ann: { name: "Ann", status: "active" as const },
      bob: { name: "Bob", status: "left" as const },
      cat: { name: "Cat", status: "active" as const },
    };
    const push = { me: sub, ann: sub, bob: sub };
    expect(recipientsOf({ members, push }, "me")).toEqual([{ member: "ann", subscription: sub }]);
    expect(recipientsOf({ members }, "me")).toEqual([]);
  });

  it("maps each relay's push socket to its forwarding base and token", () => {
    const f = forwardersOf([
      ["wss://relay-a.example/v1/groups/g1/ws?member=m1", ["gfms.v1", "bearer.aa"]],
      ["ws://127.0.0.1:8787/v1/groups/g1/ws?member=m2", ["gfms.v1", "bearer.bb"]],
      ["not a url", ["bearer.cc"]],
      ["wss://relay-c.example/v1/groups/g1/ws", ["gfms.v1"]],
    ]);
    expect(f).toEqual([
      { url: "https://relay-a.example/v1/groups/g1/push", token: "aa" },
      { url: "http://127.0.0.1:8787/v1/groups/g1/push", token: "bb" },
    ]);
  });
});
