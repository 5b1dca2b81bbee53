// From the group's state to a notification's addressees and carriers: the other
// active members who turned notifications on, and the group's relays with this
// group's bearer token at each (the same the push WebSockets use).

import type { GroupState } from "../core/types";
import type { Forwarder, Recipient } from "./notify";

/** Active members with a subscription, except `me` (never notify yourself). */
export function recipientsOf(state: Pick<GroupState, "members" | "push">, me: string): Recipient[] {
  return Object.entries(state.push ?? {})
    .filter(([member]) => member !== me && state.members[member]?.status === "active")
    .flatMap(([member, sub]) => (sub ? [{ member, subscription: sub }] : []));
}

/**
 * The relays that can forward, from the facade's push endpoints
 * (`[wss://relay/v1/groups/G/ws?member=M, ["gfms.v1", "bearer.<token>"]]`).
 */
export function forwardersOf(endpoints: [string, string[]][]): Forwarder[] {
  return endpoints.flatMap(([ws, protocols]) => {
    const token = protocols.find((p) => p.startsWith("bearer."))?.slice("bearer.".length);
    let url: URL;
    try {
      url = new URL(ws);
    } catch {
      return [];
    }
    // Each relay knows the group under its own id: keep the socket's path, route /push.
    if (!token || !/\/ws$/.test(url.pathname)) return [];
    const origin = `${url.protocol === "wss:" ? "https:" : "http:"}//${url.host}`;
    return [{ url: origin + url.pathname.replace(/\/ws$/, "/push"), token }];
  });
}
