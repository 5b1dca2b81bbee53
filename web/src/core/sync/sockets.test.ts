import { describe, expect, it } from "vitest";
import { PushSockets } from "./sockets";

class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  onopen: (() => void) | null = null;
  onmessage: (() => void) | null = null;
  onclose: (() => void) | null = null;
  closed = false;
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
}

function setup(endpoints: [string, string[]][]) {
  FakeSocket.all = [];
  const timers: [() => void, number][] = [];
  const events = { pushes: 0, open: [] as number[] };
  let eps = endpoints;
  const push = new PushSockets(
    () => eps,
    { onPush: () => (events.pushes += 1), onCount: (n) => events.open.push(n) },
    { WebSocket: FakeSocket as unknown as new (url: string, protocols: string[]) => WebSocket, setTimeout: (fn, ms) => timers.push([fn, ms]), clearTimeout: () => {} },
  );
  return { push, timers, events, setEndpoints: (e: [string, string[]][]) => (eps = e) };
}

describe("push sockets", () => {
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
});
