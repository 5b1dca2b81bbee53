// What a member's app sends when it records something: the notification text for each
// other member who turned notifications on, encrypted for their subscription, handed to
// whichever of the group's relays is up. Never for your own records' author (you).

import { MAX_PUSH_PAYLOAD_BYTES, type PushTarget, encryptPush, toBase64url } from "./webpush";

/** An amount in minor units, with its currency's decimals, for the receiver to format. */
export interface Money {
  minor: number;
  currency: string;
  exp: number;
}

/** What happened, as the notification says it (`amount` in the sender's words, `money` as a number). */
export type Change =
  | { kind: "added" | "edited"; author: string; title: string; amount: string; money?: Money; record: string }
  | { kind: "settled"; author: string; to: string; amount: string; money?: Money; record: string }
  | { kind: "joined"; author: string };

/**
 * The change as fields: the receiver's service worker words it in the language chosen
 * on the receiving phone (public/push-sw.js); `body` stays for workers that predate it.
 */
export interface Said {
  kind: Change["kind"];
  author: string;
  title?: string;
  to?: string;
  money?: Money;
}

/** One recipient: their member id and subscription. */
export interface Recipient {
  member: string;
  /** `relay`: the relay whose VAPID key it was made with (only it can forward). */
  subscription: PushTarget & { relay?: string };
}

/** The JSON the service worker shows (public/push-sw.js). */
export interface PushMessage {
  title: string;
  body: string;
  group: string;
  record?: string;
  said?: Said;
}

function said(change: Change): Said {
  const out: Said = { kind: change.kind, author: change.author };
  if (change.kind === "joined") return out;
  if (change.kind === "settled") out.to = change.to;
  else out.title = change.title;
  if (change.money) out.money = change.money;
  return out;
}

/** The text of a change: "Bob added Pizza €32.40". */
export function messageFor(group: { id: string; name: string }, change: Change): PushMessage {
  const base = { title: group.name, group: group.id, said: said(change) };
  switch (change.kind) {
    case "added":
      return { ...base, body: `${change.author} added ${change.title} ${change.amount}`, record: change.record };
    case "edited":
      return { ...base, body: `${change.author} edited ${change.title} ${change.amount}`, record: change.record };
    case "settled":
      return { ...base, body: `${change.author} paid ${change.to} ${change.amount}`, record: change.record };
    case "joined":
      return { ...base, body: `${change.author} joined the group` };
  }
}

/** A relay that can forward: its push route for this group and the bearer token there. */
export interface Forwarder {
  /** `https://relay/v1/groups/<this relay's id of the group>/push` */
  url: string;
  token: string;
}

/**
 * How each recipient's notification went: the push service's status (`gone`: the
 * subscription no longer exists, 404 or 410), or why not.
 */
export type Outcome = { member: string; status: number; gone?: true } | { member: string; error: string };

/**
 * Encrypts `message` for every recipient but `me` and asks the relays, in order, to
 * forward it: the first relay that answers carries it (only the subscription's own
 * relay when it names one). `gone`: that subscription no longer exists (../push/dead).
 */
export async function notify(
  me: string,
  recipients: Recipient[],
  message: PushMessage,
  relays: Forwarder[],
  fetchFn: typeof fetch = fetch,
): Promise<Outcome[]> {
  const text = new TextEncoder().encode(JSON.stringify(message));
  const outcomes: Outcome[] = [];
  for (const r of recipients) {
    if (r.member === me) continue;
    let payload: Uint8Array;
    try {
      payload = await encryptPush(r.subscription, text);
    } catch (e) {
      outcomes.push({ member: r.member, error: e instanceof Error ? e.message : String(e) });
      continue;
    }
    if (payload.length > MAX_PUSH_PAYLOAD_BYTES) continue;
    const body = JSON.stringify({ endpoint: r.subscription.endpoint, payload: toBase64url(payload) });
    let outcome: Outcome = { member: r.member, error: "no relay could forward it" };
    // A push service takes a subscription's messages only under the VAPID key it was
    // made with: that relay's. A subscription that names none is tried on each.
    const bound = r.subscription.relay;
    const carriers = bound ? relays.filter((f) => f.url.startsWith(`${bound}/v1/`)) : relays;
    for (const relay of carriers) {
      try {
        const res = await fetchFn(relay.url, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${relay.token}` },
          body,
        });
        if (!res.ok) continue;
        const answer = (await res.json()) as { status?: unknown; gone?: unknown };
        if (typeof answer.status === "number") {
          // `gone` from relays that say it; the status from older ones
          const gone = answer.gone === true || answer.status === 404 || answer.status === 410;
          outcome = gone ? { member: r.member, status: answer.status, gone } : { member: r.member, status: answer.status };
          break;
        }
      } catch {
        // This relay is down: try the next.
      }
    }
    outcomes.push(outcome);
  }
  return outcomes;
}
