// The groups on this device, in IndexedDB: database "gfms", store "groups" (one saved
// client per group, with its revision) and store "meta" (which group is open).
// Several tabs share these records: every save is a compare-and-swap on the revision, so
// a tab holding an old copy can never save it over a newer one (./doc coordinates tabs).
import { openDB, type DBSchema, type IDBPDatabase } from "idb";
import type { GroupApi } from "./types";

export interface StoredGroup {
  key: string;
  name: string;
  /** `GroupApi.save()` */
  saved: string;
  updatedMs: number;
  /** bumps with every save; absent in records written before revisions (read as 0) */
  rev?: number;
  /**
   * The active members' names, this device's first: tells two groups of the same name
   * apart in the group list (absent in records written before it; filled at next save)
   */
  members?: string[];
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
  listGroups(): Promise<StoredGroup[]>;
  loadGroup(key: string): Promise<StoredGroup | undefined>;
  /**
   * Saves `api` if the stored revision is still `expectedRev` (0: no record yet), and
   * returns the new revision; else throws `StaleWrite` and changes nothing.
   */
  saveGroup(api: GroupApi, expectedRev: number): Promise<number>;
  deleteGroup(key: string): Promise<void>;
  getCurrent(): Promise<string | undefined>;
  setCurrent(key: string | null): Promise<void>;
}

interface Schema extends DBSchema {
  groups: { key: string; value: StoredGroup };
  meta: { key: string; value: string };
}

/** The database's name and version: 2 added the "blobs" store (./blobs: receipts' bytes). */
export const DB_NAME = "gfms";
export const DB_VERSION = 2;

/** Creates what each version added, from the version the database was at. */
export function upgradeDb(d: { createObjectStore(name: string, options?: IDBObjectStoreParameters): unknown }, oldVersion: number): void {
  if (oldVersion < 1) {
    d.createObjectStore("groups", { keyPath: "key" });
    d.createObjectStore("meta");
  }
  if (oldVersion < 2) d.createObjectStore("blobs", { keyPath: "hash" });
}

/** The active members' names, `me` first, then by name. */
function memberNames(api: GroupApi): string[] {
  const me = api.me();
  return Object.entries(api.state().members)
    .filter(([id, m]) => m.status === "active" || id === me)
    .sort(([a, x], [b, y]) => (a === me ? -1 : b === me ? 1 : x.name.localeCompare(y.name)))
    .map(([, m]) => m.name);
}

function record(api: GroupApi, rev: number): StoredGroup {
  return { key: api.groupKey(), name: api.name(), saved: api.save(), updatedMs: Date.now(), rev, members: memberNames(api) };
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

/** The IndexedDB store. */
export function idbStore(): Store {
  let db: Promise<IDBPDatabase<Schema>> | null = null;
  const open = () =>
    (db ??= openDB<Schema>(DB_NAME, DB_VERSION, {
      upgrade(d, oldVersion) {
        upgradeDb(d, oldVersion);
      },
      // a newer version of the app (another tab) upgrades the database: let it
      blocking() {
        void db?.then((x) => x.close());
        db = null;
      },
    }));
  return {
    async listGroups() {
      return (await open()).getAll("groups");
    },
    async loadGroup(key) {
      return (await open()).get("groups", key);
    },
    async saveGroup(api, expectedRev) {
      const r = record(api, expectedRev + 1);
      // One readwrite transaction: IndexedDB runs those on a store one after another,
      // across tabs too, so the check and the write cannot interleave with another save.
      const tx = (await open()).transaction("groups", "readwrite");
      const found = (await tx.store.get(r.key))?.rev ?? 0;
      if (found !== expectedRev) {
        tx.abort();
        await tx.done.catch(() => {});
        throw new StaleWrite(r.key, expectedRev, found);
      }
      await tx.store.put(r);
      await tx.done;
      return r.rev ?? 0;
    },
    async deleteGroup(key) {
      const d = await open();
      const tx = d.transaction(["groups", "meta"], "readwrite");
      await tx.objectStore("groups").delete(key);
      if ((await tx.objectStore("meta").get("current")) === key) await tx.objectStore("meta").delete("current");
      await tx.done;
    },
    async getCurrent() {
      return (await open()).get("meta", "current");
    },
    async setCurrent(key) {
      const d = await open();
      if (key === null) await d.delete("meta", "current");
      else await d.put("meta", key, "current");
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
      return [...groups.values()];
    },
    async loadGroup(key) {
      return groups.get(key);
    },
    async saveGroup(api, expectedRev) {
      const r = record(api, expectedRev + 1);
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
