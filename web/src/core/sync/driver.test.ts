import { describe, expect, it, vi } from "vitest";
import { core, expense, lisbon, RELAYS } from "../../test/groups";
import { FakeNetwork } from "../../test/network";
import type { GroupApi, SyncRoundApi } from "../types";
import { runSync, slowestByRelay, type FetchFn, type RoundProgress } from "./driver";

const [R1 = "", R2 = ""] = RELAYS;

/** Logs what the driver tells the real round. */
function logged(api: GroupApi): string[] {
  const log: string[] = [];
  const start = api.syncRound.bind(api);
  api.syncRound = (now) => {
    const real = start(now);
    const round: SyncRoundApi = {
      next() {
        const step = real.next();
        log.push(`next:${step.kind}`);
        return step;
      },
      handle(id, status, body) {
        log.push(`handle:${status}`);
        real.handle(id, status, body);
      },
      fail(id, message) {
        log.push(`fail:${message}`);
        real.fail(id, message);
      },
      persisted() {
        log.push("persisted");
        real.persisted();
      },
    };
    return round;
  };
  return log;
}

describe("the round driver on the real core", () => {
  it("relay Down: makes the round's requests, saves before persisted(), reports the relay down", async () => {
    const { net, ann, bobId } = await lisbon();
    ann.addExpense(expense(ann.me(), [ann.me(), bobId], 3000, "Market"), net.clock.now);
    net.relay(R2).down = true;
    const log = logged(ann);
    let saves = 0;
    const save = async () => {
      await new Promise((ok) => setTimeout(ok, 5));
      log.push("saved");
      saves += 1;
    };
    const report = await runSync(ann, save, net.fetch, () => net.clock.now);
    expect(report.sent_batches).toBe(1);
    expect(saves).toBeGreaterThan(0);
    expect(log.indexOf("saved")).toBeGreaterThan(log.indexOf("next:persist"));
    expect(log.indexOf("saved")).toBeLessThan(log.indexOf("persisted"));
    expect(log).toContain("fail:Failed to fetch");
    expect(report.relays.find((r) => r.url === R2)?.health).toBe("down");
    expect(report.relays.find((r) => r.url === R1)?.health).toBe("up");
    for (const r of report.relays) expect(r.slowest_ms).toBeTypeOf("number");
    // the batch reached the two relays that are up: k = 2 of them rebuild it
    expect(net.relay(R1).shareCount()).toBe(1);
  });

  it("says a record is merged as soon as it is saved, before the round's acks go out", async () => {
    const { net, ann, bob } = await lisbon();
    ann.addExpense(expense(ann.me(), [ann.me(), bob.me()], 1250, "Pastelaria"), net.clock.now);
    await runSync(ann, async () => {}, net.fetch, () => net.clock.now);
    const acks: string[] = [];
    const fetchFn: FetchFn = (url, init) => {
      if (init.method === "POST" && url.endsWith("/acks")) acks.push(url);
      return net.fetch(url, init);
    };
    const heard: [RoundProgress, number][] = [];
    const report = await runSync(bob, async () => {}, fetchFn, () => net.clock.now, (p) => heard.push([p, acks.length]));
    expect(report.received_batches).toBe(1);
    const merged = heard.find(([p]) => (p.merged ?? 0) > 0);
    expect(merged).toBeDefined();
    expect(merged?.[1]).toBe(0); // no ack had been sent when the screen could refresh
    expect(acks.length).toBeGreaterThan(0);
  });

  it("a round that fetches nothing never says it merged", async () => {
    const { net, bob } = await lisbon();
    const heard: RoundProgress[] = [];
    await runSync(bob, async () => {}, net.fetch, () => net.clock.now, (p) => heard.push(p));
    expect(heard.filter((p) => (p.merged ?? 0) > 0)).toEqual([]);
  });

  it("runs the requests of a step concurrently", async () => {
    const net = new FakeNetwork(RELAYS);
    const ann = core.create({ name: "Flat", memberName: "Ann", currency: "EUR", relays: RELAYS, k: 2, nowMs: net.clock.now });
    let inFlight = 0;
    let most = 0;
    const fetchFn: FetchFn = async (url, init) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((ok) => setTimeout(ok, 10));
      inFlight -= 1;
      return net.fetch(url, init);
    };
    await runSync(ann, async () => {}, fetchFn, () => net.clock.now);
    expect(most).toBe(RELAYS.length);
  });

  it("relay Slow: gives up on a request after 10 s and says so", async () => {
    vi.useFakeTimers();
    try {
      const net = new FakeNetwork(RELAYS);
      const ann = core.create({ name: "Flat", memberName: "Ann", currency: "EUR", relays: RELAYS, k: 2, nowMs: net.clock.now });
      const hang: FetchFn = (url, init) =>
        url.startsWith(R1)
          ? new Promise((_ok, fail) => init.signal?.addEventListener("abort", () => fail(new DOMException("aborted", "AbortError"))))
          : net.fetch(url, init);
      let done = false;
      const report = runSync(ann, async () => {}, hang, () => net.clock.now).finally(() => (done = true));
      await vi.advanceTimersByTimeAsync(9_999);
      expect(done).toBe(false);
      for (let i = 0; i < 20 && !done; i++) await vi.advanceTimersByTimeAsync(10_000);
      const r1 = (await report).relays.find((r) => r.url === R1);
      expect(r1?.health).toBe("down");
      expect(r1?.error).toMatch(/timed out after 10 s/);
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
