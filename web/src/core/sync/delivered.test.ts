// The sender's phone after its change reached the other phone, with the real core over
// the fake network and its push sockets: on a slow network the receiver acks after the
// sender's round asked for the status, and only the relay's push can tell the sender.
import { describe, expect, it } from "vitest";
import { expense, lisbon, round } from "../../test/groups";
import type { FakeNetwork } from "../../test/network";
import type { GroupApi } from "../types";
import { runSync } from "./driver";
import { OwnShares } from "./own";
import { syncLook } from "../syncText";
import { SyncScheduler, type SchedulerEnv } from "./scheduler";
import { PushSockets } from "./sockets";

const env: Partial<SchedulerEnv> = { document: null, window: null, setTimeout: () => 0, clearTimeout: () => {}, online: () => true };

/** A phone as the Shell wires it: the scheduler, its push sockets, its own shares. */
function phone(api: GroupApi, net: FakeNetwork) {
  const own = new OwnShares();
  let rounds = 0;
  const s = new SyncScheduler(() => (rounds++, runSync(api, async () => {}, own.watch(net.fetch), () => net.clock.now)), env);
  const sockets = new PushSockets(
    () => api.pushEndpoints(),
    { onPush: () => void s.syncNow(), onOutbox: (id) => (id === null || own.has(id)) && s.outboxNews(), onCount: (n, total) => s.setPushOpen(n, total) },
    { WebSocket: net.WebSocket, setTimeout: () => 0, clearTimeout: () => {} },
  );
  s.usePush(sockets);
  return { s, rounds: () => rounds };
}

/** Lets queued socket messages and the rounds they start run to their end. */
async function idle(s: SyncScheduler): Promise<void> {
  for (let i = 0; i < 50; i++) {
    await new Promise((ok) => setTimeout(ok, 0));
    if (!s.status.running) return;
  }
}

describe("a sent change shows delivered", () => {
  it("Slow relay: the receiver acks after the sender's last round; the relays' 'acked' pushes bring the sender to 'Up to date'", async () => {
    const { net, ann, bob, bobId } = await lisbon();
    const { s, rounds } = phone(ann, net);
    s.start();
    await idle(s);
    expect(s.status.pushOpen).toBe(3);

    ann.addExpense(expense(ann.me(), [ann.me(), bobId], 3240, "Pizza"), net.clock.now);
    await s.syncNow(); // Ann's round: put, list, status — Bob has not acked yet
    expect(syncLook(s.status).state).toBe("waiting");
    const before = rounds();

    await round(bob, net); // Bob receives and acks: the relays say so to every socket
    await idle(s);
    expect(rounds()).toBe(before + 1);
    expect(syncLook(s.status).state).toBe("ok");
    s.stop();
  });

  it("Slow relay: a phone with nothing waiting runs no round for others' acked shares (no requests for nothing)", async () => {
    const { net, ann, bob } = await lisbon();
    const { s, rounds } = phone(bob, net);
    s.start();
    await idle(s);
    ann.addExpense(expense(ann.me(), [ann.me()], 500, "Kiosk"), net.clock.now);
    await round(ann, net);
    await s.syncNow(); // Bob receives it and acks: the relays push "acked" to every socket
    const after = rounds();
    await idle(s);
    expect(s.status.lastReport?.received_batches).toBe(1);
    expect(rounds()).toBe(after);
    s.stop();
  });

  it("Slow relay: a phone with its own change waiting runs no round for acks of others' shares, its own acks included", async () => {
    const { net, ann, bob, bobId } = await lisbon();
    const { s, rounds } = phone(ann, net);
    s.start();
    await idle(s);
    bob.addExpense(expense(bobId, [bobId], 400, "Bread"), net.clock.now);
    await round(bob, net); // Bob's change is on the relays
    ann.addExpense(expense(ann.me(), [ann.me(), bobId], 900, "Taxi"), net.clock.now);
    const before = rounds();
    // Ann's round puts hers (it waits for Bob), receives Bob's and acks it: the relays
    // say so to every socket, Ann's too
    await s.syncNow();
    await idle(s);
    expect(s.status.lastReport?.received_batches).toBe(1);
    expect(syncLook(s.status).state).toBe("waiting");
    expect(rounds()).toBe(before + 1); // her acks of Bob's share started nothing more
    s.stop();
  });
});
