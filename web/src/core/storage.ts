// The groups on this device, in IndexedDB: database "gfms", store "groups" (one saved
// client per group, with its revision) and store "meta" (which group is open, and the
// device's sealing key).
// Several tabs share these records: every save is a compare-and-swap on the revision, so
// a tab holding an old copy can never save it over a newer one (./doc coordinates tabs).
//
// A saved client holds the device's private keys and the group's secrets, so IndexedDB
// never holds it in the clear: it is sealed (AES-GCM-256) under a key the browser
// generates once per profile as non-extractable, kept in "meta" as the CryptoKey object
// itself (./seal, docs/threat-model.md "Where keys live").
import type { DBSchema, IDBPDatabase } from "idb";
import { connection } from "./db";
import { newSealKey, openSaved, sealSaved, type Sealed } from "./seal";
import { step } from "./trace";
import type { GroupApi } from "./types";

/** What the group list shows of a group, read without opening it. */
export interface GroupEntry {
  key: string;
  name: string;
  updatedMs: number;
  /** bumps with every save; absent in records written before revisions (read as 0) */
  rev?: number;
  /**
   * The active members' names, this device's first: tells two groups of the same name
   * apart in the group list (absent in records written before it; filled at next save)
   */
  members?: string[];
}

/** A group as loaded: its entry and its saved client. */
export interface StoredGroup extends GroupEntry {
  /** `GroupApi.save()` */
  saved: string;
}

/** A record in the "groups" store: `sealed`, or `saved` in the clear (older releases). */
interface Row extends GroupEntry {
  sealed?: Sealed;
  saved?: string;
}

/**
 * A group whose saved copy this device cannot open: sealed under another browser
 * profile's key, or altered. The other groups are not affected.
 */
export class Unreadable extends Error {
  readonly code = "unreadable_here";
  constructor(
    readonly key: string,
    readonly group: string,
  ) {
    super("unreadable_here");
  }
}

/** A save found a newer revision than the one the copy was loaded at. */
export class StaleWrite extends Error {
  readonly code = "stale_write";
  constructor(
    readonly key: string,
    readonly expected: number,
    readonly found: number,
  ) {
    super(`the group was changed elsewhere (revision ${found}, this copy has ${expected})`);
  }
}

/** What the app needs from storage (IndexedDB in the app, memory in tests). */
export interface Store {
  /** The groups held, without opening them. */
  listGroups(): Promise<GroupEntry[]>;
  /** A group opened (throws `Unreadable` if its saved copy cannot be opened here). */
  loadGroup(key: string): Promise<StoredGroup | undefined>;
  /**
   * Saves `api` if the stored revision is still `expectedRev` (0: no record yet), and
   * returns the new revision; else throws `StaleWrite` and changes nothing. `saved` is
   * `serialise(api)` when the caller has it already (./doc keeps it).
   */
  saveGroup(api: GroupApi, expectedRev: number, saved?: string): Promise<number>;
  deleteGroup(key: string): Promise<void>;
  getCurrent(): Promise<string | undefined>;
  setCurrent(key: string | null): Promise<void>;
}

interface Schema extends DBSchema {
  groups: { key: string; value: Row };
  /** "current": the open group's key; "sealKey": the device's sealing key */
  meta: { key: string; value: string | CryptoKey };
}

/** The database's name and version: 2 added the "blobs" store (./blobs: receipts' bytes). */
export const DB_NAME = "gfms";
export const DB_VERSION = 2;

/** Creates what each version added, from the version the database was at to `version`. */
export function upgradeDb(d: { createObjectStore(name: string, options?: IDBObjectStoreParameters): unknown }, oldVersion: number, version = DB_VERSION): void {
  if (oldVersion < 1) {
    d.createObjectStore("groups", { keyPath: "key" });
    d.createObjectStore("meta");
  }
  if (oldVersion < 2 && version >= 2) d.createObjectStore("blobs", { keyPath: "hash" });
}

/** The active members' names, `me` first, then by name. */
function memberNames(api: GroupApi): string[] {
  const me = api.me();
  return Object.entries(api.state().members)
    .filter(([id, m]) => m.status === "active" || id === me)
    .sort(([a, x], [b, y]) => (a === me ? -1 : b === me ? 1 : x.name.localeCompare(y.name)))
    .map(([, m]) => m.name);
}

const SEAL_KEY = "sealKey";

/**
 * This browser profile's sealing key, created by the first tab that needs it. Two tabs
 * starting at once may both generate one: each adds its own only if none is there, in
 * one transaction, and uses what is there after it, so both end with the same key.
 */
async function deviceKey(db: IDBPDatabase<Schema>): Promise<CryptoKey> {
  const kept = await db.get("meta", SEAL_KEY);
  if (kept && typeof kept !== "string") return kept;
  const fresh = await newSealKey(); // outside the transaction: it would commit while waiting
  // add if absent, else use the one there: one transaction, so no other tab's in between
  const tx = db.transaction("meta", "readwrite");
  let there = await tx.store.get(SEAL_KEY);
  if (!there || typeof there === "string") await tx.store.put((there = fresh), SEAL_KEY);
  await tx.done;
  return there;
}

/** The entry of a record (what may be shown without opening it). */
function entry({ sealed, saved, ...e }: Row): GroupEntry {
  return e;
}

/** `api.save()`, the first step of a save (../trace). */
export function serialise(api: GroupApi): string {
  step("save: start");
  const saved = api.save();
  step("save: serialised");
  return saved;
}

function record(api: GroupApi, rev: number, saved = serialise(api)): StoredGroup {
  return { key: api.groupKey(), name: api.name(), saved, updatedMs: Date.now(), rev, members: memberNames(api) };
}

let persistAsked = false;
/** Asks the browser to keep our data under storage pressure (once; failures ignored). */
export function askPersistence(): void {
  if (persistAsked) return;
  persistAsked = true;
  try {
    void navigator.storage?.persist?.().catch(() => false);
  } catch {
    /* not offered */
  }
}

/**
 * The IndexedDB store (`name`: the database, "gfms" in the app; another in tests;
 * `version`: the tests play an older release with a lower one). A newer version in
 * another tab, or an older one in the way, is handled by ./db.
 */
export function idbStore(name = DB_NAME, version = DB_VERSION): Store {
  const db = connection<Schema>(name, version, (d, oldVersion, v) => upgradeDb(d, oldVersion, v));
  let key: Promise<CryptoKey> | null = null;
  // one key per browser profile: created by the first tab that needs it (./seal)
  const sealKey = () => {
    const k = (key ??= db.run(deviceKey));
    k.catch(() => (key = null)); // a failure is retried at the next save
    return k;
  };
  return {
    async listGroups() {
      return (await db.run((d) => d.getAll("groups"))).map(entry);
    },
    async loadGroup(groupKey) {
      const row = await db.run((d) => d.get("groups", groupKey));
      step("load: read");
      if (!row) return undefined;
      if (row.sealed) {
        const saved = await openSaved(await sealKey(), row.sealed, row.key, row.rev ?? 0).catch(() => null);
        step("load: unsealed");
        if (saved === null) throw new Unreadable(row.key, row.name);
        return { ...entry(row), saved };
      }
      // written by a release before sealing: read as it is, sealed at its next save
      if (typeof row.saved === "string") return { ...entry(row), saved: row.saved };
      throw new Unreadable(row.key, row.name);
    },
    async saveGroup(api, expectedRev, saved) {
      const r = record(api, expectedRev + 1, saved);
      const sealed = await sealSaved(await sealKey(), r.saved, r.key, r.rev ?? 0);
      step("save: sealed");
      const row: Row = { ...entry(r), sealed };
      // One readwrite transaction: IndexedDB runs those on a store one after another,
      // across tabs too, so the check and the write cannot interleave with another save.
      await db.run(async (d) => {
        const tx = d.transaction("groups", "readwrite");
        const found = (await tx.store.get(r.key))?.rev ?? 0;
        if (found !== expectedRev) {
          tx.abort();
          await tx.done.catch(() => {});
          throw new StaleWrite(r.key, expectedRev, found);
        }
        await tx.store.put(row);
        await tx.done;
      });
      step("save: stored");
      return r.rev ?? 0;
    },
    async deleteGroup(groupKey) {
      await db.run(async (d) => {
        const tx = d.transaction(["groups", "meta"], "readwrite");
        await tx.objectStore("groups").delete(groupKey);
        if ((await tx.objectStore("meta").get("current")) === groupKey) await tx.objectStore("meta").delete("current");
        await tx.done;
      });
    },
    async getCurrent() {
      const current = await db.run((d) => d.get("meta", "current"));
      return typeof current === "string" ? current : undefined;
    },
    async setCurrent(groupKey) {
      await db.run(async (d) => {
        if (groupKey === null) await d.delete("meta", "current");
        else await d.put("meta", groupKey, "current");
      });
    },
  };
}

/** A store in memory (tests): the same revision rule. */
export function memoryStore(): Store & { groups: Map<string, StoredGroup> } {
  const groups = new Map<string, StoredGroup>();
  let current: string | undefined;
  return {
    groups,
    async listGroups() {
      return [...groups.values()].map(entry);
    },
    async loadGroup(key) {
      return groups.get(key);
    },
    async saveGroup(api, expectedRev, saved) {
      const r = record(api, expectedRev + 1, saved);
      const found = groups.get(r.key)?.rev ?? 0;
      if (found !== expectedRev) throw new StaleWrite(r.key, expectedRev, found);
      groups.set(r.key, r);
      return expectedRev + 1;
    },
    async deleteGroup(key) {
      groups.delete(key);
      if (current === key) current = undefined;
    },
    async getCurrent() {
      return current;
    },
    async setCurrent(key) {
      current = key ?? undefined;
    },
  };
}
