// The round driver: runs one sans-IO `SyncRound` over `fetch` — makes the HTTP requests
// the round asks for, saves when it asks to. When rounds run is ./scheduler's business.
import { step as traceStep } from "../trace";
import type { GroupApi, HttpRequest, SyncReport, SyncRoundApi } from "../types";

export type FetchFn = (url: string, init: RequestInit) => Promise<Response>;

/** What a round is doing, as far as its requests tell. */
export interface RoundProgress {
  /** updates (batches) from others being fetched: this phone is catching up */
  receiving: number;
  /**
   * How many times this round has saved what it fetched (a save after share fetches:
   * the engine merges what it received, then asks to persist). The screen refreshes on
   * each, so a record shows as soon as it is merged, not after the acks and any
   * further round behind it.
   */
  merged?: number;
  /**
   * Said once, when the round sends its first requests: its work before them on this
   * phone (sealing, the save before an upload) is done. The screen's own work after a
   * change waits for it (./scheduler `sendNow`), so a tap's upload goes first.
   */
  requested?: true;
}

/** A share's URL: `…/v1/groups/{gid}/shares/{sid}`. */
const SHARE_URL = /\/v1\/groups\/[0-9a-f]+\/shares\/[0-9a-f]+$/;

/**
 * A share fetched by id: `GET …/shares/{sid}?member=…`, or its simple form, a `POST` on the
 * same URL (docs/protocol.md). Only a fetch names the member: puts and deletes do not.
 */
export function isShareFetch(r: HttpRequest): boolean {
  const [path = "", query = ""] = r.url.split("?");
  return (r.method === "GET" || r.method === "POST") && SHARE_URL.test(path) && new URLSearchParams(query).has("member");
}

/**
 * The updates a step of requests begins to fetch, or 0. The engine's receive phase first
 * probes one relay: it fetches one share of each batch it has not seen (docs/sync.md), so
 * the first step of share fetches in a round counts the new batches.
 */
export function updatesProbed(requests: HttpRequest[]): number {
  const fetches = requests.filter(isShareFetch);
  return fetches.length === requests.length ? fetches.length : 0;
}

/** How long one request may take, body included. */
export const REQUEST_TIMEOUT_MS = 10_000;

async function perform(round: SyncRoundApi, r: HttpRequest, fetchFn: FetchFn, timings: [string, number][]): Promise<void> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`timed out after ${REQUEST_TIMEOUT_MS / 1000} s`)), REQUEST_TIMEOUT_MS);
  const started = performance.now();
  let status: number;
  let body: Uint8Array;
  try {
    const res = await fetchFn(r.url, {
      method: r.method,
      headers: r.headers,
      body: r.body ? new Uint8Array(r.body) : null,
      signal: controller.signal,
    });
    status = res.status;
    body = new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    timings.push([r.url, performance.now() - started]);
    const reason = controller.signal.aborted && controller.signal.reason instanceof Error ? controller.signal.reason : e;
    round.fail(r.id, reason instanceof Error ? reason.message : String(reason));
    return;
  } finally {
    clearTimeout(timer);
  }
  timings.push([r.url, performance.now() - started]);
  round.handle(r.id, status, body);
}

/** The slowest request to each relay (by URL prefix), rounded ms. */
export function slowestByRelay(relays: string[], timings: [string, number][]): Map<string, number> {
  const out = new Map<string, number>();
  for (const [url, ms] of timings) {
    // the longest matching relay URL wins (a relay may be a path under another's host)
    let best: string | undefined;
    for (const relay of relays) {
      if ((url === relay || url.startsWith(`${relay}/`)) && (!best || relay.length > best.length)) best = relay;
    }
    if (best !== undefined) out.set(best, Math.max(out.get(best) ?? 0, Math.round(ms)));
  }
  return out;
}

/**
 * One sync round: requests run concurrently, `save` is awaited before the engine hears
 * `persisted()`, network failures become `fail()`. Returns the engine's report with
 * each relay's slowest round-trip. `progress` hears how many updates the round fetches
 * (once, when it begins to).
 */
export async function runSync(
  api: GroupApi,
  save: () => Promise<void>,
  fetchFn: FetchFn = (url, init) => fetch(url, init),
  nowMs: () => number = Date.now,
  progress: (p: RoundProgress) => void = () => {},
): Promise<SyncReport> {
  const round = api.syncRound(nowMs());
  traceStep("round: begun");
  const timings: [string, number][] = [];
  let receiving = 0;
  let merged = 0;
  let fetched = false; // share fetches since the last save
  let requested = false;
  for (;;) {
    const step = round.next();
    traceStep(`round: ${step.kind}`);
    switch (step.kind) {
      case "requests": {
        const probed = receiving > 0 ? 0 : updatesProbed(step.requests);
        if (probed > 0) {
          receiving = probed;
          progress({ receiving, merged });
        }
        fetched ||= step.requests.some(isShareFetch);
        const answers = Promise.all(step.requests.map((r) => perform(round, r, fetchFn, timings)));
        if (!requested) {
          requested = true; // every fetch above has started
          progress({ receiving, merged, requested });
        }
        await answers;
        break;
      }
      case "persist":
        await save();
        round.persisted();
        traceStep("round: persisted");
        if (fetched) {
          fetched = false;
          merged += 1;
          progress({ receiving, merged });
        }
        break;
      case "done": {
        const slowest = slowestByRelay(step.report.relays.map((r) => r.url), timings);
        return {
          ...step.report,
          relays: step.report.relays.map((r) => {
            const ms = slowest.get(r.url);
            return ms === undefined ? r : { ...r, slowest_ms: ms };
          }),
        };
      }
    }
  }
}
