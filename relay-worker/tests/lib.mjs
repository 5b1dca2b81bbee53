// Helpers for the relay tests. The relays are real workerd processes started by run.sh;
// their URLs come in GFMS_TEST_RELAYS and their state directory in GFMS_TEST_RELAY_DIR.
import { createHash, randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";

export const RELAYS = (process.env.GFMS_TEST_RELAYS ?? "").split(",").filter(Boolean);
export const RELAY_DIR = process.env.GFMS_TEST_RELAY_DIR ?? "";
export const TTL_SECONDS = Number(process.env.GFMS_TEST_TTL ?? "4");
export const REGISTRATION_KEY = process.env.GFMS_TEST_REGISTRATION_KEY ?? "";
export const MAX_SHARE_BYTES = Number(process.env.GFMS_TEST_MAX_SHARE_BYTES ?? "65536");
export const MAX_SHARES = Number(process.env.GFMS_TEST_MAX_SHARES ?? "50");
export const MAX_MEMBERS = Number(process.env.GFMS_TEST_MAX_MEMBERS ?? "8");
/** Relay a: how long records outlive bytes, a share id's lifetime ceiling, the idle time. */
export const RETENTION_SECONDS = Number(process.env.GFMS_TEST_RETENTION ?? "6");
export const LIFETIME_SECONDS = Number(process.env.GFMS_TEST_LIFETIME ?? "8");
export const IDLE_SECONDS = Number(process.env.GFMS_TEST_IDLE ?? "20");
export const PAGE_PORT = Number(process.env.GFMS_TEST_PAGE_PORT ?? "8796");
if (RELAYS.length !== 3) throw new Error("set GFMS_TEST_RELAYS to three relay URLs (run relay-worker/tests/run.sh)");

export const hex = (bytes) => Buffer.from(bytes).toString("hex");
export const id = () => hex(randomBytes(16));
export const b64url = (bytes) => Buffer.from(bytes).toString("base64url");
export const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** mulberry32: a tiny seeded PRNG, so a generated run can be replayed from its seed. */
export function prng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A fresh group at `relay`: random gid and token, registered (with the key at relay c).
 * `ip` sends the registration as if from that client address (only a local relay takes
 * a client's `CF-Connecting-IP`; Cloudflare sets it itself).
 */
export async function newGroup(relay, { register = true, ip } = {}) {
  const token = randomBytes(32);
  const group = { relay, gid: id(), token: hex(token), tokenSha256: createHash("sha256").update(token).digest("hex") };
  if (register) {
    const res = await registerGroup(group, { ip });
    if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(res.json)}`);
  }
  return group;
}

/** Registers `group` (again). */
export const registerGroup = (g, { ip, headers = {} } = {}) =>
  call(g.relay, "POST", `/v1/groups/${g.gid}`, {
    body: { token_sha256: g.tokenSha256, ...(needsKey(g.relay) ? { registration_key: REGISTRATION_KEY } : {}) },
    headers: { ...(ip ? { "cf-connecting-ip": ip } : {}), ...headers },
  });

/** True for the relay run with a registration key (relay c). */
export const needsKey = (relay) => relay === RELAYS[2] && REGISTRATION_KEY !== "";

/** One HTTP call; returns status, parsed JSON (or null) and headers. */
export async function call(relay, method, path, { token, body, raw, headers = {} } = {}) {
  const res = await fetch(relay + path, {
    method,
    headers: {
      ...(body !== undefined || raw !== undefined ? { "content-type": "application/json" } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: raw !== undefined ? raw : body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { unparsed: text };
  }
  return { status: res.status, json, headers: res.headers };
}

/** Puts `bytes` as share `sid` in `group`. */
export const put = (g, sid, bytes, recipients = []) =>
  call(g.relay, "PUT", `/v1/groups/${g.gid}/shares/${sid}`, { token: g.token, body: { data: b64url(bytes), recipients } });
export const get = (g, sid, member) => call(g.relay, "GET", `/v1/groups/${g.gid}/shares/${sid}?member=${member}`, { token: g.token });
export const list = (g, member, query = "") => call(g.relay, "GET", `/v1/groups/${g.gid}/shares?member=${member}${query}`, { token: g.token });
export const status = (g, sids) => call(g.relay, "POST", `/v1/groups/${g.gid}/status`, { token: g.token, body: { shares: sids } });
export const ack = (g, member, sids, extra = {}) =>
  call(g.relay, "POST", `/v1/groups/${g.gid}/acks`, { token: g.token, body: { member, shares: sids, ...extra } });
export const del = (g, sid) => call(g.relay, "DELETE", `/v1/groups/${g.gid}/shares/${sid}`, { token: g.token });

/** True if byte keys (`<object id>/<share id>/<generation>`) hold bytes of share `sid`. */
export const holdsBytes = (keys, sid) => keys.some((k) => k.split("/")[1] === sid);

/** The SQLite files of a relay's local Durable Objects (where workerd keeps them). */
const objectFiles = `
import glob, sqlite3, sys
def objects(root):
    for f in glob.glob(root + "/v3/do/**/*.sqlite", recursive=True):
        if f.endswith("metadata.sqlite"): continue
        yield sqlite3.connect(f)
`;

/**
 * The keys of the share bytes a relay stores, read from its groups' Durable Object
 * SQLite files (the \`share_bytes\` table), to check that share bytes really leave.
 */
export function byteKeys(relayIndex) {
  const script = `${objectFiles}
for db in objects(sys.argv[1]):
    try:
        for (k,) in db.execute("select key from share_bytes"): print(k)
    except sqlite3.Error: pass
`;
  const dir = `${RELAY_DIR}/${"abc"[relayIndex]}`;
  return execFileSync("python3", ["-c", script, dir], { encoding: "utf8" }).split("\n").filter(Boolean);
}

/**
 * Makes a relay's storage lose a share's bytes, as a forgetful or failing store would:
 * \`"entry"\` forgets the row (a read finds nothing), \`"blob"\` keeps the row but spoils
 * the bytes in it (a read finds bytes that are not the share's).
 */
export function loseBytes(relayIndex, sid, how) {
  const script = `${objectFiles}
sid, how = sys.argv[2], sys.argv[3]
lost = 0
for db in objects(sys.argv[1]):
    try:
        keys = [k for (k,) in db.execute("select key from share_bytes") if k.split("/")[1:2] == [sid]]
    except sqlite3.Error:
        continue
    for key in keys:
        if how == "entry":
            db.execute("delete from share_bytes where key = ?", (key,))
        else:
            db.execute("update share_bytes set bytes = x'00' where key = ?", (key,))
        db.commit()
        lost += 1
print(lost)
`;
  const dir = `${RELAY_DIR}/${"abc"[relayIndex]}`;
  const lost = Number(execFileSync("python3", ["-c", script, dir, sid, how], { encoding: "utf8" }).trim());
  if (lost === 0) throw new Error(`no stored bytes of ${sid} to lose`);
}
