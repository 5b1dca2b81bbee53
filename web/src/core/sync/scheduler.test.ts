import { describe, expect, it } from "vitest";
import type { SyncReport } from "../types";
import { BUSY_RETRY_MS, MAX_POLL_MS, POLL_MS, SAFETY_POLL_MS, SyncScheduler, type SchedulerEnv } from "./scheduler";

function report(over: Partial<SyncReport> = {}): SyncReport {
  return {
    sent_batches: 0,
    received_batches: 0,
    received_events: 0,
    completed_batches: 0,
    reput_shares: 0,
    relays: [
      { url: "https://r1.example", health: "up" },
      { url: "https://r2.example", health: "down" },
    ],
    pending: [],
    ...over,
  };
}

function timers() {
  const set: [() => void, number][] = [];
  const env: Partial<SchedulerEnv> = { document: null, window: null, setTimeout: (fn, ms) => set.push([fn, ms]), clearTimeout: () => {} };
  return { set, env };
}

/** Lets the round `start()` began finish. */
const settle = () => new Promise((ok) => setTimeout(ok, 0));

describe("when the app syncs", () => {
  it("relay Down: polls every 30 s, doubling to 5 min while rounds bring nothing (the core's Backoff)", async () => {
    const t = timers();
    const s = new SyncScheduler(async () => report(), t.env);
    s.start();
    await settle();
    const delays: number[] = [s.nextPollMs()];
    for (let i = 0; i < 5; i++) {
      await s.syncNow();
      delays.push(s.nextPollMs());
    }
    expect(delays).toEqual([60_000, 120_000, 240_000, MAX_POLL_MS, MAX_POLL_MS, MAX_POLL_MS]);
    expect(t.set.at(-1)?.[1]).toBe(MAX_POLL_MS);
    s.stop();
  });

  it("polls every 30 s again as soon as a round brings news, and when every relay is up", async () => {
    let next = report();
    const s = new SyncScheduler(async () => next, timers().env);
    s.start();
    await settle();
    await s.syncNow();
    expect(s.nextPollMs()).toBe(120_000);
    next = report({ received_batches: 1, received_events: 2 });
    await s.syncNow();
    expect(s.nextPollMs()).toBe(POLL_MS);
    next = report({ relays: [{ url: "https://r1.example", health: "up" }] });
    await s.syncNow();
    expect(s.nextPollMs()).toBe(POLL_MS);
    s.stop();
  });

  it("runs one round at a time and coalesces triggers into one more", async () => {
    let rounds = 0;
    let release: () => void = () => {};
    const s = new SyncScheduler(
      () =>
        new Promise<SyncReport>((ok) => {
          rounds += 1;
          release = () => ok(report());
        }),
      timers().env,
    );
    s.start(); // the group opened: a round at once
    const a = s.syncNow();
    const b = s.syncNow(true);
    expect(rounds).toBe(1);
    release();
    await new Promise((ok) => setTimeout(ok, 0));
    expect(rounds).toBe(2);
    release();
    await Promise.all([a, b]);
    expect(rounds).toBe(2);
    s.stop();
  });

  it("Two writers: a round skipped because another tab holds the group changes nothing, is tried again within seconds; the user's own ask waits for it", async () => {
    const asks: boolean[] = [];
    const t = timers();
    const s = new SyncScheduler(async (demanded) => {
      asks.push(demanded);
      return demanded ? report({ received_events: 1, received_batches: 1 }) : null;
    }, t.env);
    s.start();
    await settle();
    expect(asks).toEqual([false]);
    expect(s.status.lastReport).toBeNull();
    expect(s.status.lastError).toBeNull();
    // the other tab's round may have read the group before this tab's change: not the
    // timed round (up to a quarter of an hour with push), another try in seconds
    expect(s.nextPollMs()).toBe(BUSY_RETRY_MS);
    expect(t.set.at(-1)?.[1]).toBe(BUSY_RETRY_MS);
    await s.syncNow(true); // pull-to-refresh, the sync button
    expect(asks.at(-1)).toBe(true);
    expect(s.status.lastReport?.received_events).toBe(1);
    expect(s.nextPollMs()).toBe(POLL_MS); // a round that ran: the timer as before
    s.stop();
  });

  it("syncs on focus and when the page becomes visible, not while hidden", async () => {
    const listeners = new Map<string, () => void>();
    const doc = { visibilityState: "visible" as DocumentVisibilityState, addEventListener: (t: string, fn: () => void) => listeners.set(t, fn), removeEventListener: () => {} };
    const win = { addEventListener: (t: string, fn: () => void) => listeners.set(t, fn), removeEventListener: () => {} };
    let rounds = 0;
    const t = timers();
    const s = new SyncScheduler(
      async () => {
        rounds += 1;
        return report();
      },
      { ...t.env, document: doc as unknown as SchedulerEnv["document"], window: win as unknown as SchedulerEnv["window"] },
    );
    s.start();
    await s.syncNow();
    const before = rounds;
    listeners.get("focus")?.();
    await s.syncNow();
    expect(rounds).toBeGreaterThan(before);
    doc.visibilityState = "hidden";
    const timersBefore = t.set.length;
    await s.syncNow();
    expect(t.set.length).toBe(timersBefore); // no poll while hidden
    s.stop();
  });

  it("a round that throws shows the error in words and backs off", async () => {
    const s = new SyncScheduler(async () => {
      throw Object.assign(new Error("the group's history has not arrived yet; sync first"), { code: "not_synced" });
    }, timers().env);
    s.start();
    await s.syncNow();
    expect(s.status.lastError).toMatch(/^The group's history has not arrived yet/);
    expect(s.nextPollMs()).toBeGreaterThan(POLL_MS);
    s.stop();
  });

  it("relay Down (all): the round reached nothing, so it is not 'last connected'; offline and back online are heard", async () => {
    const listeners = new Map<string, () => void>();
    const win = { addEventListener: (t: string, fn: () => void) => listeners.set(t, fn), removeEventListener: () => {} };
    let next = report({ relays: [{ url: "https://r1.example", health: "down" }] });
    let now = 1000;
    const s = new SyncScheduler(async (_demanded, progress) => {
      progress({ receiving: 2 });
      return next;
    }, { ...timers().env, window: win as unknown as SchedulerEnv["window"], now: () => now, online: () => true });
    s.start();
    await s.syncNow();
    expect(s.status.lastReachedMs).toBe(0);
    expect(s.status.progress).toBeNull(); // cleared when the round is over
    next = report();
    now = 2000;
    await s.syncNow();
    expect(s.status.lastReachedMs).toBe(2000);
    listeners.get("offline")?.();
    expect(s.status.online).toBe(false);
    listeners.get("online")?.();
    expect(s.status.online).toBe(true);
    s.stop();
  });

  it("no polling while every relay's push socket is open; relay Down (one socket lost): polls at once again", async () => {
    const t = timers();
    let rounds = 0;
    const s = new SyncScheduler(async () => (rounds++, report({ relays: [{ url: "https://r1.example", health: "up" }] })), t.env);
    s.start();
    await settle();
    expect(t.set.at(-1)?.[1]).toBe(POLL_MS);
    s.setPushOpen(1, 2); // one of two relays can push: keep polling
    expect(s.nextPollMs()).toBe(POLL_MS);
    s.setPushOpen(2, 2);
    expect(t.set.at(-1)?.[1]).toBe(SAFETY_POLL_MS); // the timer was set again, long
    await s.syncNow(); // a push's round: still no polling after it
    expect(t.set.at(-1)?.[1]).toBe(SAFETY_POLL_MS);
    s.setPushOpen(1, 2); // a socket lost (closed, or silent past its ping)
    expect(t.set.at(-1)?.[1]).toBe(POLL_MS);
    const before = rounds;
    t.set.at(-1)?.[0]();
    await settle();
    expect(rounds).toBe(before + 1);
    s.stop();
  });

  it("Slow relay: an ack heard during a round brings one more round only if that round leaves changes waiting", async () => {
    const waiting = report({ pending: [{ batch_id: "b1", events: 1, created_ms: 0, sum_s: 0, target: 2, missing: ["ab".repeat(16)], expires_at: 0, reput: [] }] });
    let next = report();
    let rounds = 0;
    let during: (() => void) | null = null;
    const s = new SyncScheduler(async () => {
      rounds += 1;
      during?.();
      during = null;
      return next;
    }, timers().env);
    s.start();
    await settle();
    s.outboxNews(); // nothing waiting: no round
    await settle();
    expect(rounds).toBe(1);
    next = waiting;
    during = () => s.outboxNews();
    await s.syncNow(); // the ack came while the round ran, and it ended still waiting
    expect(rounds).toBe(3);
    s.outboxNews(); // between rounds, with a change waiting: a round
    await settle();
    expect(rounds).toBe(4);
    next = report();
    during = () => s.outboxNews();
    await s.syncNow(); // the round found everything delivered: no more
    expect(rounds).toBe(5);
    s.stop();
    s.outboxNews();
    expect(rounds).toBe(5);
  });
  it("a change's round: sendNow resolves once its first requests are out, and the screen hears of the round only then", async () => {
    let sendRequests: () => void = () => {};
    let finish: () => void = () => {};
    let rounds = 0;
    const s = new SyncScheduler(async (_demanded, progress) => {
      if (++rounds === 1) return report(); // the one the group's opening starts
      await new Promise<void>((ok) => (sendRequests = ok)); // sealing, the save before the upload
      progress({ receiving: 0, merged: 0, requested: true });
      await new Promise<void>((ok) => (finish = ok));
      return report();
    }, timers().env);
    s.start();
    await settle();
    const heard: boolean[] = [];
    s.subscribe((status) => heard.push(status.running));
    let sent = false;
    const sending = s.sendNow().then(() => (sent = true));
    await settle();
    expect(sent).toBe(false);
    expect(heard).toEqual([]); // no redraw before the upload
    sendRequests();
    await sending;
    expect(heard).toEqual([true]);
    // a change made while that round runs asks for one more, and waits for nothing
    await s.sendNow();
    finish();
    await settle();
    sendRequests(); // the round it asked for
    await settle();
    finish();
    await settle();
    expect(rounds).toBe(3);
    expect(s.status.running).toBe(false);
    s.stop();
  });
});
