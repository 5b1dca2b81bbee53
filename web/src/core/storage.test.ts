import "fake-indexeddb/auto";
import { openDB } from "idb";
import { describe, expect, it } from "vitest";
import { core, RELAYS } from "../test/groups";
import { idbStore, memoryStore, StaleWrite, Unreadable, type Store } from "./storage";

const group = (name: string, currency = "EUR") => core.create({ name, memberName: "Ann", currency, relays: RELAYS, k: 2, nowMs: 1 });

describe("IndexedDB storage", () => {
  it("keeps groups, their names and the current one", async () => {
    const store = idbStore();
    const a = group("Trip");
    const b = group("Flat", "GBP");
    expect(await store.saveGroup(a, 0)).toBe(1);
    await store.saveGroup(b, 0);
    await store.setCurrent(b.groupKey());
    expect((await store.listGroups()).map((g) => g.name).sort()).toEqual(["Flat", "Trip"]);
    expect(await store.getCurrent()).toBe(b.groupKey());
    const saved = await store.loadGroup(a.groupKey());
    expect(saved && core.load(saved.saved).name()).toBe("Trip");
    // a second handle sees the same data (a reload)
    await idbStore().deleteGroup(b.groupKey());
    expect(await store.getCurrent()).toBeUndefined();
    expect((await store.listGroups()).map((g) => g.name)).toEqual(["Trip"]);
    expect(await store.loadGroup("nope")).toBeUndefined();
  });
});

for (const [kind, make] of [
  ["IndexedDB", idbStore],
  ["memory", memoryStore],
] as [string, () => Store][]) {
  describe(`${kind} storage, Two writers`, () => {
    it("never saves a copy over a newer revision", async () => {
      const store = make();
      const api = group("Flat");
      await store.saveGroup(api, 0);
      const tabA = core.load((await store.loadGroup(api.groupKey()))?.saved ?? "");
      const tabB = core.load((await store.loadGroup(api.groupKey()))?.saved ?? "");
      tabB.renameMember(tabB.me(), "Bea", 2);
      expect(await store.saveGroup(tabB, 1)).toBe(2);
      tabA.renameMember(tabA.me(), "Ann A.", 3);
      await expect(store.saveGroup(tabA, 1)).rejects.toBeInstanceOf(StaleWrite);
      const kept = core.load((await store.loadGroup(api.groupKey()))?.saved ?? "");
      expect(kept.state().members[kept.me()]?.name).toBe("Bea");
      // a second "new" group under the same key is refused too
      await expect(store.saveGroup(api, 0)).rejects.toBeInstanceOf(StaleWrite);
    });
  });
}

let dbs = 0;
/** A database of its own: a fresh browser profile. */
const fresh = () => `gfms-test-${++dbs}`;

/** Every record of a store, as the browser holds it (what a copy of the profile shows). */
async function raw(name: string, store: "groups" | "meta"): Promise<unknown[]> {
  const db = await openDB(name);
  try {
    return await db.getAll(store);
  } finally {
    db.close();
  }
}

/** The device's private keys and the group's secrets in a saved client (`GroupApi.save()`). */
function secretsOf(saved: string): string[] {
  const s = JSON.parse(saved) as { secret: string; member_keys: { device: { ed25519_seed: string; x25519_secret: string } } };
  const out = [s.secret, s.member_keys.device.ed25519_seed, s.member_keys.device.x25519_secret];
  expect(out.every((x) => typeof x === "string" && x.length >= 40)).toBe(true);
  return out;
}

describe("saved clients sealed at rest (copy of the browser profile's records)", () => {
  it("IndexedDB holds no private key or secret, only the sealed copy; it loads back", async () => {
    const name = fresh();
    const store = idbStore(name);
    const api = group("Trip");
    await store.saveGroup(api, 0);
    const text = JSON.stringify(await raw(name, "groups"), (_, v: unknown) => (v instanceof Uint8Array || v instanceof ArrayBuffer ? "bytes" : v));
    for (const secret of secretsOf(api.save())) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/ed25519_seed|x25519_secret|"secret"|"saved"/);
    const [row] = (await raw(name, "groups")) as { sealed?: { iv: Uint8Array; ct: ArrayBuffer } }[];
    expect(row?.sealed?.iv).toHaveLength(12);
    // the key is kept as a CryptoKey the page cannot export
    const [key] = (await raw(name, "meta")) as CryptoKey[];
    expect(key?.extractable).toBe(false);
    await expect(crypto.subtle.exportKey("raw", key as CryptoKey)).rejects.toThrow();
    // a reload (a second handle) opens it
    const back = await idbStore(name).loadGroup(api.groupKey());
    expect(back && core.load(back.saved).name()).toBe("Trip");
    expect(back?.saved).toBe(api.save());
  });

  it("the JSON backup (Settings, Export) holds no private key and no group secret", async () => {
    const api = group("Trip");
    api.renameMember(api.me(), "Ann B.", 2);
    const backup = await api.exportJson();
    expect(backup).toContain("Ann B.");
    for (const secret of secretsOf(api.save())) expect(backup).not.toContain(secret);
    expect(backup).not.toMatch(/ed25519_seed|x25519_secret|"secret"/);
  });

  it("a record as the release before sealing wrote it (saved in the clear) loads, and its next save seals it", async () => {
    const name = fresh();
    const api = group("Flat");
    const before = await openDB(name, 1, {
      upgrade(d) {
        d.createObjectStore("groups", { keyPath: "key" });
        d.createObjectStore("meta");
      },
    });
    await before.put("groups", { key: api.groupKey(), name: "Flat", saved: api.save(), updatedMs: 5, rev: 3, members: ["Ann"] });
    await before.put("meta", api.groupKey(), "current");
    before.close();

    const store = idbStore(name);
    expect(await store.getCurrent()).toBe(api.groupKey());
    expect((await store.listGroups()).map((g) => [g.name, g.rev])).toEqual([["Flat", 3]]);
    const loaded = await store.loadGroup(api.groupKey());
    const opened = core.load(loaded?.saved ?? "");
    opened.renameMember(opened.me(), "Ann B.", 2);
    expect(await store.saveGroup(opened, 3)).toBe(4);
    const [row] = (await raw(name, "groups")) as { saved?: string; sealed?: unknown }[];
    expect(row?.saved).toBeUndefined();
    expect(row?.sealed).toBeDefined();
    const again = core.load((await idbStore(name).loadGroup(api.groupKey()))?.saved ?? "");
    expect(again.state().members[again.me()]?.name).toBe("Ann B.");
  });

  it("two tabs opening a new profile at once end with one key: each opens what the other sealed", async () => {
    const name = fresh();
    const [tabA, tabB] = [idbStore(name), idbStore(name)];
    const [a, b] = [group("A"), group("B")];
    await Promise.all([tabA.saveGroup(a, 0), tabB.saveGroup(b, 0)]);
    expect(await raw(name, "meta")).toHaveLength(1);
    expect(core.load((await tabB.loadGroup(a.groupKey()))?.saved ?? "").name()).toBe("A");
    expect(core.load((await tabA.loadGroup(b.groupKey()))?.saved ?? "").name()).toBe("B");
    expect(core.load((await idbStore(name).loadGroup(b.groupKey()))?.saved ?? "").name()).toBe("B");
  });

  it("a copy sealed in another profile, or altered, or moved to another group: Unreadable, the other groups still load", async () => {
    // adversary: someone with a copy of the profile's records who swaps or alters them
    const [mine, theirs] = [fresh(), fresh()];
    const here = idbStore(mine);
    const [ok, alien, altered, moved] = [group("Ok"), group("Alien"), group("Altered"), group("Moved")];
    await here.saveGroup(ok, 0);
    await here.saveGroup(altered, 0);
    await here.saveGroup(moved, 0);
    await idbStore(theirs).saveGroup(alien, 0);
    const [alienRow] = (await raw(theirs, "groups")) as object[];
    const db = await openDB(mine);
    await db.put("groups", alienRow as never);
    const alteredRow = (await db.get("groups", altered.groupKey())) as { sealed: { ct: ArrayBuffer } };
    const ct = new Uint8Array(alteredRow.sealed.ct);
    ct[0] = (ct[0] ?? 0) ^ 1;
    await db.put("groups", { ...alteredRow, sealed: { ...alteredRow.sealed, ct: ct.buffer } } as never);
    const movedRow = (await db.get("groups", moved.groupKey())) as object;
    await db.put("groups", { ...movedRow, key: ok.groupKey() } as never); // Moved's copy in Ok's record
    await db.put("groups", { ...movedRow, name: "Moved" } as never);
    db.close();

    const store = idbStore(mine);
    for (const [api, name] of [
      [alien, "Alien"],
      [altered, "Altered"],
      [ok, "Moved"],
    ] as const) {
      const e = await store.loadGroup(api.groupKey()).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(Unreadable);
      expect((e as Unreadable).group).toBe(name);
      expect((e as Unreadable).code).toBe("unreadable_here");
    }
    expect(core.load((await store.loadGroup(moved.groupKey()))?.saved ?? "").name()).toBe("Moved");
    expect((await store.listGroups()).map((g) => g.name).sort()).toEqual(["Alien", "Altered", "Moved", "Moved"]);
  });
});
