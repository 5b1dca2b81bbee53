// The core's rules the app applies outside a group (client-wasm/src/wasm/rules.rs): each
// has one definition, in Rust. A currency's decimals come from the first-screen module
// (client-wasm/view, the same gfms-ledger function), so amounts format before the core
// is there; a relay URL's spelling and the poll backoff come from the core, which the
// app loads right after the first screen (./wasm `loadCore`): only what runs with the
// core calls them (joining, creating, sync, relay settings).
import type * as CoreGlue from "../wasm/gfms_client.js";
import { currencyExponent as exponentInView } from "../wasm/gfms_view.js";

let core: typeof CoreGlue | null = null;

/** Called by ./wasm once the core is instantiated. */
export function provideCoreRules(glue: typeof CoreGlue): void {
  core = glue;
}

function loadedCore(): typeof CoreGlue {
  if (!core) throw new Error("the client core is not loaded yet");
  return core;
}

const exponents = new Map<string, number>();

/** Minor-unit digits of a currency as ISO 4217 lists them (2 for codes it does not list). */
export function currencyExponent(currency: string): number {
  let exp = exponents.get(currency);
  if (exp === undefined) {
    // the same gfms-ledger function in either module: the core's once it is there
    exp = core ? core.currencyExponent(currency) : exponentInView(currency);
    exponents.set(currency, exp);
  }
  return exp;
}

/** The one spelling of a relay URL (per-relay keys derive from it), or null if it is none. */
export function normalizeRelayUrl(url: string): string | null {
  try {
    return loadedCore().normalizeRelayUrl(url);
  } catch {
    return null;
  }
}

/** The core's poll backoff (`PollBackoff` in rules.rs), made once the core is loaded. */
export class PollBackoff {
  private readonly inner: CoreGlue.PollBackoff;
  constructor(minMs: number, maxMs: number) {
    this.inner = new (loadedCore().PollBackoff)(minMs, maxMs);
  }
  afterRound(report: string): boolean {
    return this.inner.afterRound(report);
  }
  delayMs(): number {
    return this.inner.delayMs();
  }
  news(): void {
    this.inner.news();
  }
  quiet(): void {
    this.inner.quiet();
  }
  free(): void {
    this.inner.free();
  }
}
