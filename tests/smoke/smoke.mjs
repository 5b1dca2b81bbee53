// Drives tests/smoke/index.html in headless Chromium against three running relays.
// usage: node smoke.mjs <dir with index.html, smoke.js and pkg/> <relay,relay,relay> <port>
import http from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";

const [root, relays, port] = process.argv.slice(2);
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
} finally {
  await browser.close();
  server.close();
}
console.log(`smoke: ${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
process.exit(ok ? 0 : 1);
