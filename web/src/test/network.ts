// The one fake the unit and screen tests keep: the network. In-memory relays that speak
// the v1 API (docs/protocol.md) with its counting rules, behind a `fetch`, so the real
// core runs real sync rounds. Each relay can play an adversary: down, or forgetful.
// `net.WebSocket` opens a relay's push socket; the fake relay pushes what every socket of
// the group hears: `share_acked` at a member's first ack of a share, `share_deleted` when
// the last recipient's ack deletes it (not `share_put`: tests start rounds themselves).
// Share requests come in either form (classic, or simple: a POST with the token in the
// body); an `older` relay answers the simple form 405, as relays before it do. The
// listing is a POST carrying status asked and acks (docs/protocol.md), and listings,
// status and acks take the token in Authorization or in the body; a `plainListing`
// relay (and an `older` one) answers the POST listing 405 and a status or ack without
// Authorization 401, as relays before them do.
import { createHash } from "node:crypto";
import type { FetchFn } from "../core/sync/driver";

interface Share {
  data: string;
  recipients: string[];
  fetchers: Set<string>;
  ackers: Set<string>;
  /** Each acker's receipt (opaque here, as at a real relay). */
  receipts: Map<string, string>;
  putAt: number;
  expiresAt: number;
}

interface Group {
  tokenSha256: string;
  shares: Map<string, Share>;
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const error = (status: number, code: string) => json(status, { error: code, message: code });

/** One relay at `url`. */
export class FakeRelay {
  groups = new Map<string, Group>();
  /** refuses every connection (the Down adversary) */
  down = false;
  /** requests it answered, as "METHOD /path" (a simple one as the method it stands for) */
  log: string[] = [];
  /** older than the simple form of share requests: answers them 405 */
  older = false;
  /** older than the POST listing and the simple form of status and acks */
  plainListing = false;
  /** simple-form share requests it took */
  simpleRequests = 0;
  /** listings, status and ack requests it took in the simple form */
  simplePosts = 0;
  /** its open push sockets: each hears the messages sent to every socket */
  sockets = new Set<(message: string) => void>();

  constructor(
    readonly url: string,
    private readonly now: () => number,
    readonly ttlMs = 3_600_000,
  ) {}

  /** Loses every share it holds (the Forgetful adversary). */
  forget(): void {
    for (const g of this.groups.values()) g.shares.clear();
  }

  /** Shares it holds, over every group. */
  shareCount(): number {
    let n = 0;
    for (const g of this.groups.values()) n += [...g.shares.values()].filter((s) => s.expiresAt > this.now()).length;
    return n;
  }

  async handle(method: string, url: URL, headers: Headers, body: string, logged = true): Promise<Response> {
    const path = url.pathname.slice(new URL(this.url).pathname.replace(/\/$/, "").length);
    const posted = /^\/v1\/groups\/[0-9a-f]{32}\/(shares|status|acks)$/.exec(path);
    if (method === "POST" && posted) {
      const plain = this.older || this.plainListing;
      if (plain && posted[1] === "shares") return error(405, "method_not_allowed");
      if (!headers.has("authorization")) {
        // The simple form: the token is the body's `token` field.
        if (plain) return error(401, "unauthorized");
        this.simplePosts += 1;
        const { token, ...rest } = JSON.parse(body || "{}") as { token?: string };
        return this.handle(method, url, new Headers({ authorization: `Bearer ${token ?? ""}` }), JSON.stringify(rest), logged);
      }
    }
    if (method === "POST" && /^\/v1\/groups\/[0-9a-f]{32}\/shares\/[0-9a-f]{32}$/.test(path)) {
      // The simple form of a share request: the classic one it stands for is in the body.
      if (this.older) return error(405, "method_not_allowed");
      this.simpleRequests += 1;
      const simple = JSON.parse(body) as { token: string; method: string; body?: unknown };
      const classic = new Headers({ authorization: `Bearer ${simple.token}` });
      return this.handle(simple.method, url, classic, simple.body === undefined ? "" : JSON.stringify(simple.body));
    }
    if (logged) this.log.push(`${method} ${path}`);
    if (path === "/v1/health") return json(200, { service: "gfms-relay", api: "v1", version: "test", registration_required: false, ttl_seconds: this.ttlMs / 1000, max_share_bytes: 1 << 20 });
    const m = /^\/v1\/groups\/([0-9a-f]{32})(?:\/(shares|acks|status)(?:\/([0-9a-f]{32}))?)?$/.exec(path);
    if (!m) return error(404, "not_found");
    const [, gid = "", what, sid] = m;
    let group = this.groups.get(gid);
    if (!what && method === "POST") {
      const req = JSON.parse(body) as { token_sha256: string };
      if (!group) {
        this.groups.set(gid, { tokenSha256: req.token_sha256, shares: new Map() });
        return json(201, { created: true });
      }
      return group.tokenSha256 === req.token_sha256 ? json(200, { created: false }) : error(409, "conflict");
    }
    if (!group) return error(404, "not_found");
    const token = headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
    if (createHash("sha256").update(Buffer.from(token, "hex")).digest("hex") !== group.tokenSha256) return error(401, "unauthorized");
    group = group as Group;
    const now = this.now();
    const live = (id: string) => {
      const s = group.shares.get(id);
      return s && s.expiresAt > now ? s : undefined;
    };
    const member = url.searchParams.get("member") ?? "";
    if (what === "shares" && sid && method === "PUT") {
      const req = JSON.parse(body) as { data: string; recipients: string[] };
      const old = live(sid);
      if (old && old.data !== req.data) return error(409, "conflict");
      const share: Share = old ?? { data: req.data, recipients: [], fetchers: new Set(), ackers: new Set(), receipts: new Map(), putAt: now, expiresAt: 0 };
      share.recipients = req.recipients;
      share.expiresAt = now + this.ttlMs;
      group.shares.set(sid, share);
      return json(old ? 200 : 201, { id: sid, expires_at: share.expiresAt, created: !old });
    }
    if (what === "shares" && sid && method === "GET") {
      const s = live(sid);
      if (!s) return error(404, "not_found");
      s.fetchers.add(member);
      return json(200, { id: sid, data: s.data, expires_at: s.expiresAt });
    }
    if (what === "shares" && sid && method === "DELETE") {
      return json(200, { deleted: group.shares.delete(sid) });
    }
    if (what === "shares" && !sid && method === "POST") {
      // A listing that carries status and acks: what the three requests answer, in one.
      const req = JSON.parse(body || "{}") as { status?: string[]; acks?: string[]; receipts?: unknown[] };
      const at = (route: string) => new URL(url.pathname.replace(/\/shares$/, `/${route}`), url);
      const inner = async (m: string, u: URL, b: unknown) => (await this.handle(m, u, headers, b === undefined ? "" : JSON.stringify(b), false)).json();
      const acks = req.acks?.length
        ? await inner("POST", at("acks"), { member, shares: req.acks, receipts: req.receipts ?? [] })
        : { acked: [], deleted: [], unknown: [], ignored: [] };
      const page = (await inner("GET", url, undefined)) as object;
      const status = (await inner("POST", at("status"), { shares: req.status ?? [] })) as { shares: unknown[] };
      return json(200, { ...page, status: status.shares, acks });
    }
    if (what === "shares" && method === "GET") {
      const shares = [...group.shares]
        .filter(([, s]) => s.expiresAt > now && !s.fetchers.has(member) && !s.ackers.has(member) && (s.recipients.length === 0 || s.recipients.includes(member)))
        .map(([id, s]) => ({ id, size: Math.floor((s.data.length * 3) / 4), put_at: s.putAt, expires_at: s.expiresAt }));
      return json(200, { shares, next_cursor: null });
    }
    if (what === "acks" && method === "POST") {
      const req = JSON.parse(body) as { member: string; shares: string[]; receipts?: { share: string; receipt: string }[] };
      const out = { acked: [] as string[], deleted: [] as string[], unknown: [] as string[] };
      for (const id of req.shares) {
        const s = live(id);
        if (!s) {
          out.unknown.push(id);
          continue;
        }
        const first = !s.ackers.has(req.member);
        s.ackers.add(req.member);
        const receipt = req.receipts?.find((r) => r.share === id)?.receipt;
        if (receipt) s.receipts.set(req.member, receipt);
        out.acked.push(id);
        let message = first ? JSON.stringify({ type: "share_acked", id }) : null;
        if (s.recipients.length > 0 && s.recipients.every((r) => s.ackers.has(r))) {
          group.shares.delete(id);
          out.deleted.push(id);
          message = JSON.stringify({ type: "share_deleted", id, reason: "acked" });
        }
        if (message) for (const socket of this.sockets) queueMicrotask(() => socket(message));
      }
      return json(200, out);
    }
    if (what === "status" && method === "POST") {
      const req = JSON.parse(body) as { shares: string[] };
      return json(200, {
        shares: req.shares.map((id) => {
          const s = live(id);
          return s
            ? { id, live: true, fetch_count: s.fetchers.size, fetchers: [...s.fetchers], ackers: [...s.ackers], recipients: s.recipients, expires_at: s.expiresAt, receipts: [...s.receipts.values()] }
            : { id, live: false, fetch_count: 0, fetchers: [], ackers: [], recipients: [], expires_at: 0, receipts: [] };
        }),
      });
    }
    return error(405, "method_not_allowed");
  }
}

/** A network of relays behind one `fetch`; `clock` moves the relays' time. */
export class FakeNetwork {
  relays: FakeRelay[];
  clock = { now: Date.now() };

  constructor(urls: string[], ttlMs?: number) {
    this.relays = urls.map((u) => new FakeRelay(u, () => this.clock.now, ttlMs));
  }

  relay(url: string): FakeRelay {
    const r = this.relays.find((x) => x.url === url);
    if (!r) throw new Error(`no relay ${url}`);
    return r;
  }

  /** A `WebSocket` for ./sockets: opens at once to the relay its URL names (ws → http). */
  get WebSocket(): new (url: string, protocols: string[]) => WebSocket {
    const net = this;
    return class {
      readyState = 0;
      onopen: (() => void) | null = null;
      onmessage: ((e: { data: unknown }) => void) | null = null;
      onclose: (() => void) | null = null;
      private relay: FakeRelay | undefined;
      private hear = (data: string) => this.onmessage?.({ data });
      constructor(url: string) {
        const http = url.replace(/^ws/, "http");
        this.relay = net.relays.find((r) => http.startsWith(`${r.url}/`));
        queueMicrotask(() => {
          if (!this.relay || this.relay.down) return this.onclose?.();
          this.relay.sockets.add(this.hear);
          this.readyState = 1;
          this.onopen?.();
        });
      }
      send(): void {}
      close(): void {
        this.readyState = 3;
        this.relay?.sockets.delete(this.hear);
      }
    } as unknown as new (url: string, protocols: string[]) => WebSocket;
  }

  fetch: FetchFn = async (input, init) => {
    const url = new URL(input);
    const relay = this.relays.filter((r) => input === r.url || input.startsWith(`${r.url}/`)).sort((a, b) => b.url.length - a.url.length)[0];
    if (!relay || relay.down) throw new TypeError("Failed to fetch");
    const body = init.body instanceof Uint8Array ? new TextDecoder().decode(init.body) : typeof init.body === "string" ? init.body : "";
    return relay.handle(String(init.method ?? "GET"), url, new Headers(init.headers), body);
  };
}
