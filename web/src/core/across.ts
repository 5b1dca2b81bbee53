// Across groups (the group list's "Across groups" section): what each person owes you or
// you owe them over all the groups on this device, per currency, from each group's
// settle-up plan (the core's `settleUp`). The same person in two groups is only summed
// once the user confirmed it: those links are this device's, never in any ledger.
//
// The sum is here in TypeScript, not in the core: it is integer addition of amounts the
// core already computed (no rounding), and keeping it out of the wasm keeps the client
// under its size ceilings. It is the only implementation (the ledger has none).
import type { MemberId, Transfer } from "./types";

/** One member of one group on this device. */
export interface MemberRef {
  group: string;
  member: MemberId;
}

/** What the section needs of one group (read from its saved client). */
export interface AcrossGroup {
  key: string;
  name: string;
  currency: string;
  /** this device's member: "you" */
  me: MemberId;
  /** the members to list, by id, with their names */
  members: Record<MemberId, string>;
  /** the group's settle-up plan, in minor units of `currency` */
  transfers: Transfer[];
}

/** One person's line: per currency, positive when they owe you, negative when you owe them. */
export interface PersonTotal {
  name: string;
  refs: MemberRef[];
  /** by currency code, sorted; zero sums are left out */
  net: [string, number][];
}

export interface AcrossView {
  /** people the user confirmed, summed over their groups */
  linked: PersonTotal[];
  /** everyone else, per group */
  byGroup: { key: string; name: string; people: PersonTotal[] }[];
  /** the same name in several groups, not yet confirmed: one tap links them */
  suggestions: { name: string; refs: MemberRef[] }[];
}

/** A link is a set of members the user said are one person. */
export type Link = MemberRef[];

/** "Zoë ", "zoe", "ZOË" → "zoe": names compared without case or accents. */
export function sameNameKey(name: string): string {
  return name.normalize("NFD").replace(/\p{M}/gu, "").trim().toLocaleLowerCase("en");
}

const refKey = (r: MemberRef) => `${r.group}\u0000${r.member}`;

/** Each group's amounts between you and each other member: +they owe you, −you owe them. */
function groupNet(g: AcrossGroup): Map<MemberId, number> {
  const out = new Map<MemberId, number>();
  for (const t of g.transfers) {
    if (t.to === g.me && t.from !== g.me) out.set(t.from, (out.get(t.from) ?? 0) + t.amount);
    else if (t.from === g.me && t.to !== g.me) out.set(t.to, (out.get(t.to) ?? 0) - t.amount);
  }
  return out;
}

/** The view, from the groups and the links kept on this device. Links to a group or
 * member that no longer exists (or to you) are ignored; a link left with fewer than two
 * members links nothing. A member in two links counts in the first only. */
export function acrossView(groups: AcrossGroup[], links: Link[]): AcrossView {
  const byKey = new Map(groups.map((g) => [g.key, g]));
  const nets = new Map(groups.map((g) => [g.key, groupNet(g)]));
  const valid = (r: MemberRef) => {
    const g = byKey.get(r.group);
    return g !== undefined && r.member !== g.me && g.members[r.member] !== undefined;
  };
  const nameOf = (r: MemberRef) => byKey.get(r.group)?.members[r.member] ?? "";
  const taken = new Set<string>();
  const total = (name: string, refs: MemberRef[]): PersonTotal => {
    const sums = new Map<string, number>();
    for (const r of refs) {
      const g = byKey.get(r.group);
      const amount = nets.get(r.group)?.get(r.member) ?? 0;
      if (g && amount !== 0) sums.set(g.currency, (sums.get(g.currency) ?? 0) + amount);
    }
    const net = [...sums].filter(([, v]) => v !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { name, refs, net };
  };

  const linked: PersonTotal[] = [];
  for (const link of links) {
    const refs = link.filter((r) => valid(r) && !taken.has(refKey(r)));
    if (refs.length < 2) continue;
    refs.forEach((r) => taken.add(refKey(r)));
    linked.push(total(nameOf(refs[0] as MemberRef), refs));
  }

  const byGroup: AcrossView["byGroup"] = [];
  const byName = new Map<string, MemberRef[][]>();
  for (const g of groups) {
    const people: PersonTotal[] = [];
    for (const [member, name] of Object.entries(g.members)) {
      const ref = { group: g.key, member };
      if (!valid(ref) || taken.has(refKey(ref))) continue;
      people.push(total(name, [ref]));
      const k = sameNameKey(name);
      byName.set(k, [...(byName.get(k) ?? []), [ref]]);
    }
    people.sort((a, b) => a.name.localeCompare(b.name));
    if (people.length > 0) byGroup.push({ key: g.key, name: g.name, people });
  }
  // a linked person can take in the same name from a group it does not cover yet
  for (const p of linked) {
    const k = sameNameKey(p.name);
    const found = byName.get(k);
    if (found) byName.set(k, [p.refs, ...found]);
  }

  const suggestions: AcrossView["suggestions"] = [];
  for (const entities of byName.values()) {
    if (entities.length < 2) continue;
    const covered = new Set<string>();
    const refs: MemberRef[] = [];
    for (const e of entities) {
      if (e.some((r) => covered.has(r.group))) continue;
      e.forEach((r) => covered.add(r.group));
      refs.push(...e);
    }
    if (covered.size >= 2 && refs.length > (entities[0]?.length ?? 0)) suggestions.push({ name: nameOf(refs[0] as MemberRef), refs });
  }
  suggestions.sort((a, b) => a.name.localeCompare(b.name));
  linked.sort((a, b) => a.name.localeCompare(b.name));
  return { linked, byGroup, suggestions };
}

/** `links` with `refs` confirmed as one person (merged with any link sharing a member). */
export function confirmLink(links: Link[], refs: MemberRef[]): Link[] {
  const keys = new Set(refs.map(refKey));
  const touching = links.filter((l) => l.some((r) => keys.has(refKey(r))));
  const merged = [...refs];
  for (const l of touching) for (const r of l) if (!keys.has(refKey(r))) (keys.add(refKey(r)), merged.push(r));
  return [...links.filter((l) => !touching.includes(l)), merged];
}

/** `links` without the one holding `ref`. */
export function unlink(links: Link[], ref: MemberRef): Link[] {
  return links.filter((l) => !l.some((r) => refKey(r) === refKey(ref)));
}

// Kept like the language choice: in localStorage, read defensively (a record another
// version wrote, or garbage, reads as no links).
const STORAGE_KEY = "gfms.acrossLinks";

function storage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

const isRef = (r: unknown): r is MemberRef =>
  typeof r === "object" && r !== null && typeof (r as MemberRef).group === "string" && typeof (r as MemberRef).member === "string";

/** The links saved on this device. */
export function loadLinks(store: Pick<Storage, "getItem"> | null = storage()): Link[] {
  try {
    const raw: unknown = JSON.parse(store?.getItem(STORAGE_KEY) ?? "[]");
    if (!Array.isArray(raw)) return [];
    return raw.filter((l): l is unknown[] => Array.isArray(l)).map((l) => l.filter(isRef).map((r) => ({ group: r.group, member: r.member })));
  } catch {
    return [];
  }
}

/** Saves the links (refused or full storage: they last this visit only). */
export function saveLinks(links: Link[], store: Pick<Storage, "setItem"> | null = storage()): void {
  try {
    store?.setItem(STORAGE_KEY, JSON.stringify(links));
  } catch {
    /* the section still shows them until the page is left */
  }
}
