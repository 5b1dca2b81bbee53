// Web Push message encryption (RFC 8291) in the aes128gcm content coding (RFC 8188),
// done by the sending member's app with WebCrypto (ECDH P-256, HKDF-SHA-256, AES-GCM),
// so relays and push services only ever see ciphertext. One record, no padding
// beyond the delimiter: a notification is far below the 4096-byte record size.

/** A recipient's push subscription, as `PushSubscription.toJSON()` gives it. */
export interface PushTarget {
  endpoint: string;
  /** The subscriber's ECDH P-256 public key, uncompressed point, base64url. */
  p256dh: string;
  /** The 16-byte authentication secret, base64url. */
  auth: string;
}

/** Largest body a push service must accept (RFC 8030 §7.2); the relay enforces it too. */
export const MAX_PUSH_PAYLOAD_BYTES = 4096;
const RECORD_SIZE = 4096;
const enc = new TextEncoder();

export function toBase64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

async function hkdf(salt: Uint8Array, ikm: Uint8Array, info: Uint8Array, bytes: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", ikm as BufferSource, "HKDF", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    { name: "HKDF", hash: "SHA-256", salt: salt as BufferSource, info: info as BufferSource },
    key,
    bytes * 8,
  );
  return new Uint8Array(bits);
}

/** The sender's one-time key pair and its public key's raw bytes. */
export interface SenderKey {
  privateKey: CryptoKey;
  publicRaw: Uint8Array;
}

async function freshSender(): Promise<SenderKey> {
  const pair = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
  const publicRaw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  return { privateKey: pair.privateKey, publicRaw };
}

/** Why a subscription cannot be encrypted to. */
export class PushKeyError extends Error {}

/**
 * Encrypts `plaintext` for one subscription: the `aes128gcm` body (header with salt,
 * record size and the sender's public key, then one record). `salt` and `sender` are
 * for the RFC's test vector only; by default both are fresh for every message.
 */
export async function encryptPush(
  target: Pick<PushTarget, "p256dh" | "auth">,
  plaintext: Uint8Array,
  fixed: { salt?: Uint8Array; sender?: SenderKey } = {},
): Promise<Uint8Array> {
  const uaPublic = fromBase64url(target.p256dh);
  const authSecret = fromBase64url(target.auth);
  if (uaPublic.length !== 65 || uaPublic[0] !== 4 || authSecret.length !== 16) {
    throw new PushKeyError("not a Web Push subscription key");
  }
  // The record holds the plaintext and a one-byte delimiter, plus a 16-byte tag.
  const header = 16 + 4 + 1 + 65;
  if (header + plaintext.length + 1 + 16 > MAX_PUSH_PAYLOAD_BYTES) {
    throw new PushKeyError("notification too long");
  }
  const salt = fixed.salt ?? crypto.getRandomValues(new Uint8Array(16));
  const sender = fixed.sender ?? (await freshSender());
  let uaKey: CryptoKey;
  try {
    uaKey = await crypto.subtle.importKey("raw", uaPublic as BufferSource, { name: "ECDH", namedCurve: "P-256" }, false, []);
  } catch {
    throw new PushKeyError("the subscription key is not a P-256 point");
  }
  const ecdhSecret = new Uint8Array(
    await crypto.subtle.deriveBits({ name: "ECDH", public: uaKey }, sender.privateKey, 256),
  );
  // RFC 8291 §3.4: the input keying material binds both public keys and the auth secret.
  const keyInfo = concat(enc.encode("WebPush: info\0"), uaPublic, sender.publicRaw);
  const ikm = await hkdf(authSecret, ecdhSecret, keyInfo, 32);
  const cek = await hkdf(salt, ikm, enc.encode("Content-Encoding: aes128gcm\0"), 16);
  const nonce = await hkdf(salt, ikm, enc.encode("Content-Encoding: nonce\0"), 12);
  const aes = await crypto.subtle.importKey("raw", cek as BufferSource, "AES-GCM", false, ["encrypt"]);
  // The last (and only) record ends with the delimiter 0x02 (RFC 8188 §2).
  const record = concat(plaintext, Uint8Array.of(2));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv: nonce as BufferSource }, aes, record as BufferSource),
  );
  const rs = new Uint8Array(4);
  new DataView(rs.buffer).setUint32(0, RECORD_SIZE);
  return concat(salt, rs, Uint8Array.of(65), sender.publicRaw, sealed);
}
