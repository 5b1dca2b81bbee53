import { describe, expect, it } from "vitest";
import { IDLE, type SyncStatus } from "./sync/scheduler";
import { listNames, memberSync, memberSyncText, syncLook, waitingLines } from "./syncText";
import type { GroupState, PendingBatch, SyncReport } from "./types";
import { SETTLED_DEVICE } from "../test/state";

const state: GroupState = {
  settings: { name: "Trip", currency: "EUR", categories: [], accounts: [] },
  members: { a: { name: "Ann", status: "active" }, b: { name: "Bob", status: "active" }, c: { name: "Carol", status: "active" }, d: { name: "Dan", status: "left" } },
  expenses: {},
  settlements: {},
  relays: [["https://r1.example", "https://r2.example"], 2],
  warnings: [],
  device: SETTLED_DEVICE,
};

const batch = (events: number, missing: string[]): PendingBatch => ({ batch_id: "x", events, created_ms: 0, sum_s: 0, target: 4, missing, expires_at: 0, reput: [] });

function report(over: Partial<SyncReport> = {}): SyncReport {
  return { sent_batches: 0, received_batches: 0, received_events: 0, completed_batches: 0, reput_shares: 0, relays: [{ url: "https://r1.example", health: "up" }], pending: [], ...over };
}
const status = (over: Partial<SyncStatus>): SyncStatus => ({ ...IDLE, ...over });

describe("sync in words", () => {
  it("says offline when the browser is, and when every relay is down, in words about the phone", () => {
    expect(syncLook(status({ online: false, lastReport: report() })).long).toBe("You're offline — changes are saved on this phone and will be sent");
    const down = syncLook(status({ lastReport: report({ relays: [{ url: "https://r1.example", health: "down" }, { url: "https://r2.example", health: "down" }] }) }));
    expect(down).toMatchObject({ state: "offline", short: "Offline" });
    expect(down.long).toMatch(/changes are saved on this phone and will be sent/);
    expect(down.long).not.toMatch(/relay/i);
  });

  it("counts changes and names who they wait for, never batches", () => {
    const look = syncLook(status({ lastReport: report({ pending: [batch(2, ["c"]), batch(1, ["b", "c"])] }) }), state);
    expect(look).toMatchObject({ state: "waiting", short: "Sending", long: "3 changes waiting for Bob and Carol" });
  });

  it("catching up is shown as progress", () => {
    expect(syncLook(status({ running: true, progress: { receiving: 18 } })).long).toBe("Receiving 18 updates…");
    expect(syncLook(status({ running: true })).long).toBe("Syncing…");
  });

  it("one line per member still waiting, with when they were last active", () => {
    const now = new Date(2026, 11, 3, 12); // a Thursday
    const lines = waitingLines([batch(2, ["c"]), batch(1, ["c", "b"])], state, { c: new Date(2026, 11, 1, 9).getTime() }, now);
    expect(lines.map((l) => l.text)).toEqual(["1 change waiting for Bob · has not synced yet", "3 changes waiting for Carol · last active on Tuesday"]);
  });

  it("Clock skew: a member's clock a day ahead is not 'active tomorrow'", () => {
    const now = new Date(2026, 11, 3, 12);
    const [line] = waitingLines([batch(1, ["b"])], state, { b: now.getTime() + 86_400_000 }, now);
    expect(line?.text).toBe("1 change waiting for Bob · last active today");
  });

  it("members: this phone, has everything, changes on the way, left", () => {
    const pending = [batch(2, ["b"])];
    expect(memberSyncText(memberSync("a", "a", state, pending))).toBe("this phone");
    expect(memberSyncText(memberSync("b", "a", state, pending))).toBe("2 changes on the way");
    expect(memberSyncText(memberSync("c", "a", state, pending))).toBe("has everything from this phone");
    expect(memberSyncText(memberSync("d", "a", state, pending))).toBe("left the group");
  });

  it("lists names as a sentence does", () => {
    expect([listNames(["Bob"]), listNames(["Bob", "Carol"]), listNames(["Ann", "Bob", "Carol"])]).toEqual(["Bob", "Bob and Carol", "Ann, Bob and Carol"]);
  });
});
