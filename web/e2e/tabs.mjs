// Two writers on one phone, in Chromium (Playwright) against three real local relays: two
// tabs of one browser context (one IndexedDB, as an installed app beside a Safari tab)
// hold the same group and add expenses at once, interleaved within a second, while one of
// them syncs. After a reload both show every record and the same list, and another phone
// (another context) receives every record.
import { ROOT, createGroup, joinGroup, startJourney, syncNow } from "./stack.mjs";

const WEB = Number(process.env.E2E_TABS_WEB_PORT ?? 8860);
const APP = `http://127.0.0.1:${WEB}/`;
const BASE = Number(process.env.E2E_TABS_RELAY_BASE ?? 8861);
const RELAYS = [0, 1, 2].map((i) => `http://127.0.0.1:${BASE + i}`);
const RELAY_DIR = `${ROOT}target/e2e/web-tabs`;

const { browser, check, run } = await startJourney("tabs", { web: WEB, relays: { dir: RELAY_DIR, base: BASE } });

const errors = [];
function watch(page, name) {
  page.on("pageerror", (e) => errors.push(`[${name}] ${e.message}`));
  return page;
}

const writes = [];
async function addExpense(page, amount, shop) {
  writes.push([shop, Date.now()]);
  await page.getByTestId("add-expense").click();
  await page.getByLabel("What was it?").fill(shop);
  await page.getByLabel("Amount", { exact: true }).fill(amount);
  await page.getByTestId("save-expense").click();
  await page.getByTestId("expense-editor").waitFor({ state: "detached", timeout: 15000 });
}

async function shops(page) {
  await page.getByRole("button", { name: "Expenses", exact: true }).click();
  return page.evaluate(() => [...document.querySelectorAll('[data-testid="expense-row"] .title')].map((e) => e.textContent).sort());
}

const mine = (list) => list.filter((s) => /^(Tab A|Tab B) /.test(s));

await run("two tabs ran to the end", async () => {
  // Ann's phone: she creates the group in one tab, and opens the app in a second tab.
  const annPhone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const tabA = watch(await annPhone.newPage(), "Ann tab A");
  const link = await createGroup(tabA, { app: APP, group: "Lisbon trip", me: "Ann", relays: RELAYS });
  await syncNow(tabA);

  // Bob's phone joins, and both catch up.
  const bobPhone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const bob = watch(await bobPhone.newPage(), "Bob");
  await joinGroup(bob, link, "Bob");
  await syncNow(bob);
  await syncNow(tabA);
  await syncNow(bob);

  const tabB = watch(await annPhone.newPage(), "Ann tab B");
  await tabB.goto(APP);
  await tabB.getByTestId("add-expense").waitFor();

  // Both tabs write at once: four expenses each, interleaved, and tab A syncs midway.
  const started = Date.now();
  await Promise.all([
    (async () => {
      for (let i = 1; i <= 4; i++) {
        await addExpense(tabA, `1${i}.00`, `Tab A ${i}`);
        if (i === 2) await syncNow(tabA);
      }
    })(),
    (async () => {
      for (let i = 1; i <= 4; i++) await addExpense(tabB, `2${i}.00`, `Tab B ${i}`);
    })(),
  ]);
  console.log(`     (eight expenses from two tabs in ${Date.now() - started} ms: ${writes.map(([s, t]) => `${s} +${t - started}`).join(", ")})`);
  await syncNow(tabB);

  await tabA.reload();
  await tabB.reload();
  await tabA.getByTestId("add-expense").waitFor();
  await tabB.getByTestId("add-expense").waitFor();
  const want = [1, 2, 3, 4].flatMap((i) => [`Tab A ${i}`, `Tab B ${i}`]).sort();
  const [listA, listB] = [mine(await shops(tabA)), mine(await shops(tabB))];
  check("after a reload tab A has every expense of both tabs", JSON.stringify(listA) === JSON.stringify(want), JSON.stringify(listA));
  check("and tab B shows the same list", JSON.stringify(listB) === JSON.stringify(listA), JSON.stringify(listB));

  // The other phone receives every record, once.
  let listBob = [];
  for (let i = 0; i < 4 && JSON.stringify(listBob) !== JSON.stringify(want); i++) {
    await syncNow(tabA);
    await syncNow(bob);
    listBob = mine(await shops(bob));
  }
  check("Bob's phone receives every record, exactly once", JSON.stringify(listBob) === JSON.stringify(want), JSON.stringify(listBob));
  await bob.getByRole("button", { name: "Balances", exact: true }).click();
  await tabA.getByRole("button", { name: "Balances", exact: true }).click();
  const balances = (page) => page.evaluate(() => [...document.querySelectorAll('[data-testid^="balance-"]')].map((e) => e.textContent.replace("(you)", "").replace(/\s+/g, "")).sort());
  const [bA, bBob] = [await balances(tabA), await balances(bob)];
  check("both phones show the same balances", bA.length === 2 && JSON.stringify(bA) === JSON.stringify(bBob), JSON.stringify(bA));
  check("no page error", errors.length === 0, errors.slice(0, 3).join(" | "));
});
