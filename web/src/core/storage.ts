// The groups on this device, in IndexedDB: database "gfms", store "groups" (one saved
// client per group) and store "meta" (which group is open).
import { openDB, type DBSchema, type IDBPDatabase } from "idb";
import type { GroupApi } from "./types";

export interface StoredGroup {
  key: string;
  name: string;
  /** `GroupApi.save()` */
  saved: string;
  updatedMs: number;
}

/** What the app needs from storage (IndexedDB in the app, memory in tests). */
export interface Store {
  listGroups(): Promise<StoredGroup[]>;
  saveGroup(api: GroupApi): Promise<void>;
  loadGroupSaved(key: string): Promise<string | undefined>;
  deleteGroup(key: string): Promise<void>;
  getCurrent(): Promise<string | undefined>;
  setCurrent(key: string | null): Promise<void>;
}

interface Schema extends DBSchema {
  groups: { key: string; value: StoredGroup };
  meta: { key: string; value: string };
}

function record(api: GroupApi): StoredGroup {
  return { key: api.groupKey(), name: api.state().settings?.name ?? "Group", saved: api.save(), updatedMs: Date.now() };
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
    (db ??= openDB<Schema>("gfms", 1, {
      upgrade(d) {
        d.createObjectStore("groups", { keyPath: "key" });
        d.createObjectStore("meta");
      },
    }));
  return {
    async listGroups() {
      return (await open()).getAll("groups");
    },
    async saveGroup(api) {
      await (await open()).put("groups", record(api));
    },
    async loadGroupSaved(key) {
      return (await (await open()).get("groups", key))?.saved;
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

/** A store in memory (tests). */
export function memoryStore(): Store & { groups: Map<string, StoredGroup> } {
  const groups = new Map<string, StoredGroup>();
  let current: string | undefined;
  return {
    groups,
    async listGroups() {
      return [...groups.values()];
    },
    async saveGroup(api) {
      const r = record(api);
      groups.set(r.key, r);
    },
    async loadGroupSaved(key) {
      return groups.get(key)?.saved;
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
