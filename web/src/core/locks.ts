// Which tab may write a group: the Web Locks API (every current browser; WebKit since
// 15.4), with a stand-in for where it is missing. The stand-in only orders this tab's own
// writes; the revision check of ./storage still keeps tabs from overwriting each other.

/** The part of `navigator.locks` the app uses. */
export interface Locks {
  request<T>(name: string, options: { ifAvailable?: boolean }, fn: (lock: unknown) => Promise<T>): Promise<T>;
}

/** Locks within one JS realm: FIFO per name, `ifAvailable` answers `null` when held. */
export function localLocks(): Locks {
  const queues = new Map<string, Promise<unknown>>();
  const held = new Set<string>();
  return {
    request<T>(name: string, options: { ifAvailable?: boolean }, fn: (lock: unknown) => Promise<T>): Promise<T> {
      if (options.ifAvailable && (held.has(name) || queues.has(name))) return fn(null);
      const before = queues.get(name) ?? Promise.resolve();
      const run = before.then(async () => {
        held.add(name);
        try {
          return await fn({ name });
        } finally {
          held.delete(name);
        }
      });
      const tail = run.catch(() => {});
      queues.set(name, tail);
      void tail.then(() => {
        if (queues.get(name) === tail) queues.delete(name);
      });
      return run;
    },
  };
}

/** The browser's locks, else the stand-in. */
export function browserLocks(): Locks {
  const nav = typeof navigator === "undefined" ? undefined : (navigator as Navigator & { locks?: Locks });
  return nav?.locks ?? localLocks();
}
