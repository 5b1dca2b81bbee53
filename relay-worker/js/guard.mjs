// The last line of defence for CORS: whatever escapes the Rust Worker (a panic, a wasm
// trap, an exception from the runtime) is still answered as the relay's JSON `retry`
// error with the CORS headers, so a browser shows the relay's answer instead of a
// network failure. Plain JavaScript with no imports, so it is unit-tested in Node.

const ALLOW_METHODS = "GET, POST, PUT, DELETE, OPTIONS";
const ALLOW_HEADERS = "authorization, content-type";
const EXPOSE_HEADERS = "retry-after, allow";

/** The `Access-Control-Allow-Origin` value for `origin`, as relay-worker/src/cors.rs decides. */
export function allowOrigin(allowedOriginsVar, origin) {
  if (!origin) return null;
  const normal = (o) => o.trim().replace(/\/+$/, "").toLowerCase();
  const allowed = String(allowedOriginsVar ?? "").split(",").map(normal).filter(Boolean);
  return allowed.some((o) => o === "*" || o === normal(origin)) ? origin : null;
}

/** The answer when the Worker itself failed: 503 `retry`, with CORS for allowed origins. */
export function failureResponse(request, allowedOriginsVar) {
  const headers = new Headers({
    "content-type": "application/json",
    "cache-control": "no-store",
    "retry-after": "1",
    vary: "Origin",
  });
  const origin = allowOrigin(allowedOriginsVar, request.headers.get("origin"));
  if (origin) {
    headers.set("access-control-allow-origin", origin);
    headers.set("access-control-expose-headers", EXPOSE_HEADERS);
    if (request.method === "OPTIONS") {
      headers.set("access-control-allow-methods", ALLOW_METHODS);
      headers.set("access-control-allow-headers", ALLOW_HEADERS);
    }
  }
  const body = JSON.stringify({ error: "retry", message: "the relay failed to answer; retry" });
  return new Response(body, { status: 503, headers });
}

/** Runs `handle()`; if it throws, answers with `failureResponse`. */
export async function guarded(handle, request, env) {
  try {
    return await handle();
  } catch (error) {
    console.error("relay: unhandled failure", error);
    // A wasm trap leaves the instance unusable: tell workers-rs to start a fresh one on
    // the next request, as it does itself for failures it sees.
    if (error instanceof WebAssembly.RuntimeError && globalThis.__worker_init_state) {
      globalThis.__worker_init_state.criticalError = true;
    }
    return failureResponse(request, env?.ALLOWED_ORIGINS);
  }
}
