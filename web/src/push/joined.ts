// The "joined" notification: "Dave joined the group", to the members who turned
// notifications on. Only the newcomer's app can send it (a notification is sent by the
// member who made the change), and only once its first rounds brought the group's
// history, with the others' subscriptions in it. So joining marks the group here, and
// the first round after which the history is here sends it and clears the mark. A
// member who joined before this version, or created the group, sends nothing; nobody
// is told of their own join (the sender never notifies itself).
import type { GroupApi } from "../core/types";
import { notifyChange } from "./send";

const KEY = "gfms-join-to-announce";

/** The groups (keys) this device joined and has not announced yet. */
export interface JoinMarks {
  mark(group: string): void;
  has(group: string): boolean;
  take(group: string): boolean;
}

/** In memory (tests), or over `localStorage` when given one. */
export function joinMarks(storage: Pick<Storage, "getItem" | "setItem"> | null = null): JoinMarks {
  const read = (): string[] => {
    try {
      const v: unknown = JSON.parse(storage?.getItem(KEY) ?? "[]");
      return Array.isArray(v) ? v.filter((g): g is string => typeof g === "string") : [];
    } catch {
      return [];
    }
  };
  let memory = read();
  const write = (list: string[]) => {
    memory = list.slice(-50);
    try {
      storage?.setItem(KEY, JSON.stringify(memory));
    } catch {
      // storage blocked: this session only
    }
  };
  return {
    mark: (group) => write([...(storage ? read() : memory).filter((g) => g !== group), group]),
    has: (group) => (storage ? read() : memory).includes(group),
    take: (group) => {
      const list = storage ? read() : memory;
      if (!list.includes(group)) return false;
      write(list.filter((g) => g !== group));
      return true;
    },
  };
}

export function browserJoinMarks(): JoinMarks {
  return joinMarks(typeof localStorage === "undefined" ? null : localStorage);
}

/**
 * After a round: if this device joined the group and its history is here now, tells the
 * others (once). Returns whether it sent.
 */
export async function announceJoin(
  api: GroupApi,
  marks: JoinMarks = browserJoinMarks(),
  send: typeof notifyChange = notifyChange,
): Promise<boolean> {
  let state;
  try {
    // the cheap check first: reading the whole state after every round costs
    if (!marks.has(api.groupKey())) return false;
    state = api.state();
  } catch {
    return false;
  }
  // the history (settings, members, subscriptions) has not arrived: wait for a round
  if (!state.settings) return false;
  if (!marks.take(api.groupKey())) return false;
  await send(api, { kind: "joined", author: state.members[api.me()]?.name ?? "Someone" });
  return true;
}
