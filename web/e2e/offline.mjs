// The installed app opens with no network: served by its service worker, wasm included.
// Chromium via Playwright at an iPhone-sized viewport; screenshots (light and dark) of the
// screen go to docs/screenshots/. Run by `npm run e2e` after a build (web/dist).
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { firstLoad } from "../scripts/first-load.mjs";

const PORT = 8841;
const URL_ = `http://127.0.0.1:${PORT}/`;
const SHOTS = new URL("../../docs/screenshots/", import.meta.url);
mkdirSync(SHOTS, { recursive: true });

const server = spawn("npx", ["vite", "preview", "--host", "127.0.0.1", "--port", String(PORT), "--strictPort"], {
  cwd: new URL("..", import.meta.url),
  stdio: "ignore",
  detached: true,
});
const stopServer = () => {
  try {
    process.kill(-server.pid);
  } catch {}
};
for (let i = 0; i < 60; i++) {
  try {
    if ((await fetch(URL_)).ok) break;
  } catch {}
  await new Promise((ok) => setTimeout(ok, 250));
}

const checks = [];
const check = (name, ok, detail = "") => {
  checks.push(ok);
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? `: ${detail}` : ""}`);
};

// The first-load budget: the HTML, what it references and the wasm core, gzipped, under
// 300 KB (scripts/first-load.mjs says what counts).
{
  const { bytes, files, wasm } = firstLoad(new URL("../dist/", import.meta.url));
  check("first load (shell + wasm) is under 300 KB gzipped", bytes < 300 * 1024 && wasm.length === 1, `${(bytes / 1024).toFixed(1)} KB over ${files.length + 1} files`);
}

// iPhone launch screens: each linked image exists and has the pixel size its media query
// names, and an iPhone 12–14 (390×844 @3) finds one in light and one in dark mode.
{
  const html = readFileSync(new URL("../dist/index.html", import.meta.url), "utf8");
  const links = [...html.matchAll(/<link rel="apple-touch-startup-image" media="([^"]+)" href="\/([^"]+)"/g)];
  const wrong = [];
  for (const [, media, href] of links) {
    const [w, h, r] = ["device-width", "device-height", "-webkit-device-pixel-ratio"].map((f) => Number(new RegExp(`\\(${f}: (\\d+)`).exec(media)?.[1]));
    let size = "missing";
    try {
      const png = readFileSync(new URL(`../dist/${href}`, import.meta.url));
      size = `${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`;
    } catch {}
    if (size !== `${w * r}x${h * r}`) wrong.push(`${href}: ${size}, media wants ${w * r}x${h * r}`);
  }
  const iphone14 = ["light", "dark"].every((s) => links.some(([, m]) => m.includes("device-width: 390px") && m.includes("device-height: 844px") && m.includes(`prefers-color-scheme: ${s}`)));
  check("iPhone launch screens are linked and sized for their screens", links.length >= 2 && wrong.length === 0 && iphone14, wrong.join("; ") || `${links.length} launch screens`);
}

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  for (const scheme of ["light", "dark"]) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true, colorScheme: scheme });
    const page = await context.newPage();
    await page.goto(URL_);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await page.reload(); // now controlled by the service worker
    const controlled = await page.evaluate(() => navigator.serviceWorker.controller !== null);
    await context.setOffline(true);
    await page.reload();
    await page.waitForFunction(() => !["", "loading…"].includes(document.querySelector("#kernel")?.textContent ?? ""), null, { timeout: 15000 });
    const kernel = await page.textContent("#kernel");
    const title = await page.textContent("h1");
    if (scheme === "light") {
      check("the service worker controls the page", controlled);
      check("offline reload shows the app", title === "GFMS", `h1 = ${title}`);
      check("offline reload loads the wasm core from the cache", kernel === "simd128", `kernel = ${kernel}`);
      const manifest = await page.evaluate(() => document.querySelector('link[rel="manifest"]')?.getAttribute("href"));
      check("a web manifest is linked", Boolean(manifest), manifest ?? "");
      const icon = await page.evaluate(() => fetch("/icons/apple-touch-icon.png").then((r) => r.ok && r.headers.get("content-type")));
      check("the apple-touch-icon is served offline", icon === "image/png", String(icon));
      const csp = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute("content") ?? "");
      check("the page carries a Content-Security-Policy without inline scripts", csp.includes("script-src 'self' 'wasm-unsafe-eval'") && !csp.includes("unsafe-inline"), csp);
    }
    await page.waitForFunction(() => !document.body.textContent.includes("checking"), null, { timeout: 15000 });
    await page.screenshot({ path: new URL(`relays-offline-${scheme}.png`, SHOTS).pathname });
    await context.close();
  }
} finally {
  await browser.close();
  stopServer();
}
const failed = checks.filter((c) => !c).length;
console.log(`offline: ${checks.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
