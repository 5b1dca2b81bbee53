// When to sync the open group: on open, on focus and when back online, when a relay
// pushes news, on a timer, and on demand (the sync button, pull-to-refresh). The timer
// backs off by the core's rule (`PollBackoff`: 30 s, doubling to 5 min while rounds bring
// nothing and relays fail) while any relay's push socket is closed; while every relay's
// socket is open, the relays say when something arrives, and the timer only runs a
// safety round every `SAFETY_POLL_MS` (polling was most of a group's requests: see
// docs/latency.md). One round at a time: triggers during a round coalesce into one more.
// A relay's word that a share was acked or expired (`outboxNews`) runs a round only while
// this phone has changes waiting: the sender's last round may have asked for the status
// before the receiver acked, and without that round it would say "Sending" until the
// safety round, a quarter of an hour later (seen on a 40 ms network: docs/latency.md).
// A push that carried its share's bytes (`pushNews(true)`) needs no round at once: the
// record shows from the pushes alone (`GroupDoc.offer`), and the round only acks it.
// It waits `PUSH_SETTLE_MS` for the group's other relays' pushes of the same change, so
// one round acks them all, where a round at each push listed every relay two or three
// times (docs/latency.md "Inside the free plan"). A round that starts meanwhile, for any
// reason, covers them (its listings leave after them), and the wait is dropped.
import { problemText } from "../errors";
import { PollBackoff } from "../rules";
import type { SyncReport } from "../types";
import type { RoundProgress } from "./driver";

export const POLL_MS = 30_000;
export const MAX_POLL_MS = 5 * 60_000;
/** The timed round while every relay's push socket is open. */
export const SAFETY_POLL_MS = 15 * 60_000;
/**
 * The next try after a round that did not run because the group's lock was taken: by
 * another tab, whose round may have read the group before this tab's last change, or by
 * this tab's own change a moment ago (WebKit can report the lock held just after it was
 * released). Waiting for the timed round would leave a change unsent for up to
 * `SAFETY_POLL_MS`; a try costs a lock request, no network.
 */
export const BUSY_RETRY_MS = 2_000;
/**
 * How long a push with its share's bytes waits for the other relays' pushes before its
 * round: each relay pushes its own share of a change, a few ms to a few hundred apart.
 */
export const PUSH_SETTLE_MS = 1_000;

export interface SyncStatus {
  running: boolean;
  lastReport: SyncReport | null;
  lastError: string | null;
  /** unix ms the last round finished (this session) */
  lastMs: number;
  /** push sockets currently open */
  pushOpen: number;
  /** what the running round is doing, when it says (catching up: updates coming in) */
  progress: RoundProgress | null;
  /** false while the browser says it has no network */
  online: boolean;
  /** unix ms a round last reached at least one relay (this session; 0: not yet) */
  lastReachedMs: number;
}

export const IDLE: SyncStatus = { running: false, lastReport: null, lastError: null, lastMs: 0, pushOpen: 0, progress: null, online: true, lastReachedMs: 0 };

function browserOnline(): boolean {
  return typeof navigator === "undefined" || navigator.onLine !== false;
}

export interface SchedulerEnv {
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  /** null when there is no page (tests) */
  document: Pick<Document, "visibilityState" | "addEventListener" | "removeEventListener"> | null;
  window: Pick<Window, "addEventListener" | "removeEventListener"> | null;
  now: () => number;
  /** whether the browser says it is online */
  online: () => boolean;
}

/** What the scheduler needs of the push sockets (./sockets). */
export interface Push {
  refresh(): void;
  close(): void;
}

function browserEnv(): SchedulerEnv {
  const hasDom = typeof document !== "undefined" && typeof window !== "undefined";
  return {
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
    document: hasDom ? document : null,
    window: hasDom ? window : null,
    now: Date.now,
    online: browserOnline,
  };
}

export class SyncScheduler {
  status: SyncStatus;
  private env: SchedulerEnv;
  private current: Promise<void> | null = null;
  private again = false;
  private demanded = false;
  /** a relay said shares were acked or expired during the running round */
  private outbox = false;
  private backoff = new PollBackoff(POLL_MS, MAX_POLL_MS);
  private pollTimer: unknown = null;
  /** a round asked for by pushes that carried their bytes (`pushNews`) */
  private settleTimer: unknown = null;
  private push: Push | null = null;
  /** every relay's push socket is open */
  private pushCovered = false;
  /** the last round did not run: the group's lock was taken */
  private skipped = false;
  private stopped = true;
  private listeners: ((s: SyncStatus) => void)[] = [];
  /** waiting for the running round's first requests (`sendNow`) */
  private awaitingRequests: (() => void)[] = [];

  /**
   * `run` runs one round (./driver) and returns its report, or throws; or null when it
   * did not run because another tab is busy with the group (only when not `demanded`:
   * the user asked for this round, with the sync button or pull-to-refresh). It may tell
   * `progress` what the round is doing.
   */
  constructor(
    private run: (demanded: boolean, progress: (p: RoundProgress) => void) => Promise<SyncReport | null>,
    env: Partial<SchedulerEnv> = {},
  ) {
    this.env = { ...browserEnv(), ...env };
    this.status = { ...IDLE, online: this.env.online() };
  }

  /** The push sockets to (re)open after each round: their messages call `syncNow`. */
  usePush(push: Push): void {
    this.push = push;
  }

  /** Calls `fn` on every status change; returns the unsubscribe. */
  subscribe(fn: (s: SyncStatus) => void): () => void {
    this.listeners.push(fn);
    return () => (this.listeners = this.listeners.filter((l) => l !== fn));
  }

  private emit(patch: Partial<SyncStatus>): void {
    this.status = { ...this.status, ...patch };
    if (this.awaitingRequests.length > 0) return; // told once the requests are out (`sendNow`)
    for (const l of this.listeners) l(this.status);
  }

  /**
   * The push sockets report how many are open, of how many. When that changes whether
   * every relay can push, the timer is set again (a socket lost: poll soon again).
   */
  setPushOpen(open: number, total = 0): void {
    if (open !== this.status.pushOpen) this.emit({ pushOpen: open });
    const covered = total > 0 && open >= total;
    if (covered === this.pushCovered) return;
    this.pushCovered = covered;
    if (!this.current && this.pollTimer !== null) this.schedulePoll();
  }

  private visible(): boolean {
    return !this.env.document || this.env.document.visibilityState !== "hidden";
  }

  /**
   * A relay says a share was acked, or its bytes went because every recipient acked it
   * or it expired. Only a sender with changes waiting needs a round for that (to see
   * them delivered, or to put them again); during a round, its own report decides.
   */
  outboxNews(): void {
    if (this.stopped) return;
    if (this.status.running) {
      this.outbox = true;
      return;
    }
    if ((this.status.lastReport?.pending.length ?? 0) > 0) void this.syncNow();
  }

  /**
   * A relay pushed news: a round now, or, when the push carried its share's bytes (the
   * record already shows from them), once the other relays' pushes are in.
   */
  pushNews(inline = false): void {
    if (this.stopped) return;
    if (!inline) {
      void this.syncNow();
      return;
    }
    if (this.settleTimer !== null) return;
    this.settleTimer = this.env.setTimeout(() => {
      this.settleTimer = null;
      void this.syncNow();
    }, PUSH_SETTLE_MS);
  }

  private clearSettle(): void {
    if (this.settleTimer !== null) this.env.clearTimeout(this.settleTimer);
    this.settleTimer = null;
  }

  private onVisibility = (): void => {
    if (this.visible()) void this.syncNow();
    else this.clearPoll();
  };
  private onFocus = (): void => void this.syncNow();
  private onOnline = (): void => {
    this.emit({ online: true });
    void this.syncNow();
  };
  private onOffline = (): void => this.emit({ online: false });

  /** The group was opened: listen, open the sockets, sync now. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.env.document?.addEventListener("visibilitychange", this.onVisibility);
    this.env.window?.addEventListener("focus", this.onFocus);
    this.env.window?.addEventListener("online", this.onOnline);
    this.env.window?.addEventListener("offline", this.onOffline);
    this.push?.refresh();
    void this.syncNow();
  }

  stop(): void {
    this.stopped = true;
    this.env.document?.removeEventListener("visibilitychange", this.onVisibility);
    this.env.window?.removeEventListener("focus", this.onFocus);
    this.env.window?.removeEventListener("online", this.onOnline);
    this.env.window?.removeEventListener("offline", this.onOffline);
    this.clearPoll();
    this.clearSettle();
    this.push?.close();
  }

  /**
   * Starts a round, or asks for one more after the current; resolves when it is done.
   * `demanded`: the user asked (the round waits for another tab instead of skipping).
   */
  syncNow(demanded = false): Promise<void> {
    this.demanded ||= demanded;
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
      this.outbox = false;
      this.clearSettle(); // this round's listings leave after every push heard so far
      const demanded = this.demanded;
      this.demanded = false;
      try {
        const report = await this.run(demanded, (progress) => this.onProgress(progress));
        this.skipped = report === null;
        if (report) {
          if (!this.stopped) this.backoff.afterRound(JSON.stringify(report));
          const now = this.env.now();
          const reached = report.relays.some((r) => r.health !== "down");
          this.emit({ lastReport: report, lastError: null, lastMs: now, online: this.env.online(), progress: null, ...(reached ? { lastReachedMs: now } : {}) });
          // acks came while this round ran, and it still has changes waiting: its
          // status may have been asked before them
          if (this.outbox && report.pending.length > 0) this.again = true;
        } else if (this.status.progress) this.emit({ progress: null });
      } catch (e) {
        if (!this.stopped) this.backoff.quiet();
        this.emit({ lastError: problemText(e), lastMs: this.env.now(), progress: null });
      }
      this.requestsOut(); // a round that ended, or never ran, sends nothing more to wait for
      if (!this.stopped) this.push?.refresh();
    } while (this.again && !this.stopped);
    this.emit({ running: false, progress: null });
  }

  /**
   * A change was just saved: starts a round to send it (or asks for one more after the
   * running round, and resolves at once). Resolves once the round has sent its first
   * requests (its sealing and the save before an upload are done) or has ended; the
   * status listeners hear of the round only then. The screen redraws after it, so the
   * phone's work for the upload comes first (docs/latency.md "Tap → the other phone").
   */
  sendNow(): Promise<void> {
    if (this.current || this.stopped) {
      void this.syncNow();
      return Promise.resolve();
    }
    const sent = new Promise<void>((done) => this.awaitingRequests.push(done));
    void this.syncNow();
    return sent;
  }

  private requestsOut(): void {
    const waiting = this.awaitingRequests;
    if (waiting.length === 0) return;
    this.awaitingRequests = [];
    for (const done of waiting) done();
    for (const l of this.listeners) l(this.status);
  }

  private onProgress(progress: RoundProgress): void {
    if (progress.requested) return this.requestsOut(); // nothing to show for it
    this.emit({ progress });
  }

  /** The delay until the next timed round. */
  nextPollMs(): number {
    if (this.stopped) return POLL_MS;
    if (this.skipped) return BUSY_RETRY_MS;
    return this.pushCovered ? SAFETY_POLL_MS : this.backoff.delayMs();
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
}
