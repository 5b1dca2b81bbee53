// What the browser journeys and the latency benchmark share: three local relays (workerd)
// that allow the app's origin, the built app (web/dist) served by `vite preview`, Chromium
// as this machine has it (Debian's, Playwright cannot download browsers here), a
// journey's start, checks and ending (`startJourney`), and the steps most journeys take
// in Chromium (`createGroup`, `joinGroup`, `syncNow`).
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

/** Starts what a journey runs on: three relays when `relays` is given (`startRelays`'
 * options but `web`), the built app on port `web`, and Chromium unless `chromium` is
 * false (webkit.mjs drives WebKit over WebDriver). Returns the `browser`,
 * `check(what, ok, detail)`, which prints one check as it goes, and
 * `run(ranToTheEnd, steps)`, which runs the journey's steps: if one throws, the check
 * `ranToTheEnd` fails with the stack and every page still open is screenshot to
 * target/e2e/<name>-failure-<i>.png; the browser, app and relays stop in any case; then
 * it prints "<name>: N passed, N failed" and exits 1 if any check failed or none ran. */
export async function startJourney(name, { web, relays, chromium = true }) {
  if (relays) startRelays({ ...relays, web });
  const stopApp = await serveApp(web);
  const browser = chromium ? await launchChromium() : null;
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
      for (const [i, p] of (browser?.contexts() ?? []).flatMap((c) => c.pages()).entries()) {
        await p.screenshot({ path: `${ROOT}target/e2e/${name}-failure-${i}.png` }).catch(() => {});
      }
    } finally {
      await browser?.close();
      stopApp();
      if (relays) stopRelays(relays.dir);
    }
    const failed = results.filter((ok) => !ok).length;
    console.log(`${name}: ${results.length - failed} passed, ${failed} failed`);
    process.exit(failed === 0 && results.length > 0 ? 0 : 1);
  };
  return { browser, check, run };
}

/** Creates a group on `page` as a new user does: the app at `app`, New group, the group's
 * and the user's names, `currency` when given (else the build's default), `relays` under
 * Advanced, Create group, Continue to the empty list. Returns the invite link. */
export async function createGroup(page, { app, group, me, currency, relays }) {
  await page.goto(app);
  await page.getByRole("button", { name: "New group" }).click();
  await page.getByLabel("Group name").fill(group);
  await page.getByLabel("Your name").fill(me);
  if (currency) await page.getByLabel("Currency").selectOption(currency);
  await page.getByText("Advanced: where changes travel").click();
  await page.getByLabel("Relays (one per line)").fill(relays.join("\n"));
  await page.getByRole("button", { name: "Create group" }).click();
  const link = await page.getByTestId("invite-link").inputValue();
  await page.getByRole("button", { name: "Continue", exact: true }).click();
  await page.getByTestId("empty-start").waitFor();
  return link;
}

/** Opens the invite `link` on `page`, joins as `me` with the button named `join` and
 * waits for the group's screen. */
export async function joinGroup(page, link, me, join = /^Join/) {
  await page.goto(link);
  await page.getByLabel("Your name").fill(me);
  await page.getByRole("button", { name: join }).last().click();
  await page.getByTestId("sync-indicator").waitFor({ timeout: 15000 });
}

/** A sync round on `page` as a user starts one (the sync sheet's "Sync now"): waits up to
 * `timeout` ms for it to end, then closes the sheet. */
export async function syncNow(page, timeout = 30000) {
  await page.getByTestId("sync-indicator").click();
  await page.getByTestId("sync-now").click();
  await page.waitForFunction(() => document.querySelector('[data-testid="sync-now"]')?.hasAttribute("disabled") === false, null, { timeout });
  await page.keyboard.press("Escape");
  await page.locator('[data-testid="sync-now"]').waitFor({ state: "detached", timeout: 5000 }).catch(async () => {
    await page.getByRole("button", { name: /close/i }).first().click().catch(() => {});
  });
}
