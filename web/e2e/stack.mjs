// What the Chromium journeys and the latency benchmark share: three local relays (workerd)
// that allow the app's origin, the built app (web/dist) served by `vite preview`, and
// Chromium as this machine has it (Debian's, Playwright cannot download browsers here).
import { execFileSync, spawn } from "node:child_process";
import { chromium } from "playwright-core";

export const ROOT = new URL("../../", import.meta.url).pathname;
export const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** Starts relays on `base`.. in `dir`, allowing the app on port `web`; `quiet` keeps
 * their stdout out of what the caller prints. */
export function startRelays({ dir, base, web, ttl, quiet = false }) {
  const args = [`${ROOT}scripts/relays.sh`, "start", "--dir", dir, "--base-port", String(base)];
  if (ttl !== undefined) args.push("--ttl", String(ttl));
  args.push("--origins", `http://127.0.0.1:${web}`);
  execFileSync("bash", args, { stdio: quiet ? ["ignore", "ignore", "inherit"] : "inherit" });
}

export function stopRelays(dir) {
  try {
    execFileSync("bash", [`${ROOT}scripts/relays.sh`, "stop", "--dir", dir], { stdio: "ignore" });
  } catch {}
}

/** Serves web/dist on `port` and waits (up to 15 s) until it answers; returns its stop. */
export async function serveApp(port) {
  const server = spawn("npx", ["vite", "preview", "--host", "127.0.0.1", "--port", String(port), "--strictPort"], {
    cwd: new URL("..", import.meta.url),
    stdio: "ignore",
    detached: true,
  });
  const stop = () => {
    try {
      process.kill(-server.pid);
    } catch {}
  };
  for (let i = 0; i < 60; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) break;
    } catch {}
    await sleep(250);
  }
  return stop;
}

export const launchChromium = () =>
  chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
