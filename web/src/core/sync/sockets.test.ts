import { describe, expect, it } from "vitest";
import { PING_MS, PushSockets, announcesNews, inlineShare } from "./sockets";

class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  onopen: (() => void) | null = null;
  onmessage: ((e?: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  closed = false;
  sent: string[] = [];
  constructor(
    public url: string,
    public protocols: string[],
  ) {
    FakeSocket.all.push(this);
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
  close() {
    this.closed = true;
  }
  send(data: string) {
    this.sent.push(data);
  }
}

function setup(endpoints: [string, string[]][]) {
  FakeSocket.all = [];
  const timers: [() => void, number][] = [];
  const events = { pushes: 0, outbox: 0, open: [] as number[], total: 0 };
  let eps = endpoints;
  const push = new PushSockets(
    () => eps,
    { onPush: () => (events.pushes += 1), onOutbox: () => (events.outbox += 1), onCount: (n, total) => (events.open.push(n), (events.total = total)) },
    { WebSocket: FakeSocket as unknown as new (url: string, protocols: string[]) => WebSocket, setTimeout: (fn, ms) => timers.push([fn, ms]), clearTimeout: () => {} },
  );
  return { push, timers, events, setEndpoints: (e: [string, string[]][]) => (eps = e) };
}

describe("push sockets", () => {
  it("offer a share a push carries inline before asking for a round; a push without bytes only asks", () => {
    FakeSocket.all = [];
    const calls: string[] = [];
    const url = "wss://r1.example/v1/groups/a/ws?member=m";
    const push = new PushSockets(
      () => [[url, ["gfms.v1", "bearer.x"]]],
      { onPush: () => calls.push("round"), onShare: (u, id, bytes) => calls.push(`offer ${u} ${id} ${bytes}`), onCount: () => {} },
      { WebSocket: FakeSocket as unknown as new (url: string, protocols: string[]) => WebSocket, setTimeout: () => 0, clearTimeout: () => {} },
    );
    push.refresh();
    FakeSocket.all[0]?.open();
    FakeSocket.all[0]?.onmessage?.({ data: JSON.stringify({ type: "share_put", id: "s1", bytes: "AAE" }) });
    expect(calls).toEqual([`offer ${url} s1 AAE`, "round"]);
    // an older relay, or a share over the inline limit: a round only
    FakeSocket.all[0]?.onmessage?.({ data: JSON.stringify({ type: "share_put", id: "s2" }) });
    expect(calls.slice(2)).toEqual(["round"]);
    // bytes on anything but a share_put are not a share
    expect(inlineShare(JSON.stringify({ type: "share_acked", id: "s1", bytes: "AAE" }))).toBeNull();
    expect(inlineShare("not json")).toBeNull();
    expect(inlineShare(JSON.stringify({ type: "share_put", id: "s1", bytes: 7 }))).toBeNull();
    push.close();
  });

  it("open one socket per relay with its subprotocols; a message asks for a round", () => {
    const { push, events } = setup([
      ["wss://r1.example/v1/groups/a/ws", ["gfms.v1", "bearer.x"]],
      ["wss://r2.example/v1/groups/b/ws", ["gfms.v1", "bearer.y"]],
    ]);
    push.refresh();
    expect(FakeSocket.all.map((s) => s.protocols[0])).toEqual(["gfms.v1", "gfms.v1"]);
    FakeSocket.all[0]?.open();
    expect(events.open.at(-1)).toBe(1);
    FakeSocket.all[0]?.onmessage?.();
    expect(events.pushes).toBe(1);
    push.refresh(); // same endpoints: nothing reopens
    expect(FakeSocket.all).toHaveLength(2);
    push.close();
    expect(FakeSocket.all.every((s) => s.closed)).toBe(true);
  });

  it("relay Down: reconnects after 1 s, 2 s, 4 s …, and from 1 s again once it was open", () => {
    const { push, timers } = setup([["wss://r1.example/ws", ["gfms.v1"]]]);
    push.refresh();
    for (let i = 0; i < 3; i++) {
      FakeSocket.all.at(-1)?.drop();
      timers.at(-1)?.[0]();
    }
    expect(timers.map(([, ms]) => ms)).toEqual([1000, 2000, 4000]);
    FakeSocket.all.at(-1)?.open();
    FakeSocket.all.at(-1)?.drop();
    expect(timers.at(-1)?.[1]).toBe(1000);
    push.close();
  });

  it("reopens when the relays change", () => {
    const { push, setEndpoints } = setup([["wss://r1.example/ws", ["gfms.v1"]]]);
    push.refresh();
    setEndpoints([["wss://r9.example/ws", ["gfms.v1"]]]);
    push.refresh();
    expect(FakeSocket.all.map((s) => [s.url, s.closed])).toEqual([
      ["wss://r1.example/ws", true],
      ["wss://r9.example/ws", false],
    ]);
    push.close();
  });

  it("no round for a push that only says a share was acked or deleted, nor for a pong; acks and expiries go to the outbox", () => {
    const { push, events } = setup([["wss://r1.example/ws", ["gfms.v1"]]]);
    push.refresh();
    const ws = FakeSocket.all[0];
    ws?.open();
    ws?.onmessage?.({ data: JSON.stringify({ type: "share_deleted", id: "ab".repeat(16), reason: "acked" }) });
    ws?.onmessage?.({ data: JSON.stringify({ type: "share_deleted", id: "ab".repeat(16), reason: "deleted" }) });
    ws?.onmessage?.({ data: JSON.stringify({ type: "share_acked", id: "ab".repeat(16) }) });
    ws?.onmessage?.({ data: JSON.stringify({ type: "share_deleted", id: "ab".repeat(16), reason: "expired" }) });
    ws?.onmessage?.({ data: "pong" });
    expect(events.pushes).toBe(0);
    // acked or expired: news for the share's sender only (the scheduler decides)
    expect(events.outbox).toBe(3);
    ws?.onmessage?.({ data: JSON.stringify({ type: "share_put", id: "ab".repeat(16) }) });
    expect(events.pushes).toBe(1);
    // a newer relay's message this version does not know: sync, to be safe
    expect(announcesNews(JSON.stringify({ type: "share_moved" }))).toBe(true);
    expect(announcesNews("not json")).toBe(true);
    push.close();
  });

  it("relay Forgetful (its push socket dies silently): unanswered pings count it closed, and it reconnects", () => {
    const { push, timers, events } = setup([["wss://r1.example/ws", ["gfms.v1"]]]);
    push.refresh();
    const ws = FakeSocket.all[0];
    ws?.open();
    expect([events.open.at(-1), events.total]).toEqual([1, 1]);
    // the first beat pings; the relay answers, so the second beat pings again
    timers.at(-1)?.[0]();
    expect(ws?.sent).toEqual(["ping"]);
    ws?.onmessage?.({ data: "pong" });
    timers.at(-1)?.[0]();
    expect(ws?.sent).toEqual(["ping", "ping"]);
    expect(timers.at(-1)?.[1]).toBe(PING_MS);
    // now the relay is silent (no close event ever comes): the next beat gives up on it
    timers.at(-1)?.[0]();
    expect(ws?.closed).toBe(true);
    expect(events.open.at(-1)).toBe(0);
    expect(timers.at(-1)?.[1]).toBe(1000); // reconnecting
    timers.at(-1)?.[0]();
    expect(FakeSocket.all).toHaveLength(2);
    // reopened: news may have come while it was down, so a round
    FakeSocket.all[1]?.open();
    expect(events.pushes).toBe(1);
    push.close();
  });
});
