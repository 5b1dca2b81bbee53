// Relay configuration and health: parsing the relay list the app starts with, and
// turning a relay's GET /v1/health answer into what the user sees.
import { normalizeRelayUrl } from "./core/rules";
import { t } from "./i18n";

/** What a relay reports about itself (GET /v1/health). */
export interface Health {
  service: string;
  api: string;
  version: string;
  ttl_seconds: number;
  max_share_bytes: number;
  registration_required: boolean;
  /** the relay's VAPID public key: it forwards Web Push notifications (absent: it does not) */
  vapid_public_key?: string;
}

/** One relay as the app shows it. */
export type RelayState =
  | { url: string; state: "checking" }
  | { url: string; state: "up"; health: Health; millis: number }
  | { url: string; state: "down"; reason: string };

/**
 * Parses a comma-separated relay list: trims, drops empties, what is not an http(s) URL
 * and duplicates, and spells each URL as the core does (`normalizeRelayUrl`): the URL
 * feeds the per-relay key derivation, so the same relay must always have the same URL.
 */
export function parseRelays(list: string): string[] {
  const seen = new Set<string>();
  for (const part of list.split(",")) {
    const url = part.trim() ? normalizeRelayUrl(part) : null;
    if (url) seen.add(url);
  }
  return [...seen];
}

/** Checks that an answer is a GFMS v1 relay's health. */
export function parseHealth(body: unknown): Health | null {
  if (typeof body !== "object" || body === null) return null;
  const h = body as Record<string, unknown>;
  if (h.service !== "gfms-relay" || h.api !== "v1") return null;
  if (typeof h.ttl_seconds !== "number" || typeof h.max_share_bytes !== "number") return null;
  return {
    service: h.service,
    api: h.api,
    version: String(h.version ?? "?"),
    ttl_seconds: h.ttl_seconds,
    max_share_bytes: h.max_share_bytes,
    registration_required: h.registration_required === true,
    ...(typeof h.vapid_public_key === "string" ? { vapid_public_key: h.vapid_public_key } : {}),
  };
}

/** "1 h", "30 min", "45 s": how long a relay keeps shares. */
export function formatTtl(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** Asks one relay for its health, with a timeout. */
export async function checkRelay(url: string, timeoutMs = 5000): Promise<RelayState> {
  const started = performance.now();
  try {
    const res = await fetch(`${url}/v1/health`, { signal: AbortSignal.timeout(timeoutMs) });
    const health = parseHealth(await res.json());
    if (!res.ok || !health) return { url, state: "down", reason: t("relay.notGfms", { status: String(res.status) }) };
    return { url, state: "up", health, millis: Math.round(performance.now() - started) };
  } catch (e) {
    if (typeof navigator !== "undefined" && navigator.onLine === false) return { url, state: "down", reason: t("relay.offline") };
    return { url, state: "down", reason: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Reads the relay list as typed in the app: one relay per line (commas work too), each
 * optionally followed by the registration key of a relay that serves only its operator's
 * friends (`https://relay.example  key`). Returns the relays and their keys.
 */
export function relaysAndKeysFromText(text: string): { relays: string[]; keys: Record<string, string> } {
  const relays: string[] = [];
  const keys: Record<string, string> = {};
  for (const line of text.split(/[\n,]/)) {
    const [first, key] = line.trim().split(/\s+/, 2);
    const [url] = parseRelays(first ?? "");
    if (!url) continue;
    if (!relays.includes(url)) relays.push(url);
    if (key) keys[url] = key;
  }
  return { relays, keys };
}
