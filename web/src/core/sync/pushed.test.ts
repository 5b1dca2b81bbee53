// What a pushed expense costs the receiver's phone in requests, with the real core over
// the fake network and the phone wired as the Shell wires it (scheduler, push sockets,
// the pushed bytes offered to the core). Each relay pushes `share_put` with the share's
// bytes; the record shows from the pushes alone, and the rounds they ask for ack it.
import { describe, expect, it } from "vitest";
import { expense, lisbon, round } from "../../test/groups";
import type { FakeNetwork } from "../../test/network";
import type { GroupApi } from "../types";
import { runSync } from "./driver";
import { OwnShares } from "./own";
import { SyncScheduler, type SchedulerEnv } from "./scheduler";
import { PushSockets } from "./sockets";

/** Timers the test fires itself. */
function timers() {
  let next = 1;
  const pending = new Map<number, [() => void, number]>();
  return {
    env: { setTimeout: (fn: () => void, ms: number) => (pending.set(next, [fn, ms]), next++), clearTimeout: (h: unknown) => void pending.delete(h as number) },
    /** fires the timers set so far that are due within a minute (not the safety round) */
    fire: () => {
      const due = [...pending].filter(([, [, ms]]) => ms <= 60_000);
      for (const [h, [fn]] of due) (pending.delete(h), fn());
    },
  };
}

/** Bob's phone as the Shell wires it; `rounds` counts the rounds it ran. */
function phone(api: GroupApi, net: FakeNetwork) {
  const clock = timers();
  const env: Partial<SchedulerEnv> = { document: null, window: null, online: () => true, ...clock.env };
  const own = new OwnShares();
  let rounds = 0;
  const s = new SyncScheduler(() => (rounds++, runSync(api, async () => {}, own.watch(net.fetch), () => net.clock.now)), env);
  const onShare = (url: string, id: string, bytes: string) => api.offerShare(url, id, bytes, net.clock.now);
  const sockets = new PushSockets(
    () => api.pushEndpoints(),
    { onPush: (inline) => s.pushNews(inline), onShare, onOutbox: (id) => (id === null || own.has(id)) && s.outboxNews(), onCount: (n, total) => s.setPushOpen(n, total) },
    { WebSocket: net.WebSocket, setTimeout: () => 0, clearTimeout: () => {} },
  );
  s.usePush(sockets);
  return { s, rounds: () => rounds, fire: clock.fire };
}

/** Lets queued socket messages and the rounds they start run to their end. */
async function idle(s: SyncScheduler): Promise<void> {
  for (let i = 0; i < 100; i++) {
    await new Promise((ok) => setTimeout(ok, 0));
    if (!s.status.running) return;
  }
}

/** Every request the relays answered, over all relays. */
const requests = (net: FakeNetwork) => net.relays.reduce((n, r) => n + r.log.length, 0);

/** Ann saves an expense and her round puts it; each relay's `share_put` push, with the bytes. */
async function annPuts(net: FakeNetwork, ann: GroupApi, bobId: string, shop: string): Promise<string[]> {
  const held = (r: FakeNetwork["relays"][0]) => new Set([...r.groups.values()].flatMap((g) => [...g.shares.keys()]));
  const before = net.relays.map(held);
  ann.addExpense(expense(ann.me(), [ann.me(), bobId], 1250, shop), net.clock.now);
  await round(ann, net);
  return net.relays.flatMap((r, i) =>
    [...r.groups.values()].flatMap((g) => [...g.shares].filter(([id]) => !before[i]?.has(id)).map(([id, s]) => JSON.stringify({ type: "share_put", id, bytes: s.data }))),
  );
}

/** Relay `i` pushes `message` to every socket it holds. */
const push = (net: FakeNetwork, i: number, message: string) => {
  for (const socket of net.relays[i]?.sockets ?? []) socket(message);
};

describe("a pushed expense on the receiver's phone", () => {
  it("shows from the pushes, then costs one round: a listing per relay carrying every ack, whether the pushes come together or apart", async () => {
    for (const apart of [false, true]) {
      const { net, ann, bob, bobId } = await lisbon();
      const { s, rounds, fire } = phone(bob, net);
      s.start();
      await idle(s);
      expect(s.status.pushOpen).toBe(3);
      const shop = apart ? "Tram" : "Bakery";
      const messages = await annPuts(net, ann, bobId, shop);
      expect(messages).toHaveLength(3);
      const [before, roundsBefore] = [requests(net), rounds()];
      for (const [i, m] of messages.entries()) {
        push(net, i, m);
        if (apart) await idle(s); // the next relay's push comes after this one's round
      }
      await idle(s);
      expect(bob.expenses({}).map(([, e]) => e.shop)).toContain(shop);
      fire(); // any round held back for more pushes
      await idle(s);
      const log = net.relays.flatMap((r) => r.log.slice(-8));
      expect({ rounds: rounds() - roundsBefore, requests: requests(net) - before }, `${apart ? "apart" : "together"}: ${log.join(", ")}`).toEqual({ rounds: 1, requests: 3 });
      // Ann's next round finds her expense acked at every relay: delivered
      await round(ann, net);
      expect((await round(ann, net)).pending).toEqual([]);
      s.stop();
    }
  });

  it("Lossy relay: a push without the bytes (a share over 8 KiB, or a relay that sends none) runs the round at once, which fetches and shows it", async () => {
    const { net, ann, bob, bobId } = await lisbon();
    const { s, rounds } = phone(bob, net);
    s.start();
    await idle(s);
    const [first] = await annPuts(net, ann, bobId, "Ferry");
    const { id } = JSON.parse(first ?? "{}") as { id: string };
    const before = rounds();
    push(net, 0, JSON.stringify({ type: "share_put", id }));
    await idle(s);
    expect(rounds()).toBe(before + 1);
    expect(bob.expenses({}).map(([, e]) => e.shop)).toContain("Ferry");
    s.stop();
  });
});
