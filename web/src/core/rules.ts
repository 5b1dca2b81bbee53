// The core's rules the app applies outside a group (client-wasm/src/wasm/rules.rs): each
// has one definition, in Rust. Call them once the core is loaded (loadCore / initWasm).
import { currencyExponent as exponentInCore, normalizeRelayUrl as normalizeInCore, PollBackoff } from "../wasm/gfms_client.js";

export { PollBackoff };

const exponents = new Map<string, number>();

/** Minor-unit digits of a currency as ISO 4217 lists them (2 for codes it does not list). */
export function currencyExponent(currency: string): number {
  let exp = exponents.get(currency);
  if (exp === undefined) {
    exp = exponentInCore(currency);
    exponents.set(currency, exp);
  }
  return exp;
}

/** The one spelling of a relay URL (per-relay keys derive from it), or null if it is none. */
export function normalizeRelayUrl(url: string): string | null {
  try {
    return normalizeInCore(url);
  } catch {
    return null;
  }
}
