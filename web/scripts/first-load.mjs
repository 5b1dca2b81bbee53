// What the app's first load costs: index.html, what it references (script, style,
// manifest, the service worker's registration) and the wasm client core those scripts
// load, gzipped. Icons, launch screens and what loads only when used (QR encoder and
// scanner, the reports module with its wasm) are not part of it.
// Used by e2e/offline.mjs (the budgets) and scripts/bench-sharing.sh (the sizes table);
// run directly, it prints `<first-load> <lazy> <client wasm> <lazy wasm>` bytes for dist/.
import { readFileSync, readdirSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;

/**
 * Measures the built app in `dist` (a directory URL ending in "/"): `bytes` of the first
 * load and the `files` it fetches besides index.html; `wasm`, the wasm files the first
 * load instantiates (those its scripts name), and `wasmBytes` of them; `lazy`, the
 * scripts and wasm loaded only when used, and `lazyBytes`, `lazyWasmBytes` of them.
 */
export function firstLoad(dist) {
  const html = readFileSync(new URL("index.html", dist));
  const refs = [...html.toString().matchAll(/(?:src|href)="\/([^"]+\.(?:js|css|webmanifest))"/g)].map((m) => m[1]);
  const assets = readdirSync(new URL("assets/", dist)).map((f) => `assets/${f}`);
  const read = (f) => readFileSync(new URL(f, dist));
  const size = (f) => gz(read(f));
  const sum = (files) => files.reduce((total, f) => total + size(f), 0);
  const scripts = refs.filter((f) => f.endsWith(".js")).map((f) => read(f).toString());
  const allWasm = assets.filter((f) => f.endsWith(".wasm"));
  const named = (f) => scripts.some((s) => s.includes(f.slice("assets/".length)));
  const wasm = allWasm.filter(named);
  const lazyWasm = allWasm.filter((f) => !named(f));
  const files = [...refs, ...wasm];
  const lazyScripts = assets.filter((f) => f.endsWith(".js") && !refs.includes(f));
  const lazy = [...lazyScripts, ...lazyWasm];
  return {
    bytes: gz(html) + sum(files),
    files,
    wasm,
    wasmBytes: sum(wasm),
    lazy,
    lazyBytes: sum(lazy),
    lazyWasmBytes: sum(lazyWasm),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { bytes, lazyBytes, wasmBytes, lazyWasmBytes } = firstLoad(new URL("../dist/", import.meta.url));
  console.log(bytes, lazyBytes, wasmBytes, lazyWasmBytes);
}
