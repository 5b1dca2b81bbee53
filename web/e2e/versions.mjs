// Two tabs of two versions of the app in one browser profile, in Chromium (Playwright):
// the service worker updated the app while a tab of the older version is still open
// (web/src/core/db.ts). A same-origin page plays the other version with IndexedDB alone.
//  1. A newer version opens the database at a higher version: the app's tab (the older
//     one) lets it, at once, and says the app was updated, with a Reload button.
//  2. An older release that ignores the upgrade holds the database at version 1: the app
//     (version 2) asks to close the other GFMS tabs instead of loading for ever, and
//     starts by itself once that tab is closed.
import { startJourney } from "./stack.mjs";

const WEB = Number(process.env.E2E_VERSIONS_WEB_PORT ?? 8985);
const APP = `http://127.0.0.1:${WEB}/`;
// a file of the app's origin that runs no app: the other version's page
const BARE = `${APP}icons/icon-192.png`;

const { browser, check, run } = await startJourney("versions", { web: WEB });

const errors = [];
function watch(page, name) {
  page.on("pageerror", (e) => errors.push(`[${name}] ${e.message}`));
  return page;
}

await run("two versions ran to the end", async () => {
  // 1. this tab is the older version; a newer one opens in another tab
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const app = watch(await phone.newPage(), "app");
  await app.goto(APP);
  await app.getByRole("button", { name: "New group" }).waitFor();
  const newer = watch(await phone.newPage(), "newer version");
  await newer.goto(BARE);
  const opened = await newer.evaluate(
    () =>
      new Promise((done) => {
        let blocked = false;
        const req = indexedDB.open("gfms", 3);
        req.onblocked = () => (blocked = true);
        req.onsuccess = () => {
          const v = req.result.version;
          req.result.close();
          done({ version: v, blocked });
        };
        req.onerror = () => done({ error: String(req.error) });
        setTimeout(() => done({ waiting: true, blocked }), 10000);
      }),
  );
  check("Newer version in another tab: it opens the database at once, the older tab in its way closes", opened.version === 3 && !opened.blocked, JSON.stringify(opened));
  const note = app.getByTestId("updated-elsewhere");
  await note.waitFor({ timeout: 10000 });
  check("Newer version in another tab: the older tab says the app was updated, and offers a reload", /GFMS was updated in another window/.test(await note.textContent()) && (await note.getByRole("button", { name: "Reload" }).count()) === 1);
  await phone.close();

  // 2. an old release's tab holds the database open and ignores the upgrade
  const other = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const old = watch(await other.newPage(), "old release");
  await old.goto(BARE);
  await old.evaluate(
    () =>
      new Promise((done, fail) => {
        const req = indexedDB.open("gfms", 1);
        req.onupgradeneeded = () => {
          req.result.createObjectStore("groups", { keyPath: "key" });
          req.result.createObjectStore("meta");
        };
        req.onsuccess = () => {
          window.oldDb = req.result; // kept open, and no onversionchange: it never steps aside
          done();
        };
        req.onerror = () => fail(req.error);
      }),
  );
  const fresh = watch(await other.newPage(), "app, new version");
  await fresh.goto(APP);
  const ask = fresh.getByTestId("close-other-tabs");
  await ask.waitFor({ timeout: 15000 });
  check("Newer version blocked by an old tab: the app asks to close the other GFMS tabs instead of loading for ever", /Close the other GFMS windows and tabs/.test(await ask.textContent()));
  await old.close(); // the user closes it
  await fresh.getByRole("button", { name: "New group" }).waitFor({ timeout: 15000 });
  check("and once it is closed, the app starts by itself, the request gone", (await fresh.getByTestId("close-other-tabs").count()) === 0);
  check("no page error", errors.length === 0, errors.slice(0, 3).join(" | "));
});
