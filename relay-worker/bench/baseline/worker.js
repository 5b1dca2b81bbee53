// The baseline for the relay benchmark: the least a Worker can do for the same work —
// store a request body in KV and read it back — with no auth, no index, no checks.
// relay-worker/bench/relay-vs-baseline.mjs drives it and the relay on the same machine.
export default {
  async fetch(request, env) {
    const key = new URL(request.url).pathname.slice("/kv/".length);
    if (request.method === "PUT") {
      await env.SHARES.put(key, await request.arrayBuffer(), { expirationTtl: 660 });
      return new Response(null, { status: 201 });
    }
    const value = await env.SHARES.get(key, "arrayBuffer");
    return value === null ? new Response(null, { status: 404 }) : new Response(value);
  },
};
