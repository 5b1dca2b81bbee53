// Whether this phone should ask "Are you one of these?" in a group: set when it joined the
// group here (the people it may be were added by name before it came), cleared once it
// claimed one or said "none of these". Kept in localStorage: nothing else needs it, and
// where it cannot be kept (private browsing) the question is simply asked once per visit.

const KEY = (group: string) => `gfms-claim-offer:${group}`;
const memory = new Set<string>();

function storage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

/** This phone just joined `group`: offer its placeholders once the history is there. */
export function offerClaim(group: string): void {
  memory.add(group);
  try {
    storage()?.setItem(KEY(group), "1");
  } catch {
    /* full or refused: the in-memory flag still asks this visit */
  }
}

export function claimOffered(group: string): boolean {
  if (memory.has(group)) return true;
  try {
    return storage()?.getItem(KEY(group)) === "1";
  } catch {
    return false;
  }
}

/** Claimed, or "none of these": do not ask again. */
export function endClaimOffer(group: string): void {
  memory.delete(group);
  try {
    storage()?.removeItem(KEY(group));
  } catch {
    /* nothing kept */
  }
}
