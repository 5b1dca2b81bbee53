// Receipts' bytes on this device, by content hash: in IndexedDB's "blobs" store (the
// database ./storage opens, version 2), in memory in tests. The engine never keeps them:
// a receipt attached here is stored at once, one received is stored after the round that
// completed it (./doc). Settings shows what they use, and can drop the full images of old
// receipts: their thumbnails stay, and a dropped one is remembered as such.
// Bytes are kept by content hash for every group on the device: a receipt no group's
// ledger names any more (its expense deleted, or the receipt taken off it) is deleted at
// a quiet time (`pruneReceipts`), unless it arrived lately (its event may come later).
import { connection } from "./db";
import { DB_NAME, DB_VERSION, upgradeDb, type Store } from "./storage";
import type { GroupApi, GroupFactory } from "./types";

export interface StoredBlob {
  /** SHA-256 of the bytes, hex (the receipt's or its thumbnail's `hash`) */
  hash: string;
  /** absent once dropped to save space */
  bytes?: Uint8Array;
  size: number;
  savedMs: number;
}

export interface BlobStore {
  get(hash: string): Promise<StoredBlob | undefined>;
  put(hash: string, bytes: Uint8Array): Promise<void>;
  /** bytes held, all receipts together */
  usage(): Promise<number>;
  /** forgets the bytes of `hashes` (a record says they were dropped); returns bytes freed */
  drop(hashes: string[]): Promise<number>;
  /** deletes every record `keep` refuses, dropped ones too; returns how many */
  prune(keep: (blob: StoredBlob) => boolean): Promise<number>;
  /** hears every change; returns the unsubscribe */
  subscribe(fn: () => void): () => void;
}

function listeners() {
  let fns: (() => void)[] = [];
  return {
    subscribe(fn: () => void) {
      fns.push(fn);
      return () => void (fns = fns.filter((f) => f !== fn));
    },
    emit() {
      for (const f of fns) f();
    },
  };
}

/** The IndexedDB store (`name`: the database, "gfms" in the app; another in tests). */
export function idbBlobs(name = DB_NAME): BlobStore {
  // the same database as ./storage, and the same care with other versions (./db)
  const db = connection<unknown>(name, DB_VERSION, (d, oldVersion, v) => upgradeDb(d, oldVersion, v));
  const on = listeners();
  return {
    async get(hash) {
      return (await db.run((d) => d.get("blobs", hash))) as StoredBlob | undefined;
    },
    async put(hash, bytes) {
      const record: StoredBlob = { hash, bytes, size: bytes.length, savedMs: Date.now() };
      await db.run((d) => d.put("blobs", record));
      on.emit();
    },
    async usage() {
      const all = (await db.run((d) => d.getAll("blobs"))) as StoredBlob[];
      return all.reduce((sum, b) => sum + (b.bytes?.length ?? 0), 0);
    },
    async drop(hashes) {
      const freed = await db.run(async (d) => {
        const tx = d.transaction("blobs", "readwrite");
        let sum = 0;
        for (const hash of hashes) {
          const b = (await tx.store.get(hash)) as StoredBlob | undefined;
          if (!b?.bytes) continue;
          sum += b.bytes.length;
          await tx.store.put({ hash, size: b.size, savedMs: b.savedMs } satisfies StoredBlob);
        }
        await tx.done;
        return sum;
      });
      on.emit();
      return freed;
    },
    async prune(keep) {
      const removed = await db.run(async (d) => {
        const tx = d.transaction("blobs", "readwrite");
        let n = 0;
        for (let cursor = await tx.store.openCursor(); cursor; cursor = await cursor.continue()) {
          if (keep(cursor.value as StoredBlob)) continue;
          await cursor.delete();
          n += 1;
        }
        await tx.done;
        return n;
      });
      if (removed > 0) on.emit();
      return removed;
    },
    subscribe: on.subscribe,
  };
}

/** A store in memory (tests). */
export function memoryBlobs(): BlobStore & { blobs: Map<string, StoredBlob> } {
  const blobs = new Map<string, StoredBlob>();
  const on = listeners();
  return {
    blobs,
    async get(hash) {
      return blobs.get(hash);
    },
    async put(hash, bytes) {
      blobs.set(hash, { hash, bytes, size: bytes.length, savedMs: Date.now() });
      on.emit();
    },
    async usage() {
      return [...blobs.values()].reduce((sum, b) => sum + (b.bytes?.length ?? 0), 0);
    },
    async drop(hashes) {
      let freed = 0;
      for (const hash of hashes) {
        const b = blobs.get(hash);
        if (!b?.bytes) continue;
        freed += b.bytes.length;
        blobs.set(hash, { hash, size: b.size, savedMs: b.savedMs });
      }
      on.emit();
      return freed;
    },
    async prune(keep) {
      const gone = [...blobs.values()].filter((b) => !keep(b));
      for (const b of gone) blobs.delete(b.hash);
      if (gone.length > 0) on.emit();
      return gone.length;
    },
    subscribe: on.subscribe,
  };
}

/** Receipts taken from the engine that could not be stored yet (storage full): tried again. */
const unstored = new Map<string, Uint8Array>();

/**
 * Stores the receipts a round completed (`takeReceivedBlobs`); how many it stored. One
 * that cannot be stored (the phone's storage is full) does not fail the round: it is
 * held here and stored at a later round.
 */
export async function keepReceived(api: GroupApi, store: BlobStore): Promise<number> {
  for (const [hash, bytes] of api.takeReceivedBlobs()) unstored.set(hash, bytes);
  let stored = 0;
  for (const [hash, bytes] of [...unstored]) {
    try {
      await store.put(hash, bytes);
      unstored.delete(hash);
      stored += 1;
    } catch {
      /* kept for the next round */
    }
  }
  return stored;
}

/**
 * Sends again the receipts other members asked for (`receipt_wanted`: they joined after
 * them) that this phone holds; how many. Called during a round, before it saves.
 */
export async function answerWanted(api: GroupApi, store: BlobStore, nowMs: () => number = Date.now): Promise<number> {
  let sent = 0;
  for (const hash of api.wantedReceipts()) {
    const held = await store.get(hash).catch(() => undefined);
    if (!held?.bytes) continue;
    try {
      api.resendReceipt(hash, held.bytes, nowMs());
      sent += 1;
    } catch {
      /* not this receipt's bytes, or its expense is gone: nothing to send */
    }
  }
  return sent;
}

/**
 * A receipt stored this lately is kept though no event names it: a receipt can arrive
 * before its `receipt_attached` (docs/sync.md "Receipts"), and one attached here is
 * stored before the change that names it is saved. The engine keeps a receipt completed
 * within as long from being collected again.
 */
export const RECENT_RECEIPT_MS = 7 * 24 * 3600 * 1000;

/** The receipts, and their previews, the expenses of `api`'s ledger name. */
export function namedReceipts(api: GroupApi): Set<string> {
  const named = new Set<string>();
  for (const e of Object.values(api.state().expenses)) {
    for (const r of e.receipts ?? []) {
      named.add(r.hash);
      if (r.thumb) named.add(r.thumb);
    }
  }
  return named;
}

/**
 * Deletes the receipts' bytes no group on this device names any more (their expense
 * deleted, or the receipt taken off it), except those stored within
 * `RECENT_RECEIPT_MS`; how many it deleted. Opens every group: run it at a quiet time.
 * A group that cannot be opened here (`Unreadable`, a newer version's) may name any of
 * them: then nothing is deleted (null).
 */
export async function pruneReceipts(store: Store, factory: GroupFactory, blobs: BlobStore, nowMs: number = Date.now()): Promise<number | null> {
  const named = new Set<string>();
  try {
    for (const { key } of await store.listGroups()) {
      const stored = await store.loadGroup(key);
      if (stored) for (const hash of namedReceipts(factory.load(stored.saved))) named.add(hash);
    }
  } catch {
    return null;
  }
  return blobs.prune((b) => named.has(b.hash) || nowMs - b.savedMs < RECENT_RECEIPT_MS);
}
