#!/usr/bin/env node
// One local relay as real workerd through Miniflare's API, without `wrangler dev`'s layers:
// a request goes client -> workerd (Miniflare's entry worker, then the relay) instead of
// client -> workerd (wrangler's proxy worker) -> workerd (entry worker, then the relay).
// The same Worker as `wrangler dev --env relay-X`: wrangler.toml read by wrangler itself
// (unstable_readConfig, unstable_getMiniflareWorkerOptions: the name, vars, the SQLite Durable Object, the rate limit,
// compatibility date, module rules), the same entry module and built bundle
// (scripts/build-relay.sh), the same worker name and persisted state layout as
// `wrangler dev --persist-to DIR` (DIR/v3/...), so either runner reads the other's state.
// What it leaves out is what exists only in development: hot reload, the inspector, the
// proxy worker that holds requests during a reload, wrangler's dev-only middleware.
//
//   node scripts/relay-mf.mjs --env relay-a --port 8787 --persist-to DIR [--var NAME:VALUE ...]
//
// Prints "ready: URL" once it listens on 127.0.0.1:PORT; runs until SIGTERM/SIGINT.
// scripts/relays.sh starts it when GFMS_RELAYS_RUNNER=miniflare.
import { resolve, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare, Log, LogLevel } from "miniflare";
import { unstable_getMiniflareWorkerOptions, unstable_readConfig } from "wrangler";

const ROOT = resolve(fileURLToPath(import.meta.url), "../..");

function parseArgs(argv) {
  const args = { env: "", port: 0, persistTo: "", vars: {} };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`relay-mf: ${flag} needs a value`);
    if (flag === "--env") args.env = value;
    else if (flag === "--port") args.port = Number(value);
    else if (flag === "--persist-to") args.persistTo = resolve(value);
    else if (flag === "--var") {
      const at = value.indexOf(":");
      if (at < 1) throw new Error(`relay-mf: --var takes NAME:VALUE, not ${value}`);
      args.vars[value.slice(0, at)] = value.slice(at + 1);
    } else throw new Error(`relay-mf: unknown option ${flag}`);
  }
  if (!args.env || !Number.isInteger(args.port) || args.port <= 0 || !args.persistTo) {
    throw new Error("usage: relay-mf.mjs --env relay-X --port PORT --persist-to DIR [--var NAME:VALUE ...]");
  }
  return args;
}

const args = parseArgs(process.argv.slice(2));
const config = unstable_readConfig({ config: join(ROOT, "wrangler.toml"), env: args.env });
const { workerOptions, main } = unstable_getMiniflareWorkerOptions(config, args.env);
const mf = new Miniflare({
  host: "127.0.0.1",
  port: args.port,
  // wrangler dev --persist-to DIR keeps its state in DIR/v3 (KV, Durable Objects, cache).
  defaultPersistRoot: join(args.persistTo, "v3"),
  log: new Log(LogLevel.WARN),
  // The placeholder request.cf, without fetching Cloudflare's (the relay reads no cf field).
  cf: false,
  workers: [
    {
      ...workerOptions,
      // wrangler dev names the worker after the env's `name`: the Durable Object's
      // storage directory is named after it, so both runners share persisted state.
      name: config.name,
      bindings: { ...workerOptions.bindings, ...args.vars },
      modules: true,
      scriptPath: main,
      modulesRoot: join(ROOT, "relay-worker"),
      // worker-build writes ES modules as .js (build/package.json says "type": "module");
      // wrangler's esbuild knows that, Miniflare's module walker needs telling.
      modulesRules: [{ type: "ESModule", include: ["**/*.mjs", "**/*.js"] }, ...(workerOptions.modulesRules ?? [])],
    },
  ],
});

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await mf.dispose().catch(() => {});
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

const url = await mf.ready;
console.log(`ready: ${url.href.replace(/\/$/, "")}`);
