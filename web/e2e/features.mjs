// The features people switch apps for (issue 15), in Chromium (Playwright) against three real
// local relays, each as a user meets it: on an iPhone in a Safari tab the "Add to Home
// Screen" guide shows once; income (a deposit back) is shared with the opposite sign; an
// itemized bill adds up its items; an edit is undone from the expense's history in one tap;
// someone added by name only joins from the link and claims the name ("I am Dan"), and the
// other phone sees the name claimed by Dan, who joined. After it, IndexedDB holds no
// private key or group secret in the clear on either phone, and a reload opens the sealed
// copy (docs/threat-model.md "Where keys live"). The longer journey (journey.mjs) covers
// several payers, placeholders, payments, payment links, recurring expenses and activity.
import { ROOT, createGroup, joinGroup, startJourney, syncNow } from "./stack.mjs";

const WEB = Number(process.env.E2E_FEATURES_WEB_PORT ?? 8975);
const APP = `http://127.0.0.1:${WEB}/`;
const BASE = Number(process.env.E2E_FEATURES_RELAY_BASE ?? 8976);
const RELAYS = [0, 1, 2].map((i) => `http://127.0.0.1:${BASE + i}`);
const RELAY_DIR = `${ROOT}target/e2e/web-features`;
const IPHONE_SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

const { browser, check, run } = await startJourney("features", { web: WEB, relays: { dir: RELAY_DIR, base: BASE } });
const errors = [];
async function phone(name, userAgent) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, ...(userAgent ? { userAgent } : {}) });
  const page = await context.newPage();
  page.on("pageerror", (e) => errors.push(`[${name}] ${e.message}`));
  return page;
}
/** What IndexedDB holds on `page`'s origin: the "groups" records (bytes shown as their
 * length), how many are sealed and have no clear copy, and the "meta" store's keys. */
function atRest(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open("gfms");
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const tx = db.transaction(["groups", "meta"], "readonly");
          const groups = tx.objectStore("groups").getAll();
          const meta = tx.objectStore("meta").getAll();
          tx.oncomplete = () => {
            const rows = groups.result;
            const text = JSON.stringify(rows, (_, v) => (v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? `bytes:${v.byteLength}` : v));
            const keys = meta.result.filter((v) => v instanceof CryptoKey).map((k) => `${k.algorithm.name}/${k.algorithm.length}/${k.extractable ? "extractable" : "not extractable"}`);
            db.close();
            resolve({ text, rows: rows.length, sealed: rows.filter((r) => r.sealed && r.saved === undefined).length, keys });
          };
        };
      }),
  );
}
const tab = (page, label) => page.getByRole("button", { name: label, exact: true }).click();
const row = (page, title) => page.getByTestId("expense-row").filter({ hasText: title }).first();

await run("the features journey ran to the end", async () => {
  // An iPhone in a Safari tab.
  const alice = await phone("alice", IPHONE_SAFARI);
  const link = await createGroup(alice, { app: APP, group: "Lisbon", me: "Alice", currency: "EUR", relays: RELAYS });

  // In the group, the guide says why and how to add the app to the Home Screen, once.
  const guide = alice.getByTestId("install-guide");
  await guide.waitFor({ timeout: 15000 });
  check("an iPhone Safari tab shows the Add to Home Screen guide", /Install GFMS on this iPhone/.test(await guide.textContent()));
  await guide.getByRole("button", { name: "Show me how" }).click();
  check("its steps name Add to Home Screen", /Add to Home Screen/.test(await alice.getByTestId("install-steps").textContent()));
  await guide.getByRole("button", { name: "Done" }).click();
  await alice.reload();
  await alice.getByTestId("empty-start").waitFor({ timeout: 15000 });
  check("once dismissed it stays away after a reload", (await alice.getByTestId("install-guide").count()) === 0);

  // Dan will not install today: Alice adds him by name.
  await tab(alice, "Members");
  await alice.getByLabel("Their name").fill("Dan");
  await alice.getByRole("button", { name: "Add by name" }).click();
  await alice.getByTestId("member-row").filter({ hasText: "name only" }).waitFor({ timeout: 10000 });

  // Income: the flat's deposit back, shared like an expense with the opposite sign.
  await tab(alice, "Expenses");
  await alice.getByTestId("add-expense").click();
  await alice.getByLabel("What was it?").fill("Deposit back");
  await alice.getByTestId("kind-income").click();
  await alice.getByLabel("Amount", { exact: true }).fill("60");
  await alice.getByTestId("save-expense").click();
  const income = await row(alice, "Deposit back").textContent({ timeout: 10000 });
  check("income is listed as income, received by Alice", /Income/.test(income) && /received/.test(income), income);

  // An itemized bill: the total is the items' sum.
  await alice.getByTestId("add-expense").click();
  await alice.getByLabel("What was it?").fill("Pizzeria");
  await alice.getByTestId("itemized").check();
  await alice.getByLabel("Item 1", { exact: true }).fill("Pizza");
  await alice.getByLabel("Price of item 1").fill("20");
  await alice.getByRole("button", { name: "Add an item" }).click();
  await alice.getByLabel("Item 2", { exact: true }).fill("Wine");
  await alice.getByLabel("Price of item 2").fill("10.50");
  check("the bill's total is its items' sum", /Total €30\.50/.test(await alice.getByTestId("items-total").textContent()));
  await alice.getByTestId("save-expense").click();
  check("the itemized bill is listed with its total", /€30\.50/.test(await row(alice, "Pizzeria").textContent({ timeout: 10000 })));

  // An edit undone from the history in one tap.
  await alice.getByTestId("add-expense").click();
  await alice.getByLabel("What was it?").fill("Taxi");
  await alice.getByLabel("Amount", { exact: true }).fill("30");
  await alice.getByTestId("save-expense").click();
  await row(alice, "Taxi").click();
  await alice.getByLabel("Amount", { exact: true }).fill("35");
  await alice.getByTestId("save-expense").click();
  await alice.waitForFunction(() => [...document.querySelectorAll('[data-testid="expense-row"]')].some((r) => /Taxi/.test(r.textContent) && /35\.00/.test(r.textContent)), null, { timeout: 10000 });
  await row(alice, "Taxi").click();
  await alice.getByTestId("history-toggle").locator("summary").click();
  const history = alice.getByTestId("expense-history");
  await history.waitFor({ timeout: 15000 });
  const said = (await history.getByTestId("history-entry").allTextContents()).join(" | ");
  check("the history says who changed the amount, from what to what", /changed the amount.*€30\.00 → €35\.00/.test(said), said);
  await history.getByRole("button", { name: "Bring back this version" }).first().click();
  await alice.waitForFunction(() => [...document.querySelectorAll('[data-testid="expense-row"]')].some((r) => /Taxi/.test(r.textContent) && /30\.00/.test(r.textContent)), null, { timeout: 10000 });
  check("one tap brings the old amount back", /€30\.00/.test(await row(alice, "Taxi").textContent()));
  await syncNow(alice);

  // Dan installs after all: he joins from the link and says which name is his.
  const dan = await phone("dan");
  await joinGroup(dan, link, "Dan", "Join Lisbon");
  await syncNow(dan); // announces Dan
  await syncNow(alice); // Alice answers with the ledger
  await syncNow(dan);
  const offer = dan.getByTestId("claim-offer");
  await offer.waitFor({ timeout: 15000 });
  await offer.getByRole("button", { name: "I am Dan" }).click();
  await offer.waitFor({ state: "detached", timeout: 10000 });
  await tab(dan, "Expenses");
  check("Dan's phone holds everything Alice recorded", (await row(dan, "Pizzeria").count()) === 1 && (await row(dan, "Deposit back").count()) === 1);
  await syncNow(dan);
  await syncNow(alice);
  await tab(alice, "Members");
  const claimed = await alice
    .waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="member-row"]')].filter((r) => /Dan/.test(r.textContent));
      const placeholder = rows.find((r) => r.getAttribute("data-status") === "claimed");
      const member = rows.find((r) => !/name only/.test(r.textContent));
      return placeholder && member && /now Dan, who joined/.test(placeholder.textContent) ? placeholder.textContent : null;
    }, null, { timeout: 15000 })
    .then((h) => h.jsonValue())
    .catch(() => "");
  check("on Alice's phone the name Dan is claimed by Dan, who joined", Boolean(claimed), claimed);
  // Private keys at rest: every saved client sealed, no secret in the clear.
  for (const [name, page] of [
    ["Alice", alice],
    ["Dan", dan],
  ]) {
    const held = await atRest(page);
    check(`${name}'s IndexedDB: every group sealed under one non-extractable AES-GCM key`, held.rows > 0 && held.sealed === held.rows && held.keys.join() === "AES-GCM/256/not extractable", JSON.stringify({ ...held, text: undefined }));
    const clear = held.text.match(/ed25519_seed|x25519_secret|member_keys|"secret"|"saved"|gfms-device/g) ?? [];
    check(`${name}'s IndexedDB holds no private key or group secret in the clear`, clear.length === 0, clear.join());
  }
  await dan.reload();
  await tab(dan, "Expenses");
  const reopened = await row(dan, "Pizzeria")
    .waitFor({ timeout: 15000 })
    .then(() => true)
    .catch(() => false);
  check("after a reload Dan's phone opens its sealed copy", reopened);
  check("no page error", errors.length === 0, errors.slice(0, 3).join(" | "));
});
