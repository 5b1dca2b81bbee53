// What the app's first load costs: index.html, what it references (script, style,
// manifest, the service worker's registration) and the wasm core, gzipped. Icons, launch
// screens and the lazily loaded chunks (QR encoder and scanner) are not part of it.
// Used by e2e/offline.mjs (the 300 KB budget) and scripts/bench-sharing.sh (the sizes
// table); run directly, it prints `<first-load bytes> <lazy bytes>` for dist/.
import { readFileSync, readdirSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;

/**
 * Measures the built app in `dist` (a directory URL ending in "/"): `bytes` of the first
 * load, the `files` it fetches besides index.html, the `wasm` files built, and
 * `lazyBytes` of the script chunks loaded only when used.
 */
export function firstLoad(dist) {
  const html = readFileSync(new URL("index.html", dist));
  const refs = [...html.toString().matchAll(/(?:src|href)="\/([^"]+\.(?:js|css|webmanifest))"/g)].map((m) => m[1]);
  const assets = readdirSync(new URL("assets/", dist)).map((f) => `assets/${f}`);
  const wasm = assets.filter((f) => f.endsWith(".wasm"));
  const files = [...refs, ...wasm];
  const size = (f) => gz(readFileSync(new URL(f, dist)));
  const bytes = gz(html) + files.reduce((sum, f) => sum + size(f), 0);
  const lazyBytes = assets.filter((f) => f.endsWith(".js") && !refs.includes(f)).reduce((sum, f) => sum + size(f), 0);
  return { bytes, files, wasm, lazyBytes };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { bytes, lazyBytes } = firstLoad(new URL("../dist/", import.meta.url));
  console.log(bytes, lazyBytes);
}
