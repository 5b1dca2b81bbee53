// Checks that a built app (web/dist) is fit to publish: the headers a static host adds,
// the page's Content-Security-Policy, the service worker and manifest an iPhone needs to
// install it, the wasm core, and the default relays baked in. Used by
// scripts/deploy-app.sh before it publishes, and by the e2e layer on the app it tested.
//   node scripts/check-dist.mjs DIST RELAYS      (RELAYS: comma-separated URLs)
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const [dist, relays] = process.argv.slice(2);
if (!dist || !relays) {
  console.error("usage: node scripts/check-dist.mjs DIST RELAYS");
  process.exit(2);
}
const problems = [];
const read = (p) => (existsSync(join(dist, p)) ? readFileSync(join(dist, p), "utf8") : null);

const headers = read("_headers");
if (headers === null) problems.push("no _headers file (security headers for the host)");
else
  for (const h of ["frame-ancestors 'none'", "X-Content-Type-Options: nosniff", "Referrer-Policy: no-referrer", "/sw.js"])
    if (!headers.includes(h)) problems.push(`_headers lacks ${h}`);

const index = read("index.html");
const csp = index
  ?.match(/http-equiv="Content-Security-Policy" content="([^"]*)"/)?.[1]
  ?.replaceAll("&#39;", "'")
  .replaceAll("&quot;", '"')
  .replaceAll("&amp;", "&");
if (!csp) problems.push("index.html carries no Content-Security-Policy");
else {
  const script = csp.split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src")) ?? "";
  const tokens = script.split(/\s+/);
  if (tokens.includes("'unsafe-inline'") || tokens.includes("'unsafe-eval'")) problems.push(`script-src allows inline code or eval: ${script}`);
  if (!csp.includes("object-src 'none'")) problems.push("CSP lacks object-src 'none'");
}
if (read("sw.js") === null) problems.push("no service worker (sw.js): the app would not work offline");
if (read("manifest.webmanifest") === null) problems.push("no manifest.webmanifest: iPhone cannot install it");

const assets = existsSync(join(dist, "assets")) ? readdirSync(join(dist, "assets")) : [];
if (!assets.some((f) => f.endsWith(".wasm"))) problems.push("no wasm core in assets/");
const code = assets.filter((f) => f.endsWith(".js")).map((f) => readFileSync(join(dist, "assets", f), "utf8")).join("\n");
for (const url of relays.split(",").map((u) => u.trim()).filter(Boolean))
  if (!code.includes(url)) problems.push(`default relay ${url} is not in the built app`);

if (problems.length) {
  console.error(`${dist} is not fit to publish:\n  - ${problems.join("\n  - ")}`);
  process.exit(1);
}
console.log(`${dist}: headers, CSP, service worker, manifest, wasm and default relays in place`);
