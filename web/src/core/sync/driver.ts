// Drives the sans-IO sync engine: makes the HTTP requests a round asks for, saves when
// it asks to, and schedules rounds (on open, focus, a timer, and relay push messages).
import type { GroupApi, HttpRequest, SyncReport, SyncRoundApi } from "./types";

export type FetchFn = (url: string, init: RequestInit) => Promise<Response>;

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
 * each relay's slowest round-trip.
 */
export async function runSync(
  api: GroupApi,
  save: () => Promise<void>,
  fetchFn: FetchFn = (url, init) => fetch(url, init),
  nowMs: () => number = Date.now,
): Promise<SyncReport> {
  const round = api.syncRound(nowMs());
  const timings: [string, number][] = [];
  for (;;) {
    const step = round.next();
    switch (step.kind) {
      case "requests":
        await Promise.all(step.requests.map((r) => perform(round, r, fetchFn, timings)));
        break;
      case "persist":
        await save();
        round.persisted();
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

// ---- scheduling -------------------------------------------------------------------

export const POLL_MS = 30_000;
export const MAX_POLL_MS = 5 * 60_000;

/** The poll interval after `quiet` rounds in a row that brought nothing while relays failed. */
export function pollDelayMs(quiet: number): number {
  return Math.min(POLL_MS * 2 ** Math.max(0, quiet), MAX_POLL_MS);
}

/** Reconnect delay for a push socket after `attempt` failures (1 s, 2 s, 4 s … 5 min). */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempt), MAX_POLL_MS);
}

/** A round that received nothing while some relay was not up: a reason to back off. */
export function isQuietFailure(report: SyncReport | null): boolean {
  if (!report) return true; // the round itself failed
  const nothingNew = report.received_batches === 0 && report.received_events === 0;
  return nothingNew && report.relays.some((r) => r.health !== "up");
}

export interface SyncStatus {
  running: boolean;
  lastReport: SyncReport | null;
  lastError: string | null;
  /** unix ms the last round finished (this session) */
  lastMs: number;
  /** push sockets currently open */
  pushOpen: number;
}

export interface SchedulerEnv {
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  /** null when there is no page (tests) */
  document: Pick<Document, "visibilityState" | "addEventListener" | "removeEventListener"> | null;
  window: Pick<Window, "addEventListener" | "removeEventListener"> | null;
  WebSocket: (new (url: string, protocols: string[]) => WebSocket) | null;
  now: () => number;
}

function browserEnv(): SchedulerEnv {
  const hasDom = typeof document !== "undefined" && typeof window !== "undefined";
  return {
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
    document: hasDom ? document : null,
    window: hasDom ? window : null,
    WebSocket: typeof WebSocket === "undefined" ? null : WebSocket,
    now: Date.now,
  };
}

interface Socket {
  url: string;
  ws: WebSocket | null;
  attempt: number;
  timer: unknown;
}

/**
 * Runs sync rounds for one open group, one at a time: triggers during a round coalesce
 * into one more round after it.
 */
export class SyncScheduler {
  status: SyncStatus = { running: false, lastReport: null, lastError: null, lastMs: 0, pushOpen: 0 };
  private env: SchedulerEnv;
  private current: Promise<void> | null = null;
  private again = false;
  private quiet = 0;
  private pollTimer: unknown = null;
  private sockets: Socket[] = [];
  private socketsKey = "";
  private stopped = true;
  private listeners: ((s: SyncStatus) => void)[] = [];

  constructor(
    private run: () => Promise<SyncReport>,
    private endpoints: () => [string, string[]][],
    env: Partial<SchedulerEnv> = {},
  ) {
    this.env = { ...browserEnv(), ...env };
  }

  /** Calls `fn` on every status change; returns the unsubscribe. */
  subscribe(fn: (s: SyncStatus) => void): () => void {
    this.listeners.push(fn);
    return () => (this.listeners = this.listeners.filter((l) => l !== fn));
  }

  private emit(patch: Partial<SyncStatus>): void {
    this.status = { ...this.status, ...patch };
    for (const l of this.listeners) l(this.status);
  }

  private visible(): boolean {
    return !this.env.document || this.env.document.visibilityState !== "hidden";
  }

  private onVisibility = (): void => {
    if (this.visible()) void this.syncNow();
    else this.clearPoll();
  };
  private onFocus = (): void => void this.syncNow();

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.env.document?.addEventListener("visibilitychange", this.onVisibility);
    this.env.window?.addEventListener("focus", this.onFocus);
    this.env.window?.addEventListener("online", this.onFocus);
    this.refreshSockets();
    void this.syncNow();
  }

  stop(): void {
    this.stopped = true;
    this.env.document?.removeEventListener("visibilitychange", this.onVisibility);
    this.env.window?.removeEventListener("focus", this.onFocus);
    this.env.window?.removeEventListener("online", this.onFocus);
    this.clearPoll();
    this.closeSockets();
  }

  /** Starts a round, or asks for one more after the current; resolves when it is done. */
  syncNow(): Promise<void> {
    if (this.current) {
      this.again = true;
      return this.current;
    }
    this.current = this.loop().finally(() => {
      this.current = null;
      this.schedulePoll();
    });
    return this.current;
  }

  private async loop(): Promise<void> {
    this.clearPoll();
    this.emit({ running: true });
    do {
      this.again = false;
      try {
        const report = await this.run();
        this.quiet = isQuietFailure(report) ? this.quiet + 1 : 0;
        this.emit({ lastReport: report, lastError: null, lastMs: this.env.now() });
      } catch (e) {
        this.quiet += 1;
        this.emit({ lastError: e instanceof Error ? e.message : String(e), lastMs: this.env.now() });
      }
      if (!this.stopped) this.refreshSockets();
    } while (this.again && !this.stopped);
    this.emit({ running: false });
  }

  /** The delay until the next timed round. */
  nextPollMs(): number {
    return pollDelayMs(this.quiet === 0 ? 0 : this.quiet - 1);
  }

  private clearPoll(): void {
    if (this.pollTimer !== null) this.env.clearTimeout(this.pollTimer);
    this.pollTimer = null;
  }

  private schedulePoll(): void {
    this.clearPoll();
    if (this.stopped || !this.visible()) return;
    this.pollTimer = this.env.setTimeout(() => {
      this.pollTimer = null;
      void this.syncNow();
    }, this.nextPollMs());
  }

  // ---- push sockets ----

  /** (Re)opens the push sockets when the endpoints changed (relays edited). */
  refreshSockets(): void {
    let eps: [string, string[]][] = [];
    try {
      eps = this.endpoints();
    } catch {
      eps = [];
    }
    const key = JSON.stringify(eps);
    if (key === this.socketsKey) return;
    this.closeSockets();
    this.socketsKey = key;
    if (!this.env.WebSocket) return;
    for (const [url, protocols] of eps) {
      const s: Socket = { url, ws: null, attempt: 0, timer: null };
      this.sockets.push(s);
      this.connect(s, protocols);
    }
  }

  private countOpen(): void {
    this.emit({ pushOpen: this.sockets.filter((s) => s.ws?.readyState === 1).length });
  }

  private connect(s: Socket, protocols: string[]): void {
    const Ctor = this.env.WebSocket;
    if (!Ctor || this.stopped) return;
    let ws: WebSocket;
    try {
      ws = new Ctor(s.url, protocols);
    } catch {
      this.retry(s, protocols);
      return;
    }
    s.ws = ws;
    ws.onopen = () => {
      s.attempt = 0;
      this.countOpen();
    };
    ws.onmessage = () => void this.syncNow();
    ws.onclose = () => {
      if (s.ws !== ws) return;
      s.ws = null;
      this.countOpen();
      this.retry(s, protocols);
    };
  }

  private retry(s: Socket, protocols: string[]): void {
    if (this.stopped || !this.sockets.includes(s)) return;
    const delay = reconnectDelayMs(s.attempt);
    s.attempt += 1;
    s.timer = this.env.setTimeout(() => {
      s.timer = null;
      if (this.sockets.includes(s)) this.connect(s, protocols);
    }, delay);
  }

  private closeSockets(): void {
    const old = this.sockets;
    this.sockets = [];
    this.socketsKey = "";
    for (const s of old) {
      if (s.timer !== null) this.env.clearTimeout(s.timer);
      const ws = s.ws;
      s.ws = null;
      if (ws) {
        ws.onclose = null;
        ws.onmessage = null;
        try {
          ws.close();
        } catch {
          /* already closed */
        }
      }
    }
    if (old.length) this.emit({ pushOpen: 0 });
  }
}
