// Subscriptions a push service said are gone (it answered 404 or 410 through a relay):
// this phone stops sending to them. Kept on this device only: another member's
// subscription in the ledger is theirs to change, and their app subscribes again when it
// next opens (./renew), with a new endpoint that is not on this list.

/** The endpoints this phone no longer sends to. */
export interface DeadEndpoints {
  has(endpoint: string): boolean;
  add(endpoints: string[]): void;
}

const KEY = "gfms-dead-push-endpoints";
/** The most remembered: the oldest are forgotten first (a push service never reuses one). */
export const MAX_DEAD = 200;

/** In memory (tests), or over `localStorage` when given one. */
export function deadEndpoints(storage: Pick<Storage, "getItem" | "setItem"> | null = null): DeadEndpoints {
  let list: string[] = [];
  try {
    const saved: unknown = JSON.parse(storage?.getItem(KEY) ?? "[]");
    if (Array.isArray(saved)) list = saved.filter((e): e is string => typeof e === "string");
  } catch {
    list = [];
  }
  return {
    has: (endpoint) => list.includes(endpoint),
    add: (endpoints) => {
      const fresh = endpoints.filter((e) => !list.includes(e));
      if (fresh.length === 0) return;
      list = [...list, ...fresh].slice(-MAX_DEAD);
      try {
        storage?.setItem(KEY, JSON.stringify(list));
      } catch {
        // storage full or blocked: remembered for this session only
      }
    },
  };
}

/** This browser's list, kept across sessions. */
export function browserDeadEndpoints(): DeadEndpoints {
  return deadEndpoints(typeof localStorage === "undefined" ? null : localStorage);
}
