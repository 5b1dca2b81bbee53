// The reports module (client-wasm/reports, its own small wasm): statistics and the CSV and
// JSON exports. Loaded the first time one is asked for (Stats screen, Settings → export),
// so the first load carries only the client core; the service worker precaches it, so it
// loads offline too. It takes the core's state or events as JSON and holds no secret.
import { lazyWasm } from "./lazyWasm";
import type { Filter, Statistics } from "./types";

type Reports = typeof import("../wasm/gfms_reports.js");

const lazy = lazyWasm(() => import("../wasm/gfms_reports.js"));

/** Where the module comes from when nothing can be fetched (Node): its bytes. */
export function useReportsBytes(bytes: BufferSource): void {
  lazy.useBytes(bytes);
}

/** The module, instantiated once; a failed load is retried on the next call. */
function reports(): Promise<Reports> {
  return lazy.get();
}

/** Statistics of the expenses in `stateJson` (the core's `state()`) that pass `filter`. */
export async function statistics(stateJson: string, filter: Filter): Promise<Statistics> {
  return JSON.parse((await reports()).statistics(stateJson, JSON.stringify(filter))) as Statistics;
}

/** The expenses of `stateJson` as CSV. */
export async function exportCsv(stateJson: string): Promise<string> {
  return (await reports()).exportCsv(stateJson);
}

/** The JSON backup of the ledger whose events (the core's `events()`) are given. */
export async function exportJson(eventsJson: string): Promise<string> {
  return (await reports()).exportJson(eventsJson);
}
