// Sealing a group's saved client for IndexedDB (./storage): AES-GCM-256 under a key the
// browser generates as non-extractable, so its bytes can never be read back, not even by
// this app; a fresh 96-bit IV per seal. The additional data binds a sealed copy to its
// group and revision: a copy moved to another group's record, or to another revision of
// its own, does not open. docs/threat-model.md "Where keys live" says what this protects.

/** A sealed saved client, as kept in the "groups" store. */
export interface Sealed {
  iv: Uint8Array<ArrayBuffer>;
  ct: ArrayBuffer;
}

const LABEL = "gfms saved v1";

/** The additional data: the label, the group key and the revision, NUL-separated. */
function aad(group: string, rev: number): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`${LABEL}\u0000${group}\u0000${rev}`);
}

/** A new sealing key: AES-GCM-256, not extractable. */
export function newSealKey(): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
}

/** `saved` sealed under `key` for group `group` at revision `rev`. */
export async function sealSaved(key: CryptoKey, saved: string, group: string, rev: number): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad(group, rev) }, key, new TextEncoder().encode(saved));
  return { iv, ct };
}

/** The saved client in `sealed`; rejects if it was sealed under another key, for another
 * group or revision, or altered. */
export async function openSaved(key: CryptoKey, sealed: Sealed, group: string, rev: number): Promise<string> {
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.iv, additionalData: aad(group, rev) }, key, sealed.ct);
  return new TextDecoder().decode(plain);
}
