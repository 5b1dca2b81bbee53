// Drives tests/smoke/index.html in headless Chromium against three running relays.
// usage: node smoke.mjs <dir with index.html, smoke.js and pkg/> <relay,relay,relay> <port> <relay state dir>
// After the exchange it reads the relays' own persisted storage (workerd's SQLite files
// for the Durable Objects and KV, and KV blobs) and checks that the stored shares are
// there but no plaintext of the record is.
import http from "node:http";
import { readFile, readdir } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";

const [root, relays, port, relayState] = process.argv.slice(2);

async function filesUnder(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** Which of `needles` occur in any file under `dir` (as UTF-8 bytes). */
async function findInStorage(dir, needles) {
  const found = new Set();
  for (const file of await filesUnder(dir)) {
    if (file.endsWith(".log") || file.endsWith(".pid")) continue;
    const bytes = await readFile(file);
    for (const n of needles) if (bytes.includes(Buffer.from(n))) found.add(n);
  }
  return found;
}
const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };
const server = http.createServer(async (req, res) => {
  const path = normalize(new URL(req.url, "http://x").pathname).replace(/^(\.\.[/\\])+/, "");
  const file = path === "/" ? "index.html" : path;
  try {
    const body = await readFile(join(root, file));
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(Number(port), "127.0.0.1", ok));

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let ok = false;
try {
  const page = await browser.newPage();
  page.on("console", (m) => console.log("  [page]", m.text()));
  await page.goto(`http://127.0.0.1:${port}/?relays=${encodeURIComponent(relays)}`);
  await page.waitForFunction(() => window.smokeResult !== undefined, null, { timeout: 30000 });
  const result = await page.evaluate(() => window.smokeResult);
  console.log("  result:", JSON.stringify(result));
  ok = result.ok === true && result.relays === 3;
  // The relays' own storage: the shares must be there, their plaintext must not.
  const plaintext = ["Bakery", "Sonnenschein", "12.50", "paid by Alice"];
  const found = await findInStorage(relayState, [...plaintext, ...result.sealed.shareIds]);
  const leaked = plaintext.filter((p) => found.has(p));
  const stored = result.sealed.shareIds.filter((id) => found.has(id));
  console.log(`  relay storage: ${stored.length}/3 share ids found, plaintext found: ${JSON.stringify(leaked)}`);
  ok = ok && stored.length === 3 && leaked.length === 0;
} finally {
  await browser.close();
  server.close();
}
console.log(`smoke: ${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
process.exit(ok ? 0 : 1);
