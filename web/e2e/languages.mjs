// The app in French, German and Spanish, in Chromium at an iPhone-sized viewport: the
// browser's language picks the first screen's; in Settings, Français applies at once
// (the expense list in French, the amount as "32,40 €", <html lang="fr">, axe-clean,
// nothing wider than the screen); offline, Deutsch still loads (its chunk comes from the
// service worker's precache), the choice survives an offline reload, and English comes
// back. No relay is needed: a group is created and used on this phone alone.
// Run by `npm run e2e` after a build (web/dist); screenshots go to docs/screenshots/.
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { startJourney } from "./stack.mjs";

const PORT = 8845;
const URL_ = `http://127.0.0.1:${PORT}/`;
const SHOTS = new URL("../../docs/screenshots/", import.meta.url);
mkdirSync(SHOTS, { recursive: true });
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Serious or critical axe findings on the page (WCAG 2.1 A/AA). */
async function axe(page) {
  if (!(await page.evaluate(() => "axe" in globalThis))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const result = await globalThis.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes[0]?.target.join(" ")}`);
  });
}

/** Tab bar labels wider than their tab (five tabs share 390 px). */
const tabsCut = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll(".tabbar button")].filter((b) => {
      const label = b.querySelector("span")?.getBoundingClientRect();
      const tab = b.getBoundingClientRect();
      return !label || label.left < tab.left - 0.5 || label.right > tab.right + 0.5;
    }).map((b) => b.getAttribute("aria-label")),
  );

/** Buttons whose words do not fit inside them (cut, or spilling over), on the open screen. */
const buttonsCut = (page) =>
  page.evaluate(() => [...document.querySelectorAll("button")].filter((b) => b.offsetParent !== null && b.scrollWidth > b.clientWidth + 1).map((b) => b.textContent?.slice(0, 30)));

/** The expense editor's buttons that do not fit, in the current language. */
async function editorCut(page) {
  await page.getByTestId("add-expense").click();
  await page.getByTestId("expense-editor").waitFor();
  await page.getByTestId("itemized").check();
  const cut = await buttonsCut(page);
  await page.getByTestId("itemized").uncheck();
  cut.push(...(await buttonsCut(page)));
  await page.keyboard.press("Escape");
  await page.getByTestId("expense-editor").waitFor({ state: "detached" });
  return cut;
}

/** Each tab's buttons that do not fit and elements wider than the screen, by tab; back on the last tab. */
async function tabsFit(page) {
  const found = [];
  const tabs = page.locator(".tabbar button");
  for (let i = 0; i < 5; i++) {
    await tabs.nth(i).click();
    await page.waitForTimeout(150);
    for (const b of await buttonsCut(page)) found.push(`tab ${i + 1}: "${b}"`);
    for (const w of await overflow(page)) found.push(`tab ${i + 1}: wide "${w}"`);
  }
  return found;
}

/** Elements wider than the screen (a translation too long for an iPhone). */
const overflow = (page) =>
  page.evaluate(() => [...document.querySelectorAll("button, label, h1, h2, h3, p, span")].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5).map((el) => el.textContent?.slice(0, 40)));

const space = (s) => (s ?? "").replace(/[\u00a0\u202f]/g, " ");
const lang = (page) => page.evaluate(() => document.documentElement.lang);

const { browser, check, run } = await startJourney("languages", { web: PORT });
await run("the language journey ran to the end", async () => {
  // a Spanish browser starts in Spanish
  {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "es-ES" });
    const page = await context.newPage();
    await page.goto(URL_);
    await page.getByRole("button", { name: "Nuevo grupo" }).waitFor({ timeout: 20000 });
    check("a browser in Spanish opens the app in Spanish", (await lang(page)) === "es", `<html lang="${await lang(page)}">`);
    const welcome = [...(await buttonsCut(page)), ...(await overflow(page))];
    await page.getByRole("button", { name: "Nuevo grupo" }).click();
    await page.getByText("Avanzado: por dónde viajan los cambios").click();
    const create = [...(await buttonsCut(page)), ...(await overflow(page))];
    const axeEs = await axe(page);
    check("the Spanish first screens fit an iPhone and pass axe", [...welcome, ...create, ...axeEs].length === 0, [...welcome, ...create, ...axeEs].join("; "));
    await context.close();
  }

  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "en-US" });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(URL_);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.reload(); // now controlled by the service worker
  await page.getByRole("button", { name: "New group" }).click();
  await page.getByLabel("Group name").fill("Lisbon");
  await page.getByLabel("Your name").fill("Ann");
  await page.getByLabel("Currency").selectOption("EUR");
  await page.getByRole("button", { name: "Create group" }).click();
  await page.getByRole("button", { name: "Continue", exact: true }).click();
  await page.getByTestId("add-expense").click();
  await page.getByLabel("What was it?").fill("Dinner");
  await page.getByLabel("Amount", { exact: true }).fill("32.40");
  await page.getByTestId("save-expense").click();
  await page.getByTestId("expense-row").waitFor();
  check("in English the amount reads €32.40", space(await page.getByTestId("expense-row").textContent()).includes("€32.40"));

  // Français, online
  await page.getByRole("button", { name: "Settings", exact: true }).click();
  const select = page.getByTestId("language-select");
  const names = await select.locator("option").allTextContents();
  check("Settings offers each language in its own name", names.join(",") === "English,Français,Deutsch,Español", names.join(", "));
  await select.selectOption("fr");
  await page.getByRole("button", { name: "Réglages", exact: true }).waitFor();
  check("Français applies at once, without a reload", (await lang(page)) === "fr" && (await page.getByLabel("Langue").count()) === 1, `<html lang="${await lang(page)}">`);
  await page.getByRole("button", { name: "Dépenses", exact: true }).click();
  const row = space(await page.getByTestId("expense-row").textContent());
  check("the expense list is in French, the amount 32,40 €", row.includes("32,40 €") && (await page.getByRole("heading", { name: "Aujourd’hui" }).count()) === 1, row);
  const fr = await axe(page);
  check("the French expense list passes axe", fr.length === 0, fr.join("; "));
  const wide = await overflow(page);
  check("nothing in French is wider than the screen", wide.length === 0, wide.join("; "));
  await page.screenshot({ path: new URL("languages-fr-light.png", SHOTS).pathname });
  const cutFr = await tabsCut(page);
  const editorFr = await editorCut(page);
  const screensFr = await tabsFit(page);
  await page.getByRole("button", { name: "Soldes", exact: true }).click();
  await page.getByRole("heading", { name: "Régler" }).waitFor();
  const frBalances = await axe(page);
  check("the French balances pass axe", frBalances.length === 0, frBalances.join("; "));

  // Deutsch, offline: the chunk comes from the precache
  await context.setOffline(true);
  await page.getByRole("button", { name: "Réglages", exact: true }).click();
  await page.getByTestId("language-select").selectOption("de");
  await page.getByRole("button", { name: "Einstellungen", exact: true }).waitFor({ timeout: 10000 });
  check("offline, Deutsch loads from the cache and applies", (await lang(page)) === "de");
  const cutDe = await tabsCut(page);
  await page.getByRole("button", { name: "Ausgaben", exact: true }).click();
  const editorDe = await editorCut(page);
  const screensDe = await tabsFit(page);
  await page.getByRole("button", { name: "Einstellungen", exact: true }).click();
  await page.getByTestId("language-select").selectOption("es");
  await page.getByRole("button", { name: "Ajustes", exact: true }).waitFor({ timeout: 10000 });
  const cutEs = await tabsCut(page);
  await page.getByRole("button", { name: "Gastos", exact: true }).click();
  const editorEs = await editorCut(page);
  const screensEs = await tabsFit(page);
  check("on every tab, buttons and texts fit an iPhone in French, German and Spanish", [...screensFr, ...screensDe, ...screensEs].length === 0, `fr: ${screensFr.join(", ")}; de: ${screensDe.join(", ")}; es: ${screensEs.join(", ")}`);
  check("the expense editor's buttons fit in French, German and Spanish", [...editorFr, ...editorDe, ...editorEs].length === 0, `fr: ${editorFr.join(", ")}; de: ${editorDe.join(", ")}; es: ${editorEs.join(", ")}`);
  check("every tab's label fits its tab in French, German and Spanish", [...cutFr, ...cutDe, ...cutEs].length === 0, `fr: ${cutFr.join(", ")}; de: ${cutDe.join(", ")}; es: ${cutEs.join(", ")}`);
  await page.getByTestId("language-select").selectOption("de");
  await page.getByRole("button", { name: "Einstellungen", exact: true }).waitFor({ timeout: 10000 });
  await page.reload();
  await page.getByRole("button", { name: "Ausgaben", exact: true }).waitFor({ timeout: 20000 });
  const de = space(await page.getByTestId("expense-row").textContent());
  check("the choice survives an offline reload: still German, 32,40 €", (await lang(page)) === "de" && de.includes("32,40 €"), de);

  // back to English
  await page.getByRole("button", { name: "Einstellungen", exact: true }).click();
  await page.getByTestId("language-select").selectOption("en");
  await page.getByRole("button", { name: "Settings", exact: true }).waitFor();
  await page.getByRole("button", { name: "Expenses", exact: true }).click();
  check("English comes back", (await lang(page)) === "en" && space(await page.getByTestId("expense-row").textContent()).includes("€32.40"));
  check("no page errors", errors.length === 0, errors.join("; "));
  await context.close();
});
