// The delay proxy (scripts/delay-proxy.mjs) that puts a phone's round-trip time between
// clients and local relays: it delays (never less than asked: only lower bounds are
// checked, never how fast anything is), passes bodies and WebSockets through unchanged,
// counts by route, stays bounded and closes cleanly. A small upstream stands in for a
// relay here; the benchmarks put real relays behind it.
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { randomBytes } from "node:crypto";
import { WebSocket, WebSocketServer } from "ws";
import { createNetwork, routeOf, MAX_BODY } from "../../scripts/delay-proxy.mjs";

const RTT = 120;

/** An upstream that echoes requests and WebSocket messages, and can push and close. */
async function upstream() {
  const seen = { wsClosed: 0, sockets: [] };
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    res.writeHead(req.url.startsWith("/missing") ? 404 : 200, {
      "content-type": "application/octet-stream",
      "x-method": req.method,
      "x-url": req.url,
      "x-origin": req.headers.origin ?? "",
    });
    res.end(body);
  });
  const wss = new WebSocketServer({ server });
  wss.on("connection", (ws) => {
    seen.sockets.push(ws);
    ws.on("message", (m, binary) => ws.send(m, { binary }));
    ws.on("close", () => seen.wsClosed++);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    port: server.address().port,
    seen,
    close: () =>
      new Promise((ok) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** One request over `agent`; resolves with status, headers, body and elapsed ms. */
function request(url, { method = "GET", body, agent, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request(url, { method, agent, headers }, async (res) => {
      const chunks = [];
      for await (const c of res) chunks.push(c);
      resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - t0 });
    });
    req.on("error", reject);
    req.end(body);
  });
}

const once = (emitter, event) => new Promise((ok) => emitter.once(event, (...a) => ok(a)));

test("slow relay: a request costs at least one RTT, the first on a connection one more", async () => {
  const up = await upstream();
  const network = createNetwork({ rttMs: RTT });
  const proxy = await network.proxy(0, up.port);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const first = await request(`${proxy.url}/v1/health`, { agent });
    const second = await request(`${proxy.url}/v1/health`, { agent });
    assert.equal(first.status, 200);
    assert.ok(first.ms >= 2 * RTT - 2, `first request took ${first.ms} ms, expected at least handshake + RTT`);
    assert.ok(second.ms >= RTT - 2, `second request took ${second.ms} ms, expected at least one RTT`);
    // The RTT can be changed while running, through the control path.
    const set = await request(`${proxy.url}/_proxy/rtt?ms=${2 * RTT}`, { agent });
    assert.equal(JSON.parse(set.body).rtt_ms, 2 * RTT);
    const slower = await request(`${proxy.url}/v1/health`, { agent });
    assert.ok(slower.ms >= 2 * RTT - 2, `after the change a request took ${slower.ms} ms`);
  } finally {
    agent.destroy();
    await network.close();
    await up.close();
  }
});

test("bodies, statuses, headers and queries pass through unchanged, and are counted by route", async () => {
  const up = await upstream();
  const network = createNetwork({ rttMs: 0 });
  const proxy = await network.proxy(0, up.port);
  try {
    const body = randomBytes(1 << 20);
    const put = await request(`${proxy.url}/v1/groups/g1/shares/s1?member=m`, { method: "PUT", body, headers: { origin: "http://127.0.0.1:5173" } });
    assert.equal(put.status, 200);
    assert.ok(put.body.equals(body), "the body came back byte for byte");
    assert.equal(put.headers["x-method"], "PUT");
    assert.equal(put.headers["x-url"], "/v1/groups/g1/shares/s1?member=m");
    assert.equal(put.headers["x-origin"], "http://127.0.0.1:5173", "the Origin header reaches the relay (CORS)");
    const missing = await request(`${proxy.url}/missing`);
    assert.equal(missing.status, 404, "an error status passes through");
    const stats = network.stats();
    assert.equal(stats.requests["PUT /v1/groups/{gid}/shares/{sid} 200"], 1);
    assert.equal(stats.requests["GET /missing 404"], 1);
    assert.equal(stats.bytes_in, body.length);
    assert.equal(routeOf("/v1/groups/abc/acks"), "/v1/groups/{gid}/acks");
  } finally {
    await network.close();
    await up.close();
  }
});

test("WebSockets pass through both ways, delayed, and a close on either side reaches the other", async () => {
  const up = await upstream();
  const network = createNetwork({ rttMs: RTT });
  const proxy = await network.proxy(0, up.port);
  try {
    const ws = new WebSocket(`${proxy.url.replace("http", "ws")}/v1/groups/g/ws?member=m`, ["gfms.v1"]);
    await once(ws, "open");
    assert.equal(ws.protocol, "gfms.v1", "the subprotocol is negotiated through the proxy");
    const t0 = performance.now();
    ws.send("ping");
    const [echo] = await once(ws, "message");
    assert.equal(echo.toString(), "ping");
    assert.ok(performance.now() - t0 >= RTT - 2, "a message and its answer cost a round trip");
    // The relay pushes on its own.
    up.seen.sockets[0].send("share_put");
    const [pushed] = await once(ws, "message");
    assert.equal(pushed.toString(), "share_put");
    // The client closes: the relay sees it.
    ws.close(1000, "bye");
    await once(ws, "close");
    for (let i = 0; i < 50 && up.seen.wsClosed === 0; i++) await new Promise((ok) => setTimeout(ok, 20));
    assert.equal(up.seen.wsClosed, 1, "the upstream saw the close");
    // The relay closes: the client sees it.
    const ws2 = new WebSocket(`${proxy.url.replace("http", "ws")}/v1/groups/g/ws?member=n`);
    await once(ws2, "open");
    up.seen.sockets[1].close(1001, "going away");
    const [code] = await once(ws2, "close");
    assert.equal(code, 1001);
    assert.equal(network.stats().upgrades, 2);
  } finally {
    await network.close();
    await up.close();
  }
});

test("down relay: 502; hostile client: a body over the bound gets 413, not a crash", async () => {
  const up = await upstream();
  const port = up.port;
  await up.close();
  const network = createNetwork({ rttMs: 0 });
  const proxy = await network.proxy(0, port);
  try {
    const down = await request(`${proxy.url}/v1/health`);
    assert.equal(down.status, 502);
    assert.equal(JSON.parse(down.body).error, "upstream_down");
    const big = await request(`${proxy.url}/v1/groups/g/shares/s`, { method: "PUT", body: Buffer.alloc(MAX_BODY + 1) }).catch((e) => ({ status: "reset", e }));
    assert.ok(big.status === 413 || big.status === "reset", `an oversized body is refused (${big.status})`);
    const after = await request(`${proxy.url}/_proxy/stats`);
    assert.equal(after.status, 200, "the proxy still answers");
  } finally {
    await network.close();
  }
});

test("close() ends every connection and pending delivery, and frees the port", async () => {
  const up = await upstream();
  const network = createNetwork({ rttMs: 5000 });
  const proxy = await network.proxy(0, up.port);
  const ws = new WebSocket(`${proxy.url.replace("http", "ws")}/v1/groups/g/ws?member=m`);
  ws.on("error", () => {});
  const wsClosed = once(ws, "close");
  const pending = request(`${proxy.url}/v1/health`).then(
    () => "answered",
    () => "cut",
  );
  await new Promise((ok) => setTimeout(ok, 50));
  await network.close();
  assert.equal(await pending, "cut", "a request held in the delay is cut, not answered late");
  await wsClosed;
  // The port is free again.
  const again = http.createServer();
  await new Promise((ok, fail) => {
    again.once("error", fail);
    again.listen(proxy.port, "127.0.0.1", ok);
  });
  await new Promise((ok) => again.close(ok));
  await up.close();
});
