// This tab's connection to the app's IndexedDB database, kept safe from a tab of another
// version (../shared/ADVERSARIES.md "a member's device can … run a newer version"):
// - a NEWER version (another tab, after the service worker updated the app) asks to
//   upgrade the database: this tab closes its connection at once, so the upgrade goes
//   ahead, and from then on every call here fails with `Superseded` (a save that fails
//   this way is a failed save: ./doc puts the tab's copy back) and the screen offers a
//   reload (`databaseNews`: "superseded"). A transaction already running completes.
// - an OLDER tab of a release without that rule holds the database open while this tab
//   upgrades it: the browser keeps this tab's open waiting ("blocked"). Calls made
//   meanwhile fail at once with `Blocked` instead of waiting, maybe inside a group's Web
//   Lock, for as long as the other tab stays open; the screen asks the user to close the
//   other GFMS tabs ("blocked"), and the same open goes on by itself once they are closed
//   ("unblocked"): the calls after it work as usual.
import { openDB, type DBSchema, type IDBPDatabase } from "idb";

/** What the screen is told about the database. */
export type DbNews = "blocked" | "unblocked" | "superseded";

/** Another tab runs a newer version of the app, which upgraded the database: reload. */
export class Superseded extends Error {
  readonly code = "updated_elsewhere";
  constructor() {
    super("updated_elsewhere");
  }
}

/** An older tab keeps the database from opening at this version: close the other tabs. */
export class Blocked extends Error {
  readonly code = "blocked_by_other_tab";
  constructor() {
    super("blocked_by_other_tab");
  }
}

const listeners = new Set<(news: DbNews) => void>();
let blockedNow = 0;
let supersededNow = false;

function tell(news: DbNews): void {
  if (news === "blocked") blockedNow += 1;
  if (news === "unblocked") blockedNow -= 1;
  if (news === "superseded") supersededNow = true;
  for (const fn of [...listeners]) fn(news);
}

/** Hears what happens to this tab's connections; returns the unsubscribe. */
export function databaseNews(fn: (news: DbNews) => void): () => void {
  listeners.add(fn);
  return () => void listeners.delete(fn);
}

/** What the screen should show now (for a screen drawn after the news). */
export function databaseState(): { blocked: boolean; superseded: boolean } {
  return { blocked: blockedNow > 0, superseded: supersededNow };
}

/** Resolves once no open of this tab is blocked any more. */
export function whenUnblocked(): Promise<void> {
  if (blockedNow === 0) return Promise.resolve();
  return new Promise((done) => {
    const off = databaseNews(() => {
      if (blockedNow > 0) return;
      off();
      done();
    });
  });
}

export interface Connection<S extends DBSchema | unknown> {
  /**
   * Runs `fn` on the open database. Fails with `Blocked` while an older tab keeps it from
   * opening, with `Superseded` once a newer version took it over (also when that happens
   * while `fn` runs).
   */
  run<T>(fn: (db: IDBPDatabase<S>) => Promise<T>): Promise<T>;
}

/**
 * A connection opened on first use (`upgrade` creates what each version added, from
 * the version the database was at to `version`).
 */
export function connection<S extends DBSchema | unknown>(name: string, version: number, upgrade: (db: IDBPDatabase<S>, oldVersion: number, version: number) => void): Connection<S> {
  let db: Promise<IDBPDatabase<S>> | null = null;
  let blocked = false;
  let superseded = false;
  const open = (): Promise<IDBPDatabase<S>> => {
    if (superseded) return Promise.reject(new Superseded());
    if (blocked) return Promise.reject(new Blocked());
    if (db) return db;
    let failBlocked: (e: Blocked) => void = () => {};
    const opening = openDB<S>(name, version, {
      upgrade(d, oldVersion) {
        upgrade(d, oldVersion, version);
      },
      blocked() {
        if (blocked) return;
        blocked = true;
        tell("blocked");
        failBlocked(new Blocked()); // whoever waits on it now is answered at once
      },
      // a newer version asks to upgrade: let it, now (the event's own connection, closed
      // before the browser decides whether the upgrade is blocked)
      blocking(_current, _next, event) {
        (event.target as IDBDatabase).close();
        superseded = true;
        db = null;
        tell("superseded");
      },
      // the browser closed the connection (its storage was cleared): open again next time
      terminated() {
        db = null;
      },
    });
    const answered = new Promise<IDBPDatabase<S>>((ok, fail) => {
      failBlocked = fail;
      opening.then(ok, fail);
    });
    db = answered;
    void opening.then(
      () => {
        if (!blocked) return;
        blocked = false;
        db = opening; // the calls from now on use it
        tell("unblocked");
      },
      () => {
        if (blocked) {
          blocked = false;
          tell("unblocked");
        }
        if (db === answered || db === opening) db = null; // tried again at the next call
      },
    );
    answered.catch(() => {
      if (!blocked && db === answered) db = null;
    });
    return answered;
  };
  return {
    async run(fn) {
      const d = await open();
      try {
        return await fn(d);
      } catch (e) {
        if (superseded) throw new Superseded(); // closed under it: InvalidStateError
        throw e;
      }
    },
  };
}
