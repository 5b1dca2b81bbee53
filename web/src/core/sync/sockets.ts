// Push connections: one WebSocket per relay of the open group. A "share put" message
// means a share arrived, so the owner syncs at once; a "share deleted" one needs no round
// (nothing arrived). A closed socket reconnects with the core's backoff (1 s, 2 s, 4 s …
// 5 min), reset once it is open again, and a reopened socket asks for a round (news may
// have come while it was down). While every socket is open the scheduler stops polling,
// so a socket that died without a close (a NAT dropping the flow, a relay that stopped
// answering) must be noticed: each socket pings every `PING_MS`, and one that heard
// nothing since its last ping counts as closed.
import { PollBackoff } from "../rules";

export const RECONNECT_MIN_MS = 1000;
export const RECONNECT_MAX_MS = 5 * 60_000;
/** How often an open socket checks that its relay still answers (the relay says "pong"). */
export const PING_MS = 30_000;

export interface SocketEnv {
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  /** null where there are no WebSockets (tests without push) */
  WebSocket: (new (url: string, protocols: string[]) => WebSocket) | null;
}

interface Socket {
  url: string;
  protocols: string[];
  ws: WebSocket | null;
  backoff: PollBackoff;
  timer: unknown;
  /** the heartbeat timer while open */
  beat: unknown;
  /** heard from the relay since the last ping */
  heard: boolean;
  /** was open before: a reopening may have missed news */
  wasOpen: boolean;
}

/** Whether a push message says something arrived (anything but a deletion or a pong). */
export function announcesNews(data: unknown): boolean {
  if (data === "pong") return false;
  if (typeof data !== "string") return true;
  try {
    const event = JSON.parse(data) as { type?: unknown };
    return event.type !== "share_deleted";
  } catch {
    return true;
  }
}

export interface PushHandlers {
  /** a relay says something arrived */
  onPush: () => void;
  /** how many sockets are open now, of how many (one per relay) */
  onCount: (open: number, total: number) => void;
}

export class PushSockets {
  private sockets: Socket[] = [];
  private key = "";
  private closed = false;
  private env: SocketEnv;

  constructor(
    private endpoints: () => [string, string[]][],
    private handlers: PushHandlers,
    env: Partial<SocketEnv> = {},
  ) {
    this.env = {
      setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
      WebSocket: typeof WebSocket === "undefined" ? null : WebSocket,
      ...env,
    };
  }

  /** Opens the sockets, or reopens them when the endpoints changed (relays edited). */
  refresh(): void {
    this.closed = false;
    let eps: [string, string[]][] = [];
    try {
      eps = this.endpoints();
    } catch {
      eps = [];
    }
    const key = JSON.stringify(eps);
    if (key === this.key) return;
    this.drop();
    this.key = key;
    if (!this.env.WebSocket) return;
    for (const [url, protocols] of eps) {
      const s: Socket = { url, protocols, ws: null, backoff: new PollBackoff(RECONNECT_MIN_MS, RECONNECT_MAX_MS), timer: null, beat: null, heard: true, wasOpen: false };
      this.sockets.push(s);
      this.connect(s);
    }
  }

  /** Closes every socket; `refresh()` opens them again. */
  close(): void {
    this.closed = true;
    this.drop();
  }

  private count(): void {
    this.handlers.onCount(this.sockets.filter((s) => s.ws?.readyState === 1).length, this.sockets.length);
  }

  private connect(s: Socket): void {
    const Ctor = this.env.WebSocket;
    if (!Ctor || this.closed) return;
    let ws: WebSocket;
    try {
      ws = new Ctor(s.url, s.protocols);
    } catch {
      this.retry(s);
      return;
    }
    s.ws = ws;
    ws.onopen = () => {
      s.backoff.news();
      s.heard = true;
      this.count();
      this.heartbeat(s, ws);
      if (s.wasOpen) this.handlers.onPush();
      s.wasOpen = true;
    };
    ws.onmessage = (event?: MessageEvent) => {
      s.heard = true;
      if (announcesNews(event?.data)) this.handlers.onPush();
    };
    ws.onclose = () => this.lost(s, ws);
  }

  /** Every `PING_MS`: a socket that heard nothing since the last ping is dead. */
  private heartbeat(s: Socket, ws: WebSocket): void {
    s.beat = this.env.setTimeout(() => {
      s.beat = null;
      if (s.ws !== ws) return;
      if (!s.heard) {
        try {
          ws.close();
        } catch {
          /* already closed */
        }
        this.lost(s, ws);
        return;
      }
      s.heard = false;
      try {
        ws.send("ping");
      } catch {
        /* a closed socket: its close event follows */
      }
      this.heartbeat(s, ws);
    }, PING_MS);
  }

  /** The socket closed, or died without a close: count it and reconnect. */
  private lost(s: Socket, ws: WebSocket): void {
    if (s.ws !== ws) return;
    s.ws = null;
    ws.onclose = null;
    ws.onmessage = null;
    if (s.beat !== null) this.env.clearTimeout(s.beat);
    s.beat = null;
    this.count();
    this.retry(s);
  }

  private retry(s: Socket): void {
    if (this.closed || !this.sockets.includes(s)) return;
    const delay = s.backoff.delayMs();
    s.backoff.quiet();
    s.timer = this.env.setTimeout(() => {
      s.timer = null;
      if (this.sockets.includes(s)) this.connect(s);
    }, delay);
  }

  private drop(): void {
    const old = this.sockets;
    this.sockets = [];
    this.key = "";
    for (const s of old) {
      if (s.timer !== null) this.env.clearTimeout(s.timer);
      if (s.beat !== null) this.env.clearTimeout(s.beat);
      s.backoff.free();
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
    if (old.length) this.handlers.onCount(0, 0);
  }
}
