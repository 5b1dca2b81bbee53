// The share ids this phone put, or asked the status of: its own shares. A relay's
// "acked" push is news only for a share's sender, and the relay does not know who that
// is (shares name no recipients), so the app tells its own apart by what its rounds
// asked: every round with changes waiting asks each relay the status of its shares.
// Without it every member with a change waiting would run a round for every ack in the
// group, its own acks included (docs/latency.md).
import type { FetchFn } from "./driver";

/**
 * `PUT …/v1/groups/{gid}/shares/{sid}`: the share put; or its simple form, a `POST` on the
 * same URL with no `member` (a simple fetch names one; a simple delete names none either,
 * and only a share's sender deletes it).
 */
const PUT_SHARE = /\/v1\/groups\/[0-9a-f]+\/shares\/([0-9a-f]+)$/;
/** `POST …/v1/groups/{gid}/status`: its body lists the shares. */
const STATUS = /\/v1\/groups\/[0-9a-f]+\/status$/;

export class OwnShares {
  /** insertion order: the oldest are forgotten first */
  private ids = new Set<string>();

  constructor(private readonly max = 4096) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Notes the shares a request names as this phone's own. */
  note(url: string, init: RequestInit): void {
    const [path = "", query = ""] = url.split("?");
    const method = (init.method ?? "GET").toUpperCase();
    const simplePut = method === "POST" && !new URLSearchParams(query).has("member");
    const put = method === "PUT" || simplePut ? PUT_SHARE.exec(path) : null;
    if (put?.[1]) return this.add([put[1]]);
    if (method !== "POST" || !STATUS.test(path)) return;
    try {
      const body = init.body instanceof Uint8Array ? new TextDecoder().decode(init.body) : typeof init.body === "string" ? init.body : "";
      const { shares } = JSON.parse(body) as { shares?: unknown };
      if (Array.isArray(shares)) this.add(shares.filter((s): s is string => typeof s === "string"));
    } catch {
      // not a status request this version knows: nothing to note
    }
  }

  /** `fetchFn`, noting each request first. */
  watch(fetchFn: FetchFn = (url, init) => fetch(url, init)): FetchFn {
    return (url, init) => {
      this.note(url, init);
      return fetchFn(url, init);
    };
  }

  private add(ids: string[]): void {
    for (const id of ids) {
      this.ids.delete(id);
      this.ids.add(id);
    }
    for (const old of this.ids) {
      if (this.ids.size <= this.max) break;
      this.ids.delete(old);
    }
  }
}
