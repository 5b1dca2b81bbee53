// Shares a relay pushes with their bytes (docs/protocol.md, the push socket), with the
// real core over the fake network: the receiver's phone opens the batch from two pushed
// shares with no request, its next round acks without fetching, and the sender sees the
// change delivered. A lying relay's pushed bytes change nothing and name it tampering.
import { describe, expect, it } from "vitest";
import { RELAYS, expense, lisbon, round } from "../../test/groups";
import type { FakeNetwork } from "../../test/network";
import type { GroupApi } from "../types";

/** Every share each relay holds now: relay URL → share id → bytes (base64url). */
function held(net: FakeNetwork): Map<string, Map<string, string>> {
  return new Map(net.relays.map((r) => [r.url, new Map([...r.groups.values()].flatMap((g) => [...g.shares].map(([id, s]) => [id, s.data] as const)))]));
}

/** The shares put since `before`: what each relay's `share_put` push carries. */
function pushed(net: FakeNetwork, before: Map<string, Map<string, string>>): { relay: string; id: string; bytes: string }[] {
  const out: { relay: string; id: string; bytes: string }[] = [];
  for (const [relay, shares] of held(net)) for (const [id, bytes] of shares) if (!before.get(relay)?.has(id)) out.push({ relay, id, bytes });
  return out;
}

/** The push socket URL `api`'s app holds for `relay`. */
function socket(api: GroupApi, relay: string): string {
  const url = api.pushEndpoints().find(([u]) => u.startsWith(relay.replace(/^http/, "ws")))?.[0];
  if (!url) throw new Error(`no socket for ${relay}`);
  return url;
}

const shops = (api: GroupApi) => api.expenses({}).map(([, e]) => e.shop);
const shareFetches = (net: FakeNetwork) => net.relays.flatMap((r) => r.log).filter((l) => /^GET \/v1\/groups\/[0-9a-f]+\/shares\/[0-9a-f]+$/.test(l)).length;

describe("shares pushed with their bytes", () => {
  it("open on the receiver's phone from two pushes with no request; its next round acks without fetching and the sender sees it delivered", async () => {
    const { net, ann, bob, bobId } = await lisbon();
    const before = held(net);
    ann.addExpense(expense(ann.me(), [ann.me(), bobId], 3240, "Pizza"), net.clock.now);
    await round(ann, net);
    const shares = pushed(net, before);
    expect(shares).toHaveLength(RELAYS.length);
    const [a, b] = shares as [(typeof shares)[0], (typeof shares)[0]];

    const fetchesBefore = shareFetches(net);
    expect(bob.offerShare(socket(bob, a.relay), a.id, a.bytes, net.clock.now)).toBe("held");
    expect(shops(bob)).not.toContain("Pizza");
    expect(bob.offerShare(socket(bob, b.relay), b.id, b.bytes, net.clock.now)).toBe("merged");
    expect(shops(bob)).toContain("Pizza");

    const report = await round(bob, net);
    expect(shareFetches(net)).toBe(fetchesBefore);
    expect(report.relays.every((r) => r.health === "up")).toBe(true);
    await round(ann, net);
    expect((await round(ann, net)).pending).toEqual([]);
  });

  it("Lying relay: pushed bytes that do not authenticate change nothing, the relay is named tampering, and the round still delivers", async () => {
    const { net, ann, bob, bobId } = await lisbon();
    const before = held(net);
    ann.addExpense(expense(ann.me(), [ann.me(), bobId], 900, "Taxi"), net.clock.now);
    await round(ann, net);
    const [liar, honest] = pushed(net, before) as [{ relay: string; id: string; bytes: string }, { relay: string; id: string; bytes: string }];
    const raw = Buffer.from(liar.bytes, "base64url");
    raw[4] = (raw[4] ?? 0) ^ 1; // inside the sealed header
    expect(bob.offerShare(socket(bob, liar.relay), liar.id, raw.toString("base64url"), net.clock.now)).toBe("refused");
    // another share's bytes under this id
    expect(bob.offerShare(socket(bob, liar.relay), liar.id, honest.bytes, net.clock.now)).toBe("refused");
    expect(shops(bob)).not.toContain("Taxi");

    const report = await round(bob, net);
    expect(report.relays.find((r) => r.url === liar.relay)?.health).toBe("tampering");
    expect(shops(bob)).toContain("Taxi");
  });
});
