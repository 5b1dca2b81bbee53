import { describe, expect, it } from "vitest";
import { core, lisbon, round } from "../test/groups";
import { announceJoin, joinMarks } from "./joined";
import type { Change } from "./notify";

describe("the 'joined' notification", () => {
  it("is sent once by the newcomer, when its first rounds brought the history; never for the group's creator", async () => {
    const trip = await lisbon();
    const marks = joinMarks();
    const sent: Change[] = [];
    const send = async (_api: unknown, change: Change) => void sent.push(change);
    // Carol joins: her phone marks the group, but the history has not arrived yet
    const carol = core.join(trip.ann.inviteCode(), "Carol", trip.net.clock.now);
    marks.mark(carol.groupKey());
    expect(await announceJoin(carol, marks, send)).toBe(false);
    await round(carol, trip.net); // she announces herself
    await round(trip.ann, trip.net); // Ann answers with the history
    await round(carol, trip.net); // it arrives
    expect(await announceJoin(carol, marks, send)).toBe(true);
    expect(sent).toEqual([{ kind: "joined", author: "Carol" }]);
    expect(await announceJoin(carol, marks, send)).toBe(false); // once
    // Ann created the group and Bob joined before: no mark, nothing sent
    expect(await announceJoin(trip.ann, marks, send)).toBe(false);
    expect(await announceJoin(trip.bob, marks, send)).toBe(false);
    expect(sent).toHaveLength(1);
  });

  it("the mark survives a restart (the history may arrive in a later session)", () => {
    const saved = new Map<string, string>();
    const storage = { getItem: (k: string) => saved.get(k) ?? null, setItem: (k: string, v: string) => void saved.set(k, v) };
    joinMarks(storage).mark("0a");
    expect(joinMarks(storage).take("0a")).toBe(true);
    expect(joinMarks(storage).take("0a")).toBe(false);
  });
});
