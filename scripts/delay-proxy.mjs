#!/usr/bin/env node
// A delay proxy for local relays: puts a phone's round-trip time between a client and a
// relay on 127.0.0.1, and counts what crosses it. One listening port per relay; HTTP
// requests and WebSocket upgrades pass through, each direction held RTT/2:
//
//   - an HTTP request is read whole, held RTT/2, sent on; its response is read whole,
//     held RTT/2, returned (so a request costs one RTT plus the relay's own time);
//   - the first request (or upgrade) on a new client connection is held one more RTT per
//     `handshakeRtts` (1 by default: the TCP handshake; a TLS 1.3 relay would add another),
//     so reusing a connection saves what it saves on a real network;
//   - after an upgrade every chunk is held RTT/2 in its direction, order kept.
//
// Bandwidth, loss and jitter are not modelled: only latency. Bounded: 127.0.0.1 only (both
// sides), at most MAX_CONNECTIONS client connections per port, bodies up to MAX_BODY,
// RTT up to MAX_RTT_MS, upstream answers within UPSTREAM_TIMEOUT_MS (else 504).
//
// Command line (runs until SIGINT/SIGTERM; prints one "ready" line per port):
//   node scripts/delay-proxy.mjs --map 8951=8931 [--map L=U ...] [--rtt 40]
//                                [--handshake-rtts 1] [--log FILE] [--exit-on-stdin-close]
// Control, on any of its ports (never forwarded, never delayed, never counted):
//   GET  /_proxy/rtt?ms=150      set the RTT of every port of this process
//   GET  /_proxy/stats           counts per "METHOD route status", CORS preflights per
//                                "port route", upgrades, bytes
//   POST /_proxy/reset           zero the counts
//   POST /_proxy/mark?label=x    write {"mark": "x"} into the log (to cut it in phases)
// The log (--log) has one JSON line per request: time, port, method, route (ids replaced
// by {gid} and {sid}) and path, status, bytes each way, the relay's own time, and the JSON
// answer of every request that is not a GET (small: what a put, ack or delete did).
//
// As a module: `createNetwork({ rttMs, handshakeRtts, log })` then `await net.proxy(L, U)`.
import http from "node:http";
import net from "node:net";
import zlib from "node:zlib";
import { createWriteStream } from "node:fs";
import { pathToFileURL } from "node:url";

export const MAX_BODY = 16 * 1024 * 1024;
export const MAX_CONNECTIONS = 256;
export const MAX_RTT_MS = 10_000;
export const UPSTREAM_TIMEOUT_MS = 30_000;
const LOOPBACK = "127.0.0.1";
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "proxy-authorization", "te", "trailer", "content-length", "host"]);

/** An answer's body as sent, before its content encoding (a client asking for gzip,
 * as ureq does, gets it from workerd): the log reads the JSON in it. */
function decoded(answer) {
  const encoding = answer.headers["content-encoding"];
  if (encoding === "gzip") return zlib.gunzipSync(answer.body);
  if (encoding === "br") return zlib.brotliDecompressSync(answer.body);
  if (encoding === "deflate") return zlib.inflateSync(answer.body);
  return answer.body;
}

/** A request path as a route: `/v1/groups/{gid}/shares/{sid}` (no query). */
export function routeOf(url) {
  return url
    .split("?")[0]
    .replace(/^\/v1\/groups\/[^/]+/, "/v1/groups/{gid}")
    .replace(/\/shares\/[^/]+$/, "/shares/{sid}");
}

function clampRtt(ms) {
  const n = Number(ms);
  if (!Number.isFinite(n) || n < 0) throw new Error(`bad RTT: ${ms}`);
  return Math.min(n, MAX_RTT_MS);
}

/** A port number; 0 (any free port) only where `anyOk`. */
function checkPort(p, anyOk = false) {
  const n = Number(p);
  if (!Number.isInteger(n) || n < (anyOk ? 0 : 1) || n > 65535) throw new Error(`bad port: ${p}`);
  return n;
}

/** Reads a stream whole, up to `limit` bytes; rejects beyond. */
function readAll(stream, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    stream.on("data", (c) => {
      size += c.length;
      if (size > limit) {
        reject(Object.assign(new Error("body too large"), { tooLarge: true }));
        stream.destroy();
        return;
      }
      chunks.push(c);
    });
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
    stream.on("aborted", () => reject(new Error("aborted")));
  });
}

function forwardHeaders(headers) {
  const out = {};
  for (const [k, v] of Object.entries(headers)) if (!HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

/**
 * Delayed proxies sharing one RTT, one set of counts and one log. Every timer and socket
 * is tracked, so `close()` ends them all and leaves nothing running.
 */
export function createNetwork({ rttMs = 0, handshakeRtts = 1, log = null } = {}) {
  let rtt = clampRtt(rttMs);
  const timers = new Set();
  const sockets = new Set();
  const servers = [];
  const agents = [];
  const logStream = log ? createWriteStream(log, { flags: "a" }) : null;
  let counts = new Map();
  // CORS preflights per proxy port and route: "8994 /v1/groups/{gid}/status" → n.
  let preflights = new Map();
  let upgrades = 0;
  let bytesIn = 0;
  let bytesOut = 0;
  let closed = false;

  const track = (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    return s;
  };
  const later = (ms, fn) => {
    if (closed) return;
    const t = setTimeout(() => {
      timers.delete(t);
      if (!closed) fn();
    }, Math.max(0, ms));
    timers.add(t);
  };
  const sleep = (ms) => new Promise((ok) => (ms <= 0 ? ok() : later(ms, ok)));
  const write = (line) => logStream?.write(`${JSON.stringify(line)}\n`);
  const count = (key) => counts.set(key, (counts.get(key) ?? 0) + 1);

  /** Chunks from `from` reach `to` RTT/2 after they arrived, in order; ends likewise. */
  function delayedPipe(from, to) {
    let last = 0;
    const at = () => (last = Math.max(performance.now() + rtt / 2, last));
    from.on("data", (chunk) => {
      const when = at();
      later(when - performance.now(), () => {
        if (!to.destroyed) to.write(chunk);
      });
    });
    let ended = false;
    from.on("end", () => {
      ended = true;
      const when = at();
      later(when - performance.now(), () => to.end());
    });
    // Closed without an end (reset, error): the other side is cut too, after the delay.
    from.on("close", () => {
      if (ended) return;
      const when = at();
      later(when - performance.now(), () => to.destroy());
    });
    from.on("error", () => {});
  }

  function control(req, res) {
    const url = new URL(req.url, "http://proxy");
    const answer = (status, body) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    try {
      switch (url.pathname) {
        case "/_proxy/rtt":
          if (url.searchParams.has("ms")) rtt = clampRtt(url.searchParams.get("ms"));
          return answer(200, { rtt_ms: rtt });
        case "/_proxy/stats":
          return answer(200, { rtt_ms: rtt, requests: Object.fromEntries(counts), preflights: Object.fromEntries(preflights), upgrades, bytes_in: bytesIn, bytes_out: bytesOut });
        case "/_proxy/reset":
          counts = new Map();
          preflights = new Map();
          upgrades = 0;
          bytesIn = 0;
          bytesOut = 0;
          return answer(200, { reset: true });
        case "/_proxy/mark":
          write({ t: Date.now(), mark: url.searchParams.get("label") ?? "" });
          return answer(200, { marked: true });
        default:
          return answer(404, { error: "not_found" });
      }
    } catch (e) {
      return answer(400, { error: "bad_request", message: String(e.message ?? e) });
    }
  }

  async function proxy(listenPort, upstreamPort) {
    let listen = checkPort(listenPort, true);
    const upstream = checkPort(upstreamPort);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    agents.push(agent);
    const fresh = new WeakSet();
    const server = http.createServer({ keepAlive: true });
    server.maxConnections = MAX_CONNECTIONS;
    // Clients keep pooled connections for a while (ureq 15 s, browsers longer): do not
    // close them under their feet.
    server.keepAliveTimeout = 120_000;
    server.headersTimeout = 130_000;
    server.on("connection", (s) => {
      track(s);
      fresh.add(s);
    });
    // The first request on a connection pays the handshake the client made.
    const arrival = (socket) => {
      const first = fresh.has(socket);
      fresh.delete(socket);
      return rtt / 2 + (first ? handshakeRtts * rtt : 0);
    };

    server.on("request", async (req, res) => {
      if (req.url.startsWith("/_proxy/")) return control(req, res);
      const started = Date.now();
      const hold = arrival(req.socket);
      const route = routeOf(req.url);
      if (req.method === "OPTIONS") preflights.set(`${listen} ${route}`, (preflights.get(`${listen} ${route}`) ?? 0) + 1);
      const fail = (status, code) => {
        if (res.headersSent || res.destroyed) return;
        res.writeHead(status, { "content-type": "application/json", connection: "close" });
        res.end(JSON.stringify({ error: code, message: `delay proxy: ${code}` }));
      };
      let body;
      try {
        body = await readAll(req, MAX_BODY);
      } catch (e) {
        return fail(e.tooLarge ? 413 : 400, e.tooLarge ? "too_large" : "bad_request");
      }
      await sleep(hold);
      if (closed) return;
      const sentAt = Date.now();
      const up = http.request({
        host: LOOPBACK,
        port: upstream,
        method: req.method,
        path: req.url,
        headers: { ...forwardHeaders(req.headers), host: `${LOOPBACK}:${upstream}`, "content-length": body.length },
        agent,
        timeout: UPSTREAM_TIMEOUT_MS,
      });
      up.on("timeout", () => up.destroy(Object.assign(new Error("upstream timeout"), { timeout: true })));
      let answer;
      try {
        answer = await new Promise((resolve, reject) => {
          up.on("response", async (r) => {
            try {
              resolve({ status: r.statusCode, headers: r.headers, body: await readAll(r, MAX_BODY) });
            } catch (e) {
              reject(e);
            }
          });
          up.on("error", reject);
          up.end(body);
        });
      } catch (e) {
        count(`${req.method} ${route} ${e.timeout ? 504 : 502}`);
        write({ t: started, port: listen, method: req.method, route, status: e.timeout ? 504 : 502 });
        await sleep(rtt / 2);
        return fail(e.timeout ? 504 : 502, e.timeout ? "upstream_timeout" : "upstream_down");
      }
      const upstreamMs = Date.now() - sentAt;
      await sleep(rtt / 2);
      if (closed || res.destroyed) return;
      res.writeHead(answer.status, { ...forwardHeaders(answer.headers), "content-length": answer.body.length });
      res.end(answer.body);
      bytesIn += body.length;
      bytesOut += answer.body.length;
      count(`${req.method} ${route} ${answer.status}`);
      if (logStream) {
        const line = { t: started, port: listen, method: req.method, route, path: req.url.split("?")[0], status: answer.status, req_bytes: body.length, res_bytes: answer.body.length, upstream_ms: upstreamMs };
        if (req.method !== "GET" && answer.body.length <= 65536) {
          try {
            line.json = JSON.parse(decoded(answer).toString("utf8"));
          } catch {}
        }
        write(line);
      }
    });

    server.on("upgrade", (req, client, head) => {
      track(client);
      const hold = arrival(client);
      const route = routeOf(req.url);
      upgrades++;
      count(`UPGRADE ${route}`);
      write({ t: Date.now(), port: listen, method: "UPGRADE", route });
      client.pause();
      later(hold, () => {
        if (client.destroyed) return;
        const upstreamSocket = track(net.connect(upstream, LOOPBACK));
        const lines = [`${req.method} ${req.url} HTTP/1.1`];
        for (let i = 0; i < req.rawHeaders.length; i += 2) {
          const name = req.rawHeaders[i];
          lines.push(`${name}: ${name.toLowerCase() === "host" ? `${LOOPBACK}:${upstream}` : req.rawHeaders[i + 1]}`);
        }
        upstreamSocket.on("connect", () => {
          upstreamSocket.write(`${lines.join("\r\n")}\r\n\r\n`);
          if (head?.length) upstreamSocket.write(head);
          delayedPipe(upstreamSocket, client);
          delayedPipe(client, upstreamSocket);
          client.resume();
        });
        upstreamSocket.on("error", () => client.destroy());
        client.on("error", () => upstreamSocket.destroy());
      });
    });

    await new Promise((ok, fail) => {
      server.once("error", fail);
      server.listen(listen, LOOPBACK, ok);
    });
    listen = server.address().port;
    servers.push(server);
    return { port: listen, url: `http://${LOOPBACK}:${listen}`, upstream: `http://${LOOPBACK}:${upstream}` };
  }

  return {
    proxy,
    setRtt(ms) {
      rtt = clampRtt(ms);
    },
    get rttMs() {
      return rtt;
    },
    stats() {
      return { rtt_ms: rtt, requests: Object.fromEntries(counts), preflights: Object.fromEntries(preflights), upgrades, bytes_in: bytesIn, bytes_out: bytesOut };
    },
    mark(label) {
      write({ t: Date.now(), mark: label });
    },
    /** Stops listening, drops every connection and pending delivery. */
    async close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const done = servers.map((s) => new Promise((ok) => s.close(() => ok())));
      for (const s of sockets) s.destroy();
      for (const a of agents) a.destroy();
      await Promise.all(done);
      if (logStream) await new Promise((ok) => logStream.end(ok));
    },
  };
}

function parseArgs(argv) {
  const opts = { maps: [], rtt: 0, handshakeRtts: 1, log: null, exitOnStdinClose: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    switch (flag) {
      case "--map": {
        const [l, u] = String(value).split("=");
        opts.maps.push([checkPort(l), checkPort(u)]);
        i++;
        break;
      }
      case "--rtt":
        opts.rtt = clampRtt(value);
        i++;
        break;
      case "--handshake-rtts":
        opts.handshakeRtts = Math.max(0, Math.min(4, Number(value) || 0));
        i++;
        break;
      case "--log":
        opts.log = value;
        i++;
        break;
      case "--exit-on-stdin-close":
        opts.exitOnStdinClose = true;
        break;
      default:
        throw new Error(`unknown option ${flag} (see the top of scripts/delay-proxy.mjs)`);
    }
  }
  if (opts.maps.length === 0) throw new Error("at least one --map LISTEN=UPSTREAM is needed");
  return opts;
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`delay-proxy: ${e.message}`);
    process.exit(2);
  }
  const network = createNetwork({ rttMs: opts.rtt, handshakeRtts: opts.handshakeRtts, log: opts.log });
  const stop = async () => {
    await network.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  if (opts.exitOnStdinClose) {
    // The parent (a benchmark) closing our stdin ends us: nothing outlives its run.
    process.stdin.on("end", stop);
    process.stdin.on("close", stop);
    process.stdin.resume();
  }
  for (const [l, u] of opts.maps) {
    const p = await network.proxy(l, u);
    console.log(`delay-proxy ready: ${p.url} -> ${p.upstream} (rtt ${network.rttMs} ms)`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
