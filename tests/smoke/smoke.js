// The skeleton's one real path through every layer, run in a real browser:
// this page calls the wasm client library to split a secret 2-of-3, puts one share on
// each of three real local relays, fetches each back and has the wasm library rebuild it.
import init, { split, combine, SealingGroup } from "./pkg/gfms_client.js";

const out = document.getElementById("out");
const relays = new URLSearchParams(location.search).get("relays").split(",");
const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const random = (n) => crypto.getRandomValues(new Uint8Array(n));
const b64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const unb64url = (s) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

async function call(relay, method, path, token, body) {
  const res = await fetch(relay + path, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${relay}${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// The records the relays must never see in the clear (the driver scans their storage).
export const RECORD = "Bakery Sonnenschein 12.50 EUR paid by Alice";

async function sharingRoundTrip() {
  const secret = new TextEncoder().encode("split only " + hex(random(4)));
  const shares = split(secret, 2, 3);
  const member = hex(random(16));
  const fetched = [];
  for (const [i, relay] of relays.entries()) {
    const gid = hex(random(16));
    const sid = hex(random(16));
    const tokenBytes = random(32);
    const token = hex(tokenBytes);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", tokenBytes));
    await call(relay, "POST", `/v1/groups/${gid}`, null, { token_sha256: hex(digest) });
    await call(relay, "PUT", `/v1/groups/${gid}/shares/${sid}`, token, { data: b64url(shares[i]), recipients: [member] });
    const got = await call(relay, "GET", `/v1/groups/${gid}/shares/${sid}?member=${member}`, token);
    fetched.push(unb64url(got.data));
  }
  return [[0, 1], [1, 2], [0, 2]].every((pair) => hex(combine(pair.map((i) => fetched[i]))) === hex(secret));
}

// Alice seals a record for the group; it crosses the three relays; Bob opens it.
async function sealedExchange() {
  const secret = SealingGroup.generateSecret();
  const group = new SealingGroup(secret, relays);
  const [alice, bob] = [random(16), random(16)];
  for (const [i, relay] of relays.entries()) {
    await call(relay, "POST", `/v1/groups/${group.relayGroupId(i)}`, null, { token_sha256: group.relayTokenSha256(i) });
  }
  const batchId = random(16);
  const sealed = group.seal(2, batchId, alice, new TextEncoder().encode(RECORD));
  for (const share of sealed) {
    const i = share.relayIndex;
    await call(relays[i], "PUT", `/v1/groups/${group.relayGroupId(i)}/shares/${share.shareId}`, group.relayToken(i), {
      data: b64url(share.blob),
      recipients: [group.memberPseudonym(i, bob)],
    });
  }
  // Bob: list what is new for him at each relay, fetch it.
  const got = [];
  for (const [i, relay] of relays.entries()) {
    const me = group.memberPseudonym(i, bob);
    const listed = await call(relay, "GET", `/v1/groups/${group.relayGroupId(i)}/shares?member=${me}`, group.relayToken(i));
    for (const s of listed.shares) {
      const body = await call(relay, "GET", `/v1/groups/${group.relayGroupId(i)}/shares/${s.id}?member=${me}`, group.relayToken(i));
      got.push({ i, id: s.id, blob: unb64url(body.data) });
    }
  }
  const open = (entries) => group.open(entries.map((e) => e.i), entries.map((e) => e.id), entries.map((e) => e.blob));
  const decode = (opened) => new TextDecoder().decode(opened.plaintext);
  const fromTwo = open(got.slice(1));
  const tampered = got.map((e) => (e.i === 0 ? { ...e, blob: e.blob.map((b, j) => (j === e.blob.length - 1 ? b ^ 1 : b)) } : e));
  const survived = open(tampered);
  return {
    listed: got.length,
    opened: decode(open(got)) === RECORD,
    openedFromTwo: decode(fromTwo) === RECORD && hex(fromTwo.sender) === hex(alice) && hex(fromTwo.batchId) === hex(batchId),
    tamperSurvived: decode(survived) === RECORD,
    tamperingRelaysNamed: Array.from(survived.badRelays),
    shareIds: sealed.map((s) => s.shareId),
  };
}

async function main() {
  await init();
  const sharing = await sharingRoundTrip();
  const sealed = await sealedExchange();
  const ok = sharing && sealed.listed === 3 && sealed.opened && sealed.openedFromTwo && sealed.tamperSurvived &&
    JSON.stringify(sealed.tamperingRelaysNamed) === "[0]";
  return { ok, relays: relays.length, sharing, sealed };
}

main().then(
  (r) => { window.smokeResult = r; out.textContent = JSON.stringify(r); },
  (e) => { window.smokeResult = { ok: false, error: String(e && e.message || e) }; out.textContent = String(e); },
);
