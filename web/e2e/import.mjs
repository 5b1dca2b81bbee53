// Moving in from Splitwise, in Chromium (Playwright) against three real local relays:
// Alice creates a group, opens Settings → Import, chooses a Splitwise export, sees the
// preview and confirms; the import module (its own wasm) loads only then, and the group's
// balances are the file's.
import { ROOT, createGroup, startJourney } from "./stack.mjs";

const WEB = Number(process.env.E2E_IMPORT_WEB_PORT ?? 8930);
const APP = `http://127.0.0.1:${WEB}/`;
const BASE = Number(process.env.E2E_IMPORT_RELAY_BASE ?? 8931);
const RELAYS = [0, 1, 2].map((i) => `http://127.0.0.1:${BASE + i}`);
const RELAY_DIR = `${ROOT}target/e2e/web-import`;
const FILE = `${ROOT}tests/fixtures/import/splitwise-several-payers.csv`;

const { browser, check, run } = await startJourney("import", { web: WEB, relays: { dir: RELAY_DIR, base: BASE } });
await run("the import journey ran to the end", async () => {
  const page = await (await browser.newContext()).newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const wasm = [];
  page.on("request", (r) => r.url().endsWith(".wasm") && wasm.push(r.url()));
  await createGroup(page, { app: APP, group: "Lisbon", me: "Alice", currency: "EUR", relays: RELAYS });
  await page.getByRole("button", { name: "Settings", exact: true }).click();
  check("the import module is not loaded before Import is opened", !wasm.some((u) => u.includes("gfms_import")), wasm.join(", "));
  await page.getByRole("button", { name: "Import from Splitwise or Tricount" }).click();
  await page.getByLabel("Choose the exported file").setInputFiles(FILE);
  const preview = page.getByTestId("import-preview");
  await preview.waitFor({ timeout: 15000 });
  const heading = await preview.locator("h3").first().textContent();
  check("the preview counts people, expenses and payments", /^\d+ people, \d+ expenses and \d+ payments to add$/.test(heading), heading);
  await preview.getByRole("button", { name: /^Import \d+ expenses/ }).click();
  const message = await page.getByTestId("import-message").textContent();
  check("confirming imports it, and every balance matches Splitwise's", /^Imported \d+ expenses .*Every balance matches Splitwise's\.$/.test(message), message);
  await page.getByRole("button", { name: "Balances", exact: true }).click();
  const rows = await page.locator('[data-testid^="balance-"]').count();
  check("the balances screen shows the people from the file", rows >= 3, `${rows} rows`);
  check("no page error", errors.length === 0, errors.slice(0, 3).join(" | "));
});
