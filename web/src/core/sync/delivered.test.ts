// The sender's phone after its change reached the other phone, with the real core over
// the fake network and its push sockets: on a slow network the receiver acks after the
// sender's round asked for the status, and only the relay's push can tell the sender.
import { describe, expect, it } from "vitest";
import { expense, lisbon, round } from "../../test/groups";
import { syncLook } from "../syncText";
import { SyncScheduler, type SchedulerEnv } from "./scheduler";
import { PushSockets } from "./sockets";

const env: Partial<SchedulerEnv> = { document: null, window: null, setTimeout: () => 0, clearTimeout: () => {}, online: () => true };

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
    let annRounds = 0;
    const s = new SyncScheduler(() => (annRounds++, round(ann, net)), env);
    const sockets = new PushSockets(
      () => ann.pushEndpoints(),
      { onPush: () => void s.syncNow(), onOutbox: () => s.outboxNews(), onCount: (n, total) => s.setPushOpen(n, total) },
      { WebSocket: net.WebSocket, setTimeout: () => 0, clearTimeout: () => {} },
    );
    s.usePush(sockets);
    s.start();
    await idle(s);
    expect(s.status.pushOpen).toBe(3);

    ann.addExpense(expense(ann.me(), [ann.me(), bobId], 3240, "Pizza"), net.clock.now);
    await s.syncNow(); // Ann's round: put, list, status — Bob has not acked yet
    expect(syncLook(s.status).state).toBe("waiting");
    const before = annRounds;

    await round(bob, net); // Bob receives and acks: the relays say so to every socket
    await idle(s);
    expect(annRounds).toBe(before + 1);
    expect(syncLook(s.status).state).toBe("ok");
    s.stop();
  });

  it("Slow relay: a phone with nothing waiting runs no round for others' acked shares (no requests for nothing)", async () => {
    const { net, ann, bob } = await lisbon();
    let bobRounds = 0;
    const s = new SyncScheduler(() => (bobRounds++, round(bob, net)), env);
    const sockets = new PushSockets(
      () => bob.pushEndpoints(),
      { onPush: () => void s.syncNow(), onOutbox: () => s.outboxNews(), onCount: (n, total) => s.setPushOpen(n, total) },
      { WebSocket: net.WebSocket, setTimeout: () => 0, clearTimeout: () => {} },
    );
    s.usePush(sockets);
    s.start();
    await idle(s);
    ann.addExpense(expense(ann.me(), [ann.me()], 500, "Kiosk"), net.clock.now);
    await round(ann, net);
    await s.syncNow(); // Bob receives it and acks: the relays push "acked" to every socket
    const after = bobRounds;
    await idle(s);
    expect(s.status.lastReport?.received_batches).toBe(1);
    expect(bobRounds).toBe(after);
    s.stop();
  });
});
