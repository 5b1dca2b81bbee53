// Push connections: one WebSocket per relay of the open group. A message means a share
// arrived, so the owner syncs at once; a closed socket reconnects with the core's
// backoff (1 s, 2 s, 4 s … 5 min), reset once it is open again.
import { PollBackoff } from "../rules";

export const RECONNECT_MIN_MS = 1000;
export const RECONNECT_MAX_MS = 5 * 60_000;

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
}

export interface PushHandlers {
  /** a relay says something arrived */
  onPush: () => void;
  /** how many sockets are open now */
  onCount: (open: number) => void;
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
      const s: Socket = { url, protocols, ws: null, backoff: new PollBackoff(RECONNECT_MIN_MS, RECONNECT_MAX_MS), timer: null };
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
    this.handlers.onCount(this.sockets.filter((s) => s.ws?.readyState === 1).length);
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
      this.count();
    };
    ws.onmessage = () => this.handlers.onPush();
    ws.onclose = () => {
      if (s.ws !== ws) return;
      s.ws = null;
      this.count();
      this.retry(s);
    };
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
    if (old.length) this.handlers.onCount(0);
  }
}
