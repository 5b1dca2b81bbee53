import { describe, expect, it, vi } from "vitest";
import { fakeFactory, scriptedRound } from "./fake";
import { isQuietFailure, MAX_POLL_MS, pollDelayMs, reconnectDelayMs, runSync, slowestByRelay, SyncScheduler, type FetchFn } from "./sync";
import type { SyncReport } from "./types";

const R1 = "https://r1.example";
const R2 = "https://r2.example";

function group() {
  return fakeFactory.create({ name: "Trip", memberName: "Ann", currency: "EUR", relays: [R1, R2], k: 2, nowMs: 1 });
}

function report(over: Partial<SyncReport> = {}): SyncReport {
  return { sent_batches: 0, received_batches: 0, received_events: 0, completed_batches: 0, reput_shares: 0, relays: [{ url: R1, health: "up" }, { url: R2, health: "down" }], pending: [], ...over };
}

describe("runSync", () => {
  it("makes the requests, saves before persisted(), turns network errors into fail()", async () => {
    const api = group();
    const round = scriptedRound([
      {
        kind: "requests",
        requests: [
          { id: 1, method: "PUT", url: `${R1}/v1/shares/x`, headers: [["content-type", "application/octet-stream"]], body: new Uint8Array([1, 2]) },
          { id: 2, method: "GET", url: `${R2}/v1/inbox`, headers: [] },
        ],
      },
      { kind: "persist" },
      { kind: "done", report: report() },
    ]);
    api.script = () => round;
    const seen: { url: string; method: string; body: number }[] = [];
    const fetchFn: FetchFn = async (url, init) => {
      seen.push({ url, method: String(init.method), body: init.body instanceof Uint8Array ? init.body.length : 0 });
      if (url.startsWith(R2)) throw new TypeError("Failed to fetch");
      return new Response("ok", { status: 201 });
    };
    let saves = 0;
    const save = async () => {
      await new Promise((ok) => setTimeout(ok, 5));
      round.log.push("saved");
      saves += 1;
    };
    const out = await runSync(api, save, fetchFn, () => 42);
    expect(saves).toBe(1);
    expect(seen).toEqual([
      { url: `${R1}/v1/shares/x`, method: "PUT", body: 2 },
      { url: `${R2}/v1/inbox`, method: "GET", body: 0 },
    ]);
    expect(round.log).toContain("handle:1:201:ok");
    expect(round.log).toContain("fail:2:Failed to fetch");
    expect(round.log.indexOf("saved")).toBeLessThan(round.log.indexOf("persisted"));
    expect(round.log.indexOf("saved")).toBeGreaterThan(round.log.indexOf("next:persist"));
    expect(out.relays[0]?.slowest_ms).toBeTypeOf("number");
    expect(out.relays[1]?.slowest_ms).toBeTypeOf("number");
  });

  it("runs the requests of a step concurrently", async () => {
    const api = group();
    api.script = () =>
      scriptedRound([
        { kind: "requests", requests: [1, 2, 3].map((id) => ({ id, method: "GET" as const, url: `${R1}/v1/${id}`, headers: [] })) },
        { kind: "done", report: report() },
      ]);
    let inFlight = 0;
    let most = 0;
    const fetchFn: FetchFn = async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((ok) => setTimeout(ok, 10));
      inFlight -= 1;
      return new Response(new Uint8Array([7]), { status: 200 });
    };
    await runSync(api, async () => {}, fetchFn);
    expect(most).toBe(3);
  });

  it("gives up on a request after 10 s", async () => {
    vi.useFakeTimers();
    try {
      const api = group();
      const round = scriptedRound([
        { kind: "requests", requests: [{ id: 9, method: "GET", url: `${R1}/v1/inbox`, headers: [] }] },
        { kind: "done", report: report() },
      ]);
      api.script = () => round;
      const hang: FetchFn = (_url, init) =>
        new Promise((_ok, fail) => init.signal?.addEventListener("abort", () => fail(new DOMException("aborted", "AbortError"))));
      const done = runSync(api, async () => {}, hang);
      await vi.advanceTimersByTimeAsync(9_999);
      expect(round.log).not.toContain("fail:9:timed out after 10 s");
      await vi.advanceTimersByTimeAsync(1);
      await done;
      expect(round.log).toContain("fail:9:timed out after 10 s");
    } finally {
      vi.useRealTimers();
    }
  });

  it("matches request timings to relays by URL prefix", () => {
    const m = slowestByRelay([R1, `${R1}/eu`, R2], [
      [`${R1}/v1/a`, 100.4],
      [`${R1}/v1/b`, 250],
      [`${R1}/eu/v1/c`, 3000],
      [`${R2}x/v1/d`, 9],
    ]);
    expect(m.get(R1)).toBe(250);
    expect(m.get(`${R1}/eu`)).toBe(3000);
    expect(m.has(R2)).toBe(false);
  });
});

describe("scheduling", () => {
  it("backs off from 30 s to 5 min", () => {
    expect(pollDelayMs(0)).toBe(30_000);
    expect(pollDelayMs(1)).toBe(60_000);
    expect(pollDelayMs(3)).toBe(240_000);
    expect(pollDelayMs(10)).toBe(MAX_POLL_MS);
    expect(reconnectDelayMs(0)).toBe(1000);
    expect(reconnectDelayMs(20)).toBe(MAX_POLL_MS);
  });

  it("backs off only when nothing arrived and a relay fails", () => {
    expect(isQuietFailure(report())).toBe(true);
    expect(isQuietFailure(report({ received_events: 3 }))).toBe(false);
    expect(isQuietFailure(report({ relays: [{ url: R1, health: "up" }] }))).toBe(false);
    expect(isQuietFailure(null)).toBe(true);
  });

  it("runs one round at a time and coalesces triggers", async () => {
    let rounds = 0;
    let release: () => void = () => {};
    const timers: [() => void, number][] = [];
    const s = new SyncScheduler(
      () =>
        new Promise<SyncReport>((ok) => {
          rounds += 1;
          release = () => ok(report());
        }),
      () => [],
      { document: null, window: null, WebSocket: null, setTimeout: (fn, ms) => timers.push([fn, ms]), clearTimeout: () => {} },
    );
    s.start();
    const a = s.syncNow();
    const b = s.syncNow();
    expect(rounds).toBe(1);
    release();
    await new Promise((ok) => setTimeout(ok, 0));
    expect(rounds).toBe(2); // the triggers during round 1 became one more round
    release();
    await Promise.all([a, b]);
    expect(rounds).toBe(2);
    // both rounds were quiet failures: the next poll waits longer than 30 s
    expect(timers.at(-1)?.[1]).toBe(60_000);
    s.stop();
  });

  it("syncs when a push socket gets a message and reconnects with backoff", async () => {
    const sockets: FakeSocket[] = [];
    class FakeSocket {
      readyState = 0;
      onopen: (() => void) | null = null;
      onmessage: (() => void) | null = null;
      onclose: (() => void) | null = null;
      constructor(public url: string, public protocols: string[]) {
        sockets.push(this);
      }
      close() {}
    }
    const timers: [() => void, number][] = [];
    let rounds = 0;
    const s = new SyncScheduler(
      async () => {
        rounds += 1;
        return report({ relays: [] });
      },
      () => [["wss://r1.example/v1/push", ["gfms.v1"]]],
      {
        document: null,
        window: null,
        WebSocket: FakeSocket as unknown as new (url: string, protocols: string[]) => WebSocket,
        setTimeout: (fn, ms) => timers.push([fn, ms]),
        clearTimeout: () => {},
      },
    );
    s.start();
    await s.syncNow();
    expect(sockets).toHaveLength(1);
    expect(sockets[0]?.protocols).toEqual(["gfms.v1"]);
    const before = rounds;
    sockets[0]?.onmessage?.();
    await s.syncNow();
    expect(rounds).toBeGreaterThan(before);
    sockets[0]?.onclose?.();
    const retry = timers.find(([, ms]) => ms === 1000);
    expect(retry).toBeDefined();
    retry?.[0]();
    expect(sockets).toHaveLength(2);
    s.stop();
  });
});
