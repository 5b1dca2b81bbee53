// Share requests in their simple form (docs/protocol.md): the app puts, fetches and deletes
// shares with POSTs that carry the token in a text/plain body, so a browser sends them with
// no CORS preflight. The real core over the fake network: no share request carries an
// Authorization header or a content type a preflight would be needed for; against an older
// relay, which answers the form 405, the app asks again in the classic form in the same
// round and the change is delivered all the same. Listings (which carry the status of
// the app's own shares and its acks), status and acks go the same way (issue 17), and a
// relay older than that form is listed with a GET and asked in the classic form.
import { describe, expect, it } from "vitest";
import { RELAYS, expense, lisbon, round } from "../../test/groups";
import type { FakeNetwork } from "../../test/network";

const SHARE_URL = /\/v1\/groups\/[0-9a-f]{32}\/shares\/[0-9a-f]{32}(\?|$)/;
/** A listing, a status or an ack request (issue 17: they carry no Authorization either). */
const GROUP_POST_URL = /\/v1\/groups\/[0-9a-f]{32}\/(shares|status|acks)(\?|$)/;
/** The CORS-safelisted content types: a request with no other header needs no preflight. */
const SAFELISTED = /^(text\/plain|application\/x-www-form-urlencoded|multipart\/form-data)(;|$)/;

/** Every request to a URL `which` matches that the app makes over `net` from now on. */
function watchShareRequests(net: FakeNetwork, which = SHARE_URL): { method: string; url: string; headers: Headers }[] {
  const seen: { method: string; url: string; headers: Headers }[] = [];
  const real = net.fetch;
  net.fetch = (url, init) => {
    if (which.test(url)) seen.push({ method: String(init.method ?? "GET"), url, headers: new Headers(init.headers) });
    return real(url, init);
  };
  return seen;
}

describe("share requests in the simple form", () => {
  it("are POSTs with no Authorization header and a safelisted content type: a browser sends them with no preflight", async () => {
    const { net, ann, bob, bobId } = await lisbon();
    const seen = watchShareRequests(net);
    const taken = () => net.relays.reduce((n, r) => n + r.simpleRequests, 0);
    const before = taken();
    ann.addExpense(expense(ann.me(), [ann.me(), bobId], 3240, "Pizza"), net.clock.now);
    await round(ann, net);
    await round(bob, net);
    await round(ann, net);
    expect(bob.expenses({}).map(([, e]) => e.shop)).toContain("Pizza");
    expect(seen.length).toBeGreaterThanOrEqual(RELAYS.length);
    for (const { method, headers } of seen) {
      expect(method).toBe("POST");
      expect(headers.has("authorization")).toBe(false);
      expect(headers.get("content-type") ?? "text/plain").toMatch(SAFELISTED);
    }
    expect(taken() - before).toBe(seen.length);
  });

  it("Older relay: a relay that answers the form 405 gets the classic form at once; nothing is late and no relay is down", async () => {
    const { net, ann, bob, bobId } = await lisbon();
    const older = net.relay(RELAYS[2] ?? "");
    older.older = true;
    const taken = older.simpleRequests;
    ann.addExpense(expense(ann.me(), [ann.me(), bobId], 900, "Taxi"), net.clock.now);
    const sent = await round(ann, net);
    expect(sent.relays.every((r) => r.health === "up")).toBe(true);
    expect(older.shareCount()).toBeGreaterThan(0); // put in the classic form, this round
    const got = await round(bob, net);
    expect(got.relays.every((r) => r.health === "up")).toBe(true);
    expect(bob.expenses({}).map(([, e]) => e.shop)).toContain("Taxi");
    await round(ann, net);
    expect((await round(ann, net)).pending).toEqual([]);
    expect(older.simpleRequests).toBe(taken);
  });

  it("listings, status and acks too are POSTs with no Authorization header: no preflight, and the status rides with the listing", async () => {
    const { net, ann, bob, bobId } = await lisbon();
    const seen = watchShareRequests(net, GROUP_POST_URL);
    ann.addExpense(expense(ann.me(), [ann.me(), bobId], 1250, "Bica"), net.clock.now);
    await round(ann, net);
    await round(bob, net);
    const before = seen.length;
    expect((await round(ann, net)).pending).toEqual([]);
    const last = seen.slice(before);
    expect(last.map((r) => new URL(r.url).pathname.split("/").pop())).toEqual(RELAYS.map(() => "shares"));
    expect(bob.expenses({}).map(([, e]) => e.shop)).toContain("Bica");
    expect(seen.length).toBeGreaterThanOrEqual(3 * RELAYS.length);
    for (const { method, headers } of seen) {
      expect(method).toBe("POST");
      expect(headers.has("authorization")).toBe(false);
      expect(headers.get("content-type") ?? "text/plain").toMatch(SAFELISTED);
    }
    expect(net.relays.reduce((n, r) => n + r.simplePosts, 0)).toBeGreaterThanOrEqual(seen.length);
  });

  it("Older relay: a relay that answers the POST listing 405 is listed with a GET and asked status and acks in the classic form, in the same round", async () => {
    const { net, ann, bob, bobId } = await lisbon();
    const older = net.relay(RELAYS[1] ?? "");
    older.plainListing = true;
    const taken = older.simplePosts;
    ann.addExpense(expense(ann.me(), [ann.me(), bobId], 700, "Nata"), net.clock.now);
    const sent = await round(ann, net);
    expect(sent.relays.every((r) => r.health === "up")).toBe(true);
    const got = await round(bob, net);
    expect(got.relays.every((r) => r.health === "up")).toBe(true);
    expect(bob.expenses({}).map(([, e]) => e.shop)).toContain("Nata");
    expect((await round(ann, net)).pending).toEqual([]);
    expect(older.log.filter((l) => l.startsWith("GET") && l.endsWith("/shares")).length).toBeGreaterThan(0);
    expect(older.simplePosts).toBe(taken);
  });
});
