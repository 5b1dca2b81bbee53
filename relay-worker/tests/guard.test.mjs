// Platform failure: whatever escapes the Rust Worker is still answered with the CORS
// headers (relay-worker/js/guard.mjs, which wraps the Worker's fetch handler). The real
// relays of the other tests run behind the same guard.
import { test } from "node:test";
import assert from "node:assert/strict";
import { allowOrigin, guarded } from "../js/guard.mjs";

const env = { ALLOWED_ORIGINS: "http://127.0.0.1:5173, https://App.example/" };
const request = (origin, method = "POST") =>
  new Request("http://relay.test/v1/groups/00000000000000000000000000000001/acks", {
    method,
    headers: origin ? { origin } : {},
  });

test("Down relay: a panic or trap in the Worker still answers 503 retry with CORS for allowed origins", async () => {
  const trap = () => Promise.reject(new WebAssembly.RuntimeError("unreachable"));
  globalThis.__worker_init_state = { criticalError: false, instanceId: 0 };
  const res = await guarded(trap, request("http://127.0.0.1:5173"), env);
  assert.equal(res.status, 503);
  assert.deepEqual(await res.json(), { error: "retry", message: "the relay failed to answer; retry" });
  assert.equal(res.headers.get("access-control-allow-origin"), "http://127.0.0.1:5173");
  assert.equal(res.headers.get("retry-after"), "1");
  assert.match(res.headers.get("access-control-expose-headers"), /retry-after/);
  assert.equal(globalThis.__worker_init_state.criticalError, true, "workers-rs starts a fresh instance next time");

  const thrown = () => {
    throw new Error("Durable Object reset");
  };
  const preflight = await guarded(thrown, request("https://app.example", "OPTIONS"), env);
  assert.equal(preflight.headers.get("access-control-allow-origin"), "https://app.example");
  assert.match(preflight.headers.get("access-control-allow-methods"), /PUT/);
  const evil = await guarded(thrown, request("https://evil.example"), env);
  assert.equal(evil.status, 503);
  assert.equal(evil.headers.get("access-control-allow-origin"), null);
});

test("the guard passes the Worker's own answers through untouched", async () => {
  const own = new Response("{}", { status: 429, headers: { "x-own": "1" } });
  assert.equal(await guarded(async () => own, request("http://127.0.0.1:5173"), env), own);
});

test("allowed origins are matched as the Rust relay matches them", () => {
  assert.equal(allowOrigin(env.ALLOWED_ORIGINS, "http://127.0.0.1:5173"), "http://127.0.0.1:5173");
  assert.equal(allowOrigin(env.ALLOWED_ORIGINS, "https://app.example/"), "https://app.example/");
  assert.equal(allowOrigin(env.ALLOWED_ORIGINS, "https://evil.example"), null);
  assert.equal(allowOrigin(env.ALLOWED_ORIGINS, null), null);
  assert.equal(allowOrigin("*", "https://x"), "https://x");
  assert.equal(allowOrigin("", "https://x"), null);
});
