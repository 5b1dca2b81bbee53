// What the Chromium journeys and the latency benchmark share: three local relays (workerd)
// that allow the app's origin, the built app (web/dist) served by `vite preview`, Chromium
// as this machine has it (Debian's, Playwright cannot download browsers here), and a
// journey's start, checks and ending (`startJourney`).
import { execFileSync, spawn } from "node:child_process";
import { chromium } from "playwright-core";

export const ROOT = new URL("../../", import.meta.url).pathname;
export const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** Starts relays on `base`.. in `dir`, allowing the app on port `web`; `quiet` keeps
 * their stdout out of what the caller prints; `vars` are more `NAME:VALUE` settings. */
export function startRelays({ dir, base, web, ttl, quiet = false, vars = [] }) {
  const args = [`${ROOT}scripts/relays.sh`, "start", "--dir", dir, "--base-port", String(base)];
  if (ttl !== undefined) args.push("--ttl", String(ttl));
  for (const v of vars) args.push("--var", v);
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

/** Starts what a Chromium journey runs on: three relays when `relays` is given
 * (`startRelays`' options but `web`), the built app on port `web`, and Chromium. Returns
 * the `browser`, `check(what, ok, detail)`, which prints one check as it goes, and
 * `run(ranToTheEnd, steps)`, which runs the journey's steps: if one throws, the check
 * `ranToTheEnd` fails with the stack and every page still open is screenshot to
 * target/e2e/<name>-failure-<i>.png; the browser, app and relays stop in any case; then
 * it prints "<name>: N passed, N failed" and exits 1 if any check failed or none ran. */
export async function startJourney(name, { web, relays }) {
  if (relays) startRelays({ ...relays, web });
  const stopApp = await serveApp(web);
  const browser = await launchChromium();
  const results = [];
  const check = (what, ok, detail = "") => {
    results.push(Boolean(ok));
    console.log(`${ok ? "ok  " : "FAIL"} ${what}${detail ? `: ${detail}` : ""}`);
  };
  const run = async (ranToTheEnd, steps) => {
    try {
      await steps();
    } catch (e) {
      check(ranToTheEnd, false, String(e?.stack ?? e));
      for (const [i, p] of browser.contexts().flatMap((c) => c.pages()).entries()) {
        await p.screenshot({ path: `${ROOT}target/e2e/${name}-failure-${i}.png` }).catch(() => {});
      }
    } finally {
      await browser.close();
      stopApp();
      if (relays) stopRelays(relays.dir);
    }
    const failed = results.filter((ok) => !ok).length;
    console.log(`${name}: ${results.length - failed} passed, ${failed} failed`);
    process.exit(failed === 0 && results.length > 0 ? 0 : 1);
  };
  return { browser, check, run };
}
