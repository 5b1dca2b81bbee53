// One group's document as this tab holds it, kept safe from the other tabs (or the
// installed app beside a Safari tab) that hold the same group:
// - every write — a user's change or a sync round — runs under the group's Web Lock, on
//   the newest saved revision (re-read first if another tab saved since), and saves with
//   a compare-and-swap on the revision (./storage), so no tab saves a stale copy;
// - after each save the tab tells the others on a BroadcastChannel, and they re-read.
// While the channel is open and has told of no newer revision, a write trusts its copy
// and does not read the store first (a tap's way to the relays, docs/latency.md): the
// save's revision check still refuses a stale copy, and the write is then made again
// on the newest revision, read from the store.
// A save that fails puts this tab's copy back to its last save, as a restart would: the
// screen shows nothing that was not saved (a change that failed, a pushed record drawn
// before its save), and the user's second try is not a second copy.
// A group removed from the device in another tab is left: the tab that removes it says so
// on the channel, the others stop (`onRemoved`) and never write it again.
import { runSync, type FetchFn, type RoundProgress } from "./sync/driver";
import { answerWanted, keepReceived, type BlobStore } from "./blobs";
import { serialise, StaleWrite, type Store } from "./storage";
import type { Locks } from "./locks";
import { step } from "./trace";
import type { GroupApi, GroupFactory, SyncReport } from "./types";

const CHANNEL = "gfms-groups";

interface Changed {
  key: string;
  rev: number;
  /** the group was removed from this device */
  removed?: true;
}

/** A channel to the other tabs (BroadcastChannel in the app). */
export interface Channel {
  postMessage(message: Changed): void;
  addEventListener(type: "message", fn: (e: MessageEvent<Changed>) => void): void;
  removeEventListener(type: "message", fn: (e: MessageEvent<Changed>) => void): void;
  close(): void;
}

export interface DocEnv {
  factory: GroupFactory;
  store: Store;
  /** where receipts received in a round are kept (none: they stay with the engine) */
  blobs?: BlobStore;
  locks: Locks;
  /** null where tabs cannot talk (they still re-read on focus) */
  channel: () => Channel | null;
  /** how long a user's change waits for the lock before it relies on the revision alone */
  lockWaitMs?: number;
}

/**
 * A tab that holds the lock may be frozen (iOS suspends background tabs) in the middle of
 * a round; the user's change in the tab they look at goes ahead after this long, kept
 * safe by the revision check: the frozen tab's round, when it wakes, cannot save over it.
 */
export const LOCK_WAIT_MS = 5000;

export function browserChannel(): Channel | null {
  return typeof BroadcastChannel === "undefined" ? null : (new BroadcastChannel(CHANNEL) as Channel);
}

/** A write that finds a newer revision is run again on it, at most this often. */
const STALE_RETRIES = 3;

/** Why a group this tab holds cannot be written any more. */
function removedElsewhere(): Error {
  return Object.assign(new Error("This group was removed from this device in another tab."), { code: "removed_elsewhere" });
}

/** Tells the other tabs that the group `key` was removed from this device. */
export function announceRemoved(channel: () => Channel | null, key: string): void {
  const c = channel();
  try {
    c?.postMessage({ key, rev: Number.MAX_SAFE_INTEGER, removed: true });
  } catch {
    /* no other tab hears: each finds out at its next read */
  } finally {
    c?.close();
  }
}

export class GroupDoc {
  readonly key: string;
  private inside = 0;
  private drained: (() => void) | null = null;
  private listeners: (() => void)[] = [];
  private removedListeners: (() => void)[] = [];
  /** the group is no longer in the store (removed in another tab): nothing is written */
  private removed = false;
  private channel: Channel | null;
  private closed = false;
  private saving: Promise<void> = Promise.resolve();
  private turn: Promise<unknown> = Promise.resolve();
  /**
   * The newest revision this tab has heard of elsewhere: another tab's word on the
   * channel, or a save of this tab's that found a newer one. While this copy is at least
   * as new, and the channel is open, a write does not read the store first.
   */
  private heard = 0;

  private constructor(
    private env: DocEnv,
    public api: GroupApi,
    public rev: number,
    /** what the store holds at `rev` (`api.save()` then): the copy a failed save goes back to */
    private durable: string,
  ) {
    this.key = api.groupKey();
    this.channel = env.channel();
    this.channel?.addEventListener("message", this.onMessage);
  }

  /** Opens the saved group `key`, or null if this device does not hold it. */
  static async open(env: DocEnv, key: string): Promise<GroupDoc | null> {
    const stored = await env.store.loadGroup(key);
    return stored ? new GroupDoc(env, env.factory.load(stored.saved), stored.rev ?? 0, stored.saved) : null;
  }

  /** Keeps a group just created or joined on this device (its first save). */
  static async adopt(env: DocEnv, api: GroupApi): Promise<GroupDoc> {
    const saved = serialise(api);
    const rev = await env.store.saveGroup(api, 0, saved);
    const doc = new GroupDoc(env, api, rev, saved);
    doc.announce();
    return doc;
  }

  /**
   * Calls `fn` when the document was replaced: by another tab's change, or by its last
   * save after a save failed. Returns the unsubscribe.
   */
  subscribe(fn: () => void): () => void {
    this.listeners.push(fn);
    return () => (this.listeners = this.listeners.filter((l) => l !== fn));
  }

  /**
   * Calls `fn` once if the group is, or turns out to be, removed from this device by another
   * tab (its word on the channel, or a read that no longer finds it): the screen should
   * leave it. From then on every write fails with `removed_elsewhere` and saves nothing.
   */
  onRemoved(fn: () => void): () => void {
    if (this.removed) queueMicrotask(fn); // found out before the screen listened
    this.removedListeners.push(fn);
    return () => (this.removedListeners = this.removedListeners.filter((l) => l !== fn));
  }

  close(): void {
    this.closed = true;
    this.channel?.removeEventListener("message", this.onMessage);
    this.channel?.close();
    this.channel = null;
    this.listeners = [];
    this.removedListeners = [];
  }

  private onMessage = (e: MessageEvent<Changed>): void => {
    if (e.data?.key !== this.key) return;
    if (!e.data.removed && e.data.rev <= this.rev) return;
    this.heard = Math.max(this.heard, e.data.rev);
    // a read that fails here (the database taken over by a newer version, …) is met
    // again, and reported, by the next write
    this.refresh().catch(() => {});
  };

  /** The group is gone from the store: said once, and no write goes on. */
  private gone(): Error {
    if (!this.removed) {
      this.removed = true;
      for (const l of [...this.removedListeners]) l();
    }
    return removedElsewhere();
  }

  private announce(): void {
    try {
      this.channel?.postMessage({ key: this.key, rev: this.rev });
    } catch {
      /* closed */
    }
  }

  /**
   * Re-reads the document if another tab saved a newer revision (after a message from
   * it, or on focus). Not while this tab is writing: every write catches up itself,
   * in turn, before it changes anything. Returns whether the document changed.
   */
  async refresh(): Promise<boolean> {
    if (this.inside > 0 || this.closed || this.removed) return false;
    try {
      return await this.inTurn(async () => {
        if (this.inside > 0 || this.closed || this.removed) return false;
        return this.catchUp(true);
      });
    } catch (e) {
      if (this.removed) return false; // told through `onRemoved`
      throw e;
    }
  }

  /**
   * This tab's changes, catch-ups and their saves run one at a time, in order: a change
   * must be saved before another tab's revision may replace the document, or it is lost.
   */
  private inTurn<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.turn.then(fn);
    this.turn = next.catch(() => {});
    return next;
  }

  /**
   * Loads the saved document if its revision is not this copy's; whether it did. Unless
   * `always`, reads nothing while no newer revision was heard of and the channel is open:
   * a stale copy is caught at its save (`StaleWrite`), which makes the next one read.
   */
  private async catchUp(always = false): Promise<boolean> {
    await this.saving; // this tab's own saves first: they move the revision too
    if (this.removed) throw removedElsewhere();
    if (!always && this.channel !== null && this.rev >= this.heard) return false;
    const stored = await this.env.store.loadGroup(this.key);
    if (!stored) throw this.gone();
    if ((stored.rev ?? 0) === this.rev) return false;
    this.replace(stored.saved, stored.rev ?? 0);
    return true;
  }

  private replace(saved: string, rev: number): void {
    this.api = this.env.factory.load(saved);
    this.rev = rev;
    this.durable = saved;
    for (const l of this.listeners) l();
  }

  /**
   * Saves `api` and tells the other tabs. A tab's saves run one after another, so a
   * change saved while its own round saves does not race it to the same revision. If the
   * document was replaced by a newer revision meanwhile, `api` is stale: it is not saved.
   * If the save fails (a newer revision in the store, storage full), the document goes
   * back to its last save before the next save may run: what `api` holds beyond it is
   * dropped, as a restart would drop it (a round running on `api` then ends at its save).
   */
  private save(api: GroupApi): Promise<void> {
    const next = this.saving.then(async () => {
      if (this.removed) throw removedElsewhere();
      if (api !== this.api) throw new StaleWrite(this.key, this.rev, this.rev);
      try {
        const saved = serialise(api);
        this.rev = await this.env.store.saveGroup(api, this.rev, saved);
        this.durable = saved;
      } catch (e) {
        if (e instanceof StaleWrite) this.heard = Math.max(this.heard, e.found, this.rev + 1); // the next catch-up reads
        this.rollBack();
        throw e;
      }
      this.announce();
    });
    this.saving = next.catch(() => {});
    return next;
  }

  /** Back to the last save (which this version wrote or read, so it loads). */
  private rollBack(): void {
    try {
      this.replace(this.durable, this.rev);
    } catch {
      /* the save's own error says what went wrong */
    }
  }

  /**
   * Runs `fn` holding the group's lock. A call made while this tab already holds it
   * (a change made during this tab's own sync round, or the round a change starts once
   * it is saved) runs at once, inside the same hold: the lock is released when the last
   * one is done, and each caller has its answer when its own `fn` is. Returns `busy` when `ifAvailable`
   * and another tab holds the lock. After `waitMs` without the lock (its holder may be
   * frozen), runs `fn` anyway: the revision check keeps the holder from saving over it.
   */
  private async locked<T>(fn: () => Promise<T>, ifAvailable: boolean, waitMs?: number): Promise<T | typeof BUSY> {
    if (this.inside > 0) return this.within(fn);
    const timeout = waitMs === undefined ? null : new AbortController();
    const timer = timeout && setTimeout(() => timeout.abort(new LockWaitTimeout()), waitMs);
    try {
      return await this.request(fn, ifAvailable, timeout?.signal);
    } catch (e) {
      if (!(e instanceof LockWaitTimeout)) throw e;
      return this.within(fn);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  private async within<T>(fn: () => Promise<T>): Promise<T> {
    this.inside += 1;
    try {
      return await fn();
    } finally {
      this.leave();
    }
  }

  private request<T>(fn: () => Promise<T>, ifAvailable: boolean, signal?: AbortSignal): Promise<T | typeof BUSY> {
    const options = signal ? { ifAvailable, signal } : { ifAvailable };
    step("lock: asked");
    return new Promise((answer, fail) => {
      this.env.locks
        .request(`gfms-group-${this.key}`, options, async (lock) => {
          step("lock: answered");
          if (lock === null) return answer(BUSY);
          // the caller has its answer now; the lock is kept for what runs inside (a
          // round the change started) until that is done too
          await this.within(fn).then(answer, fail);
          if (this.inside > 0) await new Promise<void>((done) => (this.drained = done));
        })
        .catch(fail);
    });
  }

  private leave(): void {
    this.inside -= 1;
    if (this.inside === 0 && this.drained) {
      const done = this.drained;
      this.drained = null;
      done();
    }
  }

  /**
   * A change by the user: runs `fn` on the newest revision and saves it durably. Should a
   * newer revision turn up at the save (a tab that went ahead without the lock, or no
   * Web Locks at all), the change is made again on that one. `saved` is called once the
   * change is durable, still holding the lock: a round it starts (to send the change)
   * runs inside the same hold, with no second wait for the lock.
   */
  async write<T>(fn: (api: GroupApi, nowMs: number) => T, saved?: () => void): Promise<T> {
    const change = () =>
      this.inTurn(async () => {
        step("write: locked");
        await this.catchUp();
        step("write: caught up");
        const api = this.api;
        const value = fn(api, Date.now());
        step("write: applied");
        await this.save(api);
        step("write: saved");
        saved?.();
        return value;
      });
    for (let attempt = 0; ; attempt++) {
      try {
        return (await this.locked(change, false, this.env.lockWaitMs ?? LOCK_WAIT_MS)) as T;
      } catch (e) {
        if (!(e instanceof StaleWrite) || attempt >= STALE_RETRIES) throw e;
      }
    }
  }

  /**
   * A share a relay pushed with its bytes: offered to the engine, and saved if its batch
   * opened (then true). `merged` is called as soon as the batch is merged in memory,
   * before the save: the screen may show it at once, as no ack of it leaves before a save
   * that holds it (the round acks, after its own save); should the save fail, the
   * document goes back to its last save and the screen is told (`subscribe`). It does not take the group's lock: the round the same
   * push asks for must not find the lock taken and skip (a round that is not demanded
   * skips when the lock is held), and the save's revision check keeps it from saving over
   * another tab's change (then false, as when the share was not used). A share not used
   * costs nothing: the relay still lists it and the round fetches it as before.
   */
  async offer(socketUrl: string, shareId: string, bytes: string, merged?: () => void): Promise<boolean> {
    try {
      return await this.inTurn(async () => {
        const api = this.api;
        step("offer: start");
        if (api.offerShare(socketUrl, shareId, bytes, Date.now()) !== "merged") return false;
        step("offer: merged");
        merged?.();
        await this.save(api);
        step("offer: saved");
        return true;
      });
    } catch {
      return false;
    }
  }

  /**
   * One sync round under the lock, saving when the engine asks and at the end. With
   * `ifAvailable`, returns null at once if another tab holds the lock (it is writing or
   * syncing this group; its save will reach this tab); else it waits, as a change does,
   * at most `LOCK_WAIT_MS`. A newer revision found at a save ends the round like a crash
   * would, and the round runs again on that revision.
   */
  async sync(fetchFn: FetchFn | undefined, ifAvailable: boolean, progress?: (p: RoundProgress) => void): Promise<SyncReport | null> {
    const round = async () => {
      step("round: locked");
      await this.inTurn(() => this.catchUp());
      step("round: caught up");
      const api = this.api;
      // receipts the round completed are stored before the save that forgets them; those
      // others asked for are sent again if this phone holds them
      const save = async () => {
        if (this.env.blobs) {
          await keepReceived(api, this.env.blobs);
          await answerWanted(api, this.env.blobs);
          step("round: receipts kept");
        }
        await this.save(api);
      };
      const report = await runSync(api, save, fetchFn, Date.now, progress);
      await save();
      return report;
    };
    for (let attempt = 0; ; attempt++) {
      try {
        const out = await this.locked(round, ifAvailable, ifAvailable ? undefined : (this.env.lockWaitMs ?? LOCK_WAIT_MS));
        return out === BUSY ? null : out;
      } catch (e) {
        // Another tab saved meanwhile: this round ends as after a crash; run it again
        // on the newest revision.
        if (!(e instanceof StaleWrite) || attempt >= STALE_RETRIES) throw e;
      }
    }
  }
}

const BUSY = Symbol("busy");

class LockWaitTimeout extends Error {
  constructor() {
    super("waited too long for the group's lock");
  }
}
