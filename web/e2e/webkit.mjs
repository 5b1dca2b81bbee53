// The app in WebKit, the engine of iPhone Safari, over plain W3C WebDriver
// (WebKitWebDriver driving MiniBrowser under Xvfb): it loads, its wasm core (built with
// SIMD) runs, and its service worker registers. Run by `npm run e2e` after a build.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

const APP_PORT = 8842;
const DRIVER_PORT = 8843;
const APP = `http://127.0.0.1:${APP_PORT}/`;
const DRIVER = `http://127.0.0.1:${DRIVER_PORT}`;
const MINIBROWSER = ["/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser", "/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser"].find(existsSync);

const started = [];
const start = (cmd, args, cwd) => {
  const p = spawn(cmd, args, { cwd, stdio: "ignore", detached: true });
  started.push(p);
  return p;
};
const stopAll = () => {
  for (const p of started) {
    try {
      process.kill(-p.pid);
    } catch {}
  }
};
const waitFor = async (url) => {
  for (let i = 0; i < 120; i++) {
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {}
    await new Promise((ok) => setTimeout(ok, 250));
  }
  throw new Error(`nothing answers at ${url}`);
};
const wd = async (method, path, body) => {
  const r = await fetch(DRIVER + path, { method, headers: { "content-type": "application/json" }, body: body && JSON.stringify(body) });
  const json = await r.json();
  if (!r.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json.value)}`);
  return json.value;
};

const checks = [];
const check = (name, ok, detail = "") => {
  checks.push(ok);
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? `: ${detail}` : ""}`);
};

let session;
try {
  if (!MINIBROWSER) throw new Error("MiniBrowser not found: install webkit2gtk-driver (scripts/setup.sh does)");
  start("npx", ["vite", "preview", "--host", "127.0.0.1", "--port", String(APP_PORT), "--strictPort"], new URL("..", import.meta.url));
  start("xvfb-run", ["-a", "WebKitWebDriver", `--port=${DRIVER_PORT}`]);
  await waitFor(APP);
  await waitFor(`${DRIVER}/status`);
  ({ sessionId: session } = await wd("POST", "/session", {
    capabilities: { alwaysMatch: { browserName: "MiniBrowser", "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] } } },
  }));
  await wd("POST", `/session/${session}/url`, { url: APP });
  const read = () => wd("POST", `/session/${session}/execute/sync`, {
    script: "return { h1: document.querySelector('h1')?.textContent, kernel: document.querySelector('#kernel')?.textContent, ua: navigator.userAgent };",
    args: [],
  });
  let seen = await read();
  for (let i = 0; i < 60 && ["", "loading…", undefined].includes(seen.kernel); i++) {
    await new Promise((ok) => setTimeout(ok, 250));
    seen = await read();
  }
  check("WebKit renders the app", seen.h1 === "GFMS", `h1 = ${seen.h1}`);
  check("WebKit runs the wasm core with SIMD", seen.kernel === "simd128", `kernel = ${seen.kernel}`);
  check("it is WebKit", /AppleWebKit/.test(seen.ua) && !/Chrome/.test(seen.ua), seen.ua);
  const sw = await wd("POST", `/session/${session}/execute/async`, {
    script: "const done = arguments[arguments.length - 1]; navigator.serviceWorker.ready.then(r => done(Boolean(r.active)), e => done(String(e)));",
    args: [],
  });
  check("WebKit registers the service worker", sw === true, String(sw));
} catch (e) {
  check("WebKit session", false, e.message);
} finally {
  if (session) await wd("DELETE", `/session/${session}`).catch(() => {});
  stopAll();
}
const failed = checks.filter((c) => !c).length;
console.log(`webkit: ${checks.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
