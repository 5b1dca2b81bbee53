// Which tab may write a group: the Web Locks API (every current browser; WebKit since
// 15.4), with a stand-in for where it is missing. The stand-in only orders this tab's own
// writes; the revision check of ./storage still keeps tabs from overwriting each other.

export interface LockOptions {
  /** answer `null` at once instead of waiting when the lock is held */
  ifAvailable?: boolean;
  /** stop waiting (the request rejects with the signal's reason); no effect once granted */
  signal?: AbortSignal;
}

/** The part of `navigator.locks` the app uses. */
export interface Locks {
  request<T>(name: string, options: LockOptions, fn: (lock: unknown) => Promise<T>): Promise<T>;
}

/** Locks within one JS realm: FIFO per name, like the Web Locks API. */
export function localLocks(): Locks {
  const queues = new Map<string, Promise<unknown>>();
  return {
    request<T>(name: string, options: LockOptions, fn: (lock: unknown) => Promise<T>): Promise<T> {
      if (options.ifAvailable && queues.has(name)) return fn(null);
      const { signal } = options;
      let started = false;
      const before = queues.get(name) ?? Promise.resolve();
      const run = before.then(() => {
        if (signal?.aborted) throw signal.reason;
        started = true;
        return fn({ name });
      });
      const tail = run.catch(() => {});
      queues.set(name, tail);
      void tail.then(() => {
        if (queues.get(name) === tail) queues.delete(name);
      });
      if (!signal) return run;
      return new Promise<T>((ok, fail) => {
        run.then(ok, fail);
        signal.addEventListener("abort", () => started || fail(signal.reason), { once: true });
      });
    },
  };
}

/** The browser's locks, else the stand-in. */
export function browserLocks(): Locks {
  const nav = typeof navigator === "undefined" ? undefined : (navigator as Navigator & { locks?: Locks });
  return nav?.locks ?? localLocks();
}
