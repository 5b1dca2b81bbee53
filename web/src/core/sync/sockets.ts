// Push connections: one WebSocket per relay of the open group. A "share put" message
// means a share arrived, so the owner syncs at once; when it carries the share's bytes
// they are offered to the engine first, which opens a batch from `k` of them with no
// request (the round that follows acks it). A "share acked" one, or a "share
// deleted" because its recipients acked it or it expired, says nothing arrived, but is
// news for the share's sender (a change of this phone's that was waiting may be delivered
// now, or must be put again): the scheduler runs a round for it only while this phone has
// changes waiting. A closed socket reconnects with the core's backoff (1 s, 2 s, 4 s …
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

/**
 * What a push message tells this phone: "news" (something arrived: anything but an ack,
 * a deletion or a pong), "outbox" (a share was acked, or its bytes went because every
 * recipient acked it or it expired: news only for its sender), or nothing (a pong, a
 * share its sender deleted).
 */
export function pushKind(data: unknown): "news" | "outbox" | null {
  if (data === "pong") return null;
  if (typeof data !== "string") return "news";
  try {
    const event = JSON.parse(data) as { type?: unknown; reason?: unknown };
    if (event.type === "share_acked") return "outbox";
    if (event.type !== "share_deleted") return "news";
    return event.reason === "acked" || event.reason === "expired" ? "outbox" : null;
  } catch {
    return "news";
  }
}

/** The share id a push message names, or null. */
export function shareId(data: unknown): string | null {
  if (typeof data !== "string") return null;
  try {
    const { id } = JSON.parse(data) as { id?: unknown };
    return typeof id === "string" ? id : null;
  } catch {
    return null;
  }
}

/**
 * A share a `share_put` message carries inline (`{"type":"share_put","id":…,"bytes":…}`,
 * relays send the bytes of shares up to 8 KiB: docs/protocol.md), or null.
 */
export function inlineShare(data: unknown): { id: string; bytes: string } | null {
  if (typeof data !== "string") return null;
  try {
    const event = JSON.parse(data) as { type?: unknown; id?: unknown; bytes?: unknown };
    if (event.type !== "share_put" || typeof event.id !== "string" || typeof event.bytes !== "string") return null;
    return { id: event.id, bytes: event.bytes };
  } catch {
    return null;
  }
}

/** Whether a push message says something arrived (anything but a deletion or a pong). */
export function announcesNews(data: unknown): boolean {
  return pushKind(data) === "news";
}

export interface PushHandlers {
  /**
   * a relay says something arrived; `inline`: its message carried the share's bytes,
   * offered to `onShare` first (the round may wait for the other relays' pushes)
   */
  onPush: (inline?: boolean) => void;
  /**
   * a relay's "share put" carries the share's bytes: offered to the engine before
   * `onPush`, so the record may show before any request (`socketUrl` names the relay)
   */
  onShare?: (socketUrl: string, id: string, bytes: string) => void;
  /**
   * a relay says a share was acked, or went because its recipients acked it or it
   * expired: if it was this phone's, a change waiting may be delivered now, or must be
   * put again; `id` is the share's (null if the message names none)
   */
  onOutbox?: (id: string | null) => void;
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
      const kind = pushKind(event?.data);
      const inline = kind === "news" && this.handlers.onShare ? inlineShare(event?.data) : null;
      if (inline) this.handlers.onShare?.(s.url, inline.id, inline.bytes);
      if (kind === "news") this.handlers.onPush(inline !== null);
      else if (kind === "outbox") this.handlers.onOutbox?.(shareId(event?.data));
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
