import { describe, expect, it } from "vitest";
import { formatTtl, parseHealth, parseRelays, relaysAndKeysFromText } from "./relays";

describe("parseRelays", () => {
  it("normalises, deduplicates and drops what is not an http(s) URL", () => {
    expect(parseRelays(" http://127.0.0.1:8787/ ,https://relay.example/gfms//, ftp://x, nope,,http://127.0.0.1:8787")).toEqual([
      "http://127.0.0.1:8787",
      "https://relay.example/gfms",
    ]);
  });
  it("spells a URL as the core's key schedule does, default port and all", async () => {
    const { core } = await import("./test/groups");
    const typed = ["HTTPS://R1.Example:443/", "https://r2.example", "https://r3.example/"];
    const relays = parseRelays(typed.join(","));
    expect(relays[0]).toBe("https://r1.example:443");
    // the group's relays (from which it derives each relay's keys) are the app's spelling
    const api = core.create({ name: "Flat", memberName: "Ann", currency: "EUR", relays, k: 2, nowMs: 1 });
    expect(api.state().relays?.[0]).toEqual(relays);
    expect(core.peekInvite(api.inviteCode()).relays).toEqual(relays);
  });
  it("gives an empty list for an empty setting", () => {
    expect(parseRelays("")).toEqual([]);
  });
});

describe("parseHealth", () => {
  const good = { service: "gfms-relay", api: "v1", version: "0.1.0", ttl_seconds: 3600, max_share_bytes: 1048576, registration_required: true };
  it("accepts a v1 relay's answer", () => {
    expect(parseHealth(good)).toEqual(good);
  });
  it("refuses anything else", () => {
    expect(parseHealth(null)).toBeNull();
    expect(parseHealth({ ...good, api: "v2" })).toBeNull();
    expect(parseHealth({ ...good, service: "other" })).toBeNull();
    expect(parseHealth({ ...good, ttl_seconds: "1h" })).toBeNull();
  });
});

describe("formatTtl", () => {
  it("shows the largest whole unit", () => {
    expect(formatTtl(3600)).toBe("1 h");
    expect(formatTtl(1800)).toBe("30 min");
    expect(formatTtl(45)).toBe("45 s");
    expect(formatTtl(90)).toBe("90 s");
  });
});

describe("relaysAndKeysFromText", () => {
  it("reads one relay per line with an optional registration key", () => {
    const { relays, keys } = relaysAndKeysFromText("https://a.example/\nhttps://b.example  tea-at-five\n\nnot a url\nhttps://a.example");
    expect(relays).toEqual(["https://a.example", "https://b.example"]);
    expect(keys).toEqual({ "https://b.example": "tea-at-five" });
  });
});
