// The skeleton's one real path through every layer, run in a real browser:
// this page calls the wasm client library to split a secret 2-of-3, puts one share on
// each of three real local relays, fetches each back and has the wasm library rebuild it.
import init, { split, combine } from "./pkg/gfms_client.js";

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

async function main() {
  await init();
  const secret = new TextEncoder().encode("Bakery 12.50 EUR, paid by Alice " + hex(random(4)));
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
  const results = [];
  for (const pair of [[0, 1], [1, 2], [0, 2]]) {
    const rebuilt = combine(pair.map((i) => fetched[i]));
    results.push(hex(rebuilt) === hex(secret));
  }
  return { ok: results.every(Boolean), relays: relays.length, combinations: results };
}

main().then(
  (r) => { window.smokeResult = r; out.textContent = JSON.stringify(r); },
  (e) => { window.smokeResult = { ok: false, error: String(e && e.message || e) }; out.textContent = String(e); },
);
