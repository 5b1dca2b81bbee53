// The app in WebKit, the engine of iPhone Safari, over plain W3C WebDriver
// (WebKitWebDriver driving MiniBrowser under Xvfb): it loads, its wasm core (built with
// SIMD) runs, its service worker registers, and the first run works against three real
// relays as a new user meets it: the welcome → New group (relays under Advanced) → the
// invite → the empty list's "Add the first expense" → reload → the data is still there →
// a second WebKit client joins by the link and sees it; a member added by name only and an
// expense with several payers show on both; a weekly recurring expense set up on one shows
// its weeks on both; a receipt photographed on one is prepared there and shows, thumbnail and
// full image, on the other; no screen shows the design's
// words (./jargon.mjs). Run by `npm run e2e` after a build.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { JARGON_SCRIPT } from "./jargon.mjs";
import { ROOT, sleep, startJourney } from "./stack.mjs";

const APP_PORT = 8842;
const DRIVER_PORT = 8843;
const DRIVER2_PORT = 8849;
const RELAY_BASE = 8851;
const RELAYS = [0, 1, 2].map((i) => `http://127.0.0.1:${RELAY_BASE + i}`);
const RELAY_DIR = `${ROOT}target/e2e/web-webkit`;
const APP = `http://127.0.0.1:${APP_PORT}/`;
const DRIVER = `http://127.0.0.1:${DRIVER_PORT}`;
const MINIBROWSER = ["/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser", "/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser"].find(existsSync);

const started = [];
const start = (cmd, args, cwd, env) => {
  const p = spawn(cmd, args, { cwd, stdio: "ignore", detached: true, env: env ? { ...process.env, ...env } : process.env });
  started.push(p);
  return p;
};
const stopDrivers = () => {
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
    await sleep(250);
  }
  throw new Error(`nothing answers at ${url}`);
};
const wd = async (method, path, body, driver = DRIVER) => {
  const r = await fetch(driver + path, { method, headers: { "content-type": "application/json" }, body: body && JSON.stringify(body) });
  const json = await r.json();
  if (!r.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json.value)}`);
  return json.value;
};

const DRIVER2 = `http://127.0.0.1:${DRIVER2_PORT}`;
const capabilities = () => ({
  capabilities: { alwaysMatch: { browserName: "MiniBrowser", "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] } } },
});

// A small WebDriver client for one session: find by label or CSS, type, click, wait.
function client(id, driver) {
  const exec = (script, args = []) => wd("POST", `/session/${id}/execute/sync`, { script, args }, driver);
  const waitFor = async (script, ms = 20000) => {
    for (let t = 0; t < ms; t += 200) {
      const v = await exec(script).catch(() => null);
      if (v !== null && v !== undefined && v !== false) return v;
      await sleep(200);
    }
    return null;
  };
  const element = async (using, value) => {
    for (let t = 0; t < 20000; t += 200) {
      try {
        const el = await wd("POST", `/session/${id}/element`, { using, value }, driver);
        return Object.values(el)[0];
      } catch {
        await sleep(200);
      }
    }
    throw new Error(`no element ${value}`);
  };
  const byLabel = (label) => element("xpath", `//label[contains(normalize-space(.), "${label}")]//*[self::input or self::textarea or self::select]`);
  return {
    waitFor,
    exec,
    /** internal words on the visible screen (./jargon.mjs) */
    jargon: () => exec(JARGON_SCRIPT),
    waitForText: (text) => waitFor(`return document.body.innerText.includes(${JSON.stringify(text)}) || null;`),
    async fill(label, value) {
      const el = await byLabel(label);
      if (value.includes("\n")) {
        // Typing a newline is Enter, which would submit: set the value as a paste would.
        const ref = { "element-6066-11e4-a52e-4f735466cecf": el };
        await exec(
          "const [e, v] = arguments; const proto = Object.getPrototypeOf(e); Object.getOwnPropertyDescriptor(proto, 'value').set.call(e, v); e.dispatchEvent(new Event('input', { bubbles: true })); return true;",
          [ref, value],
        );
        return;
      }
      await wd("POST", `/session/${id}/element/${el}/clear`, {}, driver);
      await wd("POST", `/session/${id}/element/${el}/value`, { text: value }, driver);
    },
    /** Sets a control's value as a user's pick would (a select, a date), firing `event`. */
    async setValue(css, value, event) {
      const el = await element("css selector", css);
      const ref = { "element-6066-11e4-a52e-4f735466cecf": el };
      await exec(
        "const [e, v, ev] = arguments; const proto = Object.getPrototypeOf(e); Object.getOwnPropertyDescriptor(proto, 'value').set.call(e, v); e.dispatchEvent(new Event(ev, { bubbles: true })); return true;",
        [ref, value, event],
      );
    },
    async click(css) {
      const el = await element("css selector", css);
      try {
        await wd("POST", `/session/${id}/element/${el}/click`, {}, driver);
      } catch {
        // Covered for a moment (a toast, a closing sheet): click it as a script would.
        await exec("arguments[0].click(); return true;", [{ "element-6066-11e4-a52e-4f735466cecf": el }]);
      }
    },
    async clickText(tag, text) {
      const el = await element("xpath", `//${tag}[contains(normalize-space(.), "${text}")]`);
      try {
        await wd("POST", `/session/${id}/element/${el}/click`, {}, driver);
      } catch {
        // Covered for a moment (a toast, a closing sheet): click it as a script would.
        await exec("arguments[0].click(); return true;", [{ "element-6066-11e4-a52e-4f735466cecf": el }]);
      }
    },
    async syncNow() {
      await this.click("[data-testid=sync-indicator]");
      await this.click("[data-testid=sync-now]");
      await sleep(300);
      await waitFor("const b = document.querySelector('[data-testid=sync-now]'); return b && !b.disabled ? true : null;", 30000);
      await exec("document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })); return true;");
      await sleep(200);
    },
  };
}

// The relays and the app as every journey has them (stack.mjs); WebKit is driven here.
const { check, run } = await startJourney("webkit", { web: APP_PORT, chromium: false, relays: { dir: RELAY_DIR, base: RELAY_BASE } });
let session;
let session2;
await run("WebKit session", async () => {
  try {
    await steps();
  } finally {
    if (session) await wd("DELETE", `/session/${session}`).catch(() => {});
    if (session2) await wd("DELETE", `/session/${session2}`, undefined, DRIVER2).catch(() => {});
    stopDrivers();
  }
});

async function steps() {
  if (!MINIBROWSER) throw new Error("MiniBrowser not found: install webkit2gtk-driver (scripts/setup.sh does)");
  start("xvfb-run", ["-a", "WebKitWebDriver", `--port=${DRIVER_PORT}`]);
  await waitFor(APP);
  await waitFor(`${DRIVER}/status`);
  ({ sessionId: session } = await wd("POST", "/session", capabilities()));
  await wd("POST", `/session/${session}/url`, { url: APP });
  const alice = client(session, DRIVER);
  const read = () => wd("POST", `/session/${session}/execute/sync`, {
    script: "return { h1: document.querySelector('h1')?.textContent, welcome: document.querySelector('[data-testid=welcome]')?.innerText, ua: navigator.userAgent };",
    args: [],
  });
  let seen = await read();
  for (let i = 0; i < 60 && !seen.welcome; i++) {
    await sleep(250);
    seen = await read();
  }
  check("WebKit renders the app", seen.h1 === "GFMS", `h1 = ${seen.h1}`);
  check("WebKit: the first screen says what the app is, then offers New group / Join", /No account\. Nothing readable on any server\. Works offline\./.test(seen.welcome ?? "") && /New group/.test(seen.welcome ?? ""), seen.welcome);
  const jargon = [];
  jargon.push(...(await alice.jargon()));
  // the sharing core is named on the About screen, not on the first one
  await alice.clickText("button", "About this app");
  const kernel = await alice.waitFor("const k = document.querySelector('#kernel')?.textContent; return k && k !== 'loading…' ? k : null;");
  check("WebKit runs the wasm core with SIMD (About screen)", kernel === "simd128", `kernel = ${kernel}`);
  await alice.click("[data-testid=about] button[aria-label=Close]");
  check("it is WebKit", /AppleWebKit/.test(seen.ua) && !/Chrome/.test(seen.ua), seen.ua);
  const sw = await wd("POST", `/session/${session}/execute/async`, {
    script: "const done = arguments[arguments.length - 1]; navigator.serviceWorker.ready.then(r => done(Boolean(r.active)), e => done(String(e)));",
    args: [],
  });
  check("WebKit registers the service worker", sw === true, String(sw));
  const evalResult = await wd("POST", `/session/${session}/execute/sync`, {
    script: "try { (0, eval)('1'); return 'eval ran'; } catch (e) { return e.name; }",
    args: [],
  });
  check("WebKit enforces the app's Content-Security-Policy (eval is refused)", evalResult === "EvalError", String(evalResult));

  // The first run, against three real relays.
  await alice.clickText("button", "New group");
  await alice.fill("Group name", "WebKit flat");
  await alice.fill("Your name", "Alice");
  jargon.push(...(await alice.jargon()));
  await alice.clickText("summary", "Advanced");
  await alice.fill("Relays (one per line)", RELAYS.join("\n"));
  await alice.clickText("button", "Create group");
  const link = await alice.waitFor("return document.querySelector('[data-testid=invite-link]')?.value || null;");
  if (!link) console.log(await alice.waitFor("return document.body.innerText;"));
  check("WebKit: a group is created with an invite link", /#join=gfms1\./.test(link ?? ""), String(link).slice(0, 50));
  jargon.push(...(await alice.jargon()));
  await alice.clickText("button", "Continue");
  await alice.clickText("button", "Add the first expense");
  await alice.fill("What was it?", "Corner shop");
  await alice.fill("Amount", "42.50");
  jargon.push(...(await alice.jargon()));
  await alice.click("[data-testid=save-expense]");
  check("WebKit: the expense is listed", Boolean(await alice.waitForText("Corner shop")));
  jargon.push(...(await alice.jargon()));
  await alice.syncNow();
  await wd("POST", `/session/${session}/url`, { url: APP });
  check("WebKit: after a reload the expense is still there", Boolean(await alice.waitForText("Corner shop")));

  start("xvfb-run", ["-a", "WebKitWebDriver", `--port=${DRIVER2_PORT}`], undefined, { HOME: `${RELAY_DIR}/bob-home` });
  await waitFor(`${DRIVER2}/status`);
  ({ sessionId: session2 } = await wd("POST", "/session", capabilities(), DRIVER2));
  const bob = client(session2, DRIVER2);
  await wd("POST", `/session/${session2}/url`, { url: link }, DRIVER2);
  await bob.fill("Your name", "Bob");
  jargon.push(...(await bob.jargon()));
  await bob.clickText("button", "Join WebKit flat");
  await bob.waitFor("return document.querySelector('[data-testid=sync-indicator]') ? true : null;");
  await bob.syncNow(); // announces Bob
  await alice.syncNow(); // Alice answers with the ledger
  await bob.syncNow();
  check("WebKit: the second client, joined by the link, sees the expense", Boolean(await bob.waitForText("Corner shop")));
  jargon.push(...(await bob.jargon()));

  // Bob adds one, then settles up in one tap; Alice sees everyone settled.
  await bob.click("[data-testid=add-expense]");
  await bob.fill("What was it?", "Tram tickets");
  await bob.fill("Amount", "7.50");
  await bob.click("[data-testid=save-expense]");
  await bob.waitForText("Tram tickets");
  await bob.click("button[aria-label=Balances]");
  await bob.clickText("button", "Record payment");
  check("WebKit: one tap on the plan records the payment", Boolean(await bob.waitForText("Everyone is settled up")));
  jargon.push(...(await bob.jargon()));
  await bob.syncNow();
  await alice.syncNow();
  await alice.click("button[aria-label=Balances]");
  check("WebKit: a payment recorded on one phone settles the group on the other", Boolean(await alice.waitForText("Everyone is settled up")));
  jargon.push(...(await alice.jargon()));

  // Someone who will not install, added by name on Alice's phone: Bob's lists them too.
  await alice.click("button[aria-label=Members]");
  await alice.fill("Their name", "Dan");
  await alice.clickText("button", "Add by name");
  const nameOnly = "return [...document.querySelectorAll('[data-testid=member-row]')].some((r) => /Dan/.test(r.innerText) && /name only/.test(r.innerText)) || null;";
  check("WebKit: a member added by name only is listed as such", Boolean(await alice.waitFor(nameOnly)));
  // Several payers: Alice paid €30 of the groceries and Bob €15; Bob's phone shows both.
  await alice.click("button[aria-label=Expenses]");
  await alice.click("[data-testid=add-expense]");
  await alice.fill("What was it?", "Groceries");
  await alice.fill("Amount", "45.00");
  await alice.clickText("button", "Several people");
  await alice.fill("Paid by Alice", "30");
  await alice.fill("Paid by Bob", "15");
  check("WebKit: the payers' remainder reaches zero as Alice types", Boolean(await alice.waitForText("Left to assign: €0.00")));
  await alice.click("[data-testid=save-expense]");
  await alice.waitForText("Groceries");
  await alice.syncNow();
  await bob.syncNow();
  await bob.click("button[aria-label=Members]");
  check("WebKit: the other phone lists the name-only member", Boolean(await bob.waitFor(nameOnly)));
  await bob.click("button[aria-label=Expenses]");
  const bothPaid = "return [...document.querySelectorAll('[data-testid=expense-row]')].some((r) => /Groceries/.test(r.innerText) && /Alice, Bob \\(you\\) paid/.test(r.innerText)) || null;";
  // What this checks is WebKit drawing several payers; how many rounds a record takes is
  // the engine's tests' business. Once (CI, 2026-12-01) Bob's list lacked the groceries
  // after one round each: then the list and sync state are printed, and each phone syncs
  // once more before the check decides.
  const listed = "return [...document.querySelectorAll('[data-testid=expense-row]')].map((r) => r.innerText.replace(/\\s+/g, ' ')).join(' | ') + ' || sync: ' + (document.querySelector('[data-testid=sync-indicator]')?.innerText ?? '');";
  let bothShown = Boolean(await bob.waitFor(bothPaid));
  if (!bothShown) {
    console.log(`note WebKit: after one round each, Bob's list: ${await bob.exec(listed)}`);
    await alice.syncNow();
    await bob.syncNow();
    bothShown = Boolean(await bob.waitFor(bothPaid));
  }
  check("WebKit: the other phone shows the groceries with both payers", bothShown, bothShown ? "" : await bob.exec(listed));
  jargon.push(...(await bob.jargon()));

  // A weekly cleaning from two weeks ago, set up on Alice's phone: three weeks are due;
  // Bob's phone derives the same three from the rule, marked as a series.
  const twoWeeksAgo = await alice.exec("const d = new Date(); d.setDate(d.getDate() - 14); return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;");
  await alice.click("button[aria-label=Expenses]");
  await alice.click("[data-testid=add-expense]");
  await alice.fill("What was it?", "Cleaning");
  await alice.fill("Amount", "30");
  await alice.setValue("[data-testid=repeat-unit]", "week", "change");
  await alice.setValue("[data-testid=expense-editor] input[type=date]", twoWeeksAgo, "input");
  await alice.click("[data-testid=save-expense]");
  const series = "return document.querySelectorAll('[data-testid=expense-row][data-series]').length === 3 || null;";
  check("WebKit: a weekly expense from two weeks ago lists its 3 weeks, marked as a series", Boolean(await alice.waitFor(series)));
  jargon.push(...(await alice.jargon()));
  await alice.syncNow();
  await bob.syncNow();
  await bob.click("button[aria-label=Expenses]");
  check("WebKit: the other phone derives the same 3 weeks", Boolean(await bob.waitFor(series)) && Boolean(await bob.waitForText("weekly")));

  // A receipt: Alice's WebKit photographs the corner shop's receipt (a JPEG made in the
  // page, handed to "Add receipt" as the photo picker would); WebKit prepares it on the
  // phone; Bob's WebKit shows its thumbnail and the full image.
  await alice.click("button[aria-label=Expenses]");
  await alice.clickText("button", "Corner shop");
  await alice.waitFor("return document.querySelector('[data-testid=receipt-input]') ? true : null;");
  const handed = await wd("POST", `/session/${session}/execute/async`, {
    script: `const done = arguments[arguments.length - 1];
      const c = document.createElement("canvas"); c.width = 1200; c.height = 1600;
      const g = c.getContext("2d"); g.fillStyle = "#fffdf5"; g.fillRect(0, 0, 1200, 1600);
      g.fillStyle = "#222"; g.font = "bold 80px sans-serif"; g.fillText("CORNER SHOP", 200, 200); g.fillText("TOTAL 42.50", 200, 1400);
      c.toBlob((b) => {
        try {
          const dt = new DataTransfer();
          dt.items.add(new File([b], "corner shop.jpg", { type: "image/jpeg" }));
          const input = document.querySelector("[data-testid=receipt-input]");
          input.files = dt.files;
          input.dispatchEvent(new Event("change", { bubbles: true }));
          done(true);
        } catch (e) { done(String(e)); }
      }, "image/jpeg", 0.9);`,
    args: [],
  });
  const attached = await alice.waitFor("return document.querySelector('[data-testid=receipt-tile][data-state=here] img') ? true : (document.querySelector('[data-testid=receipt-error]')?.innerText || null);", 30000);
  check("WebKit: a photo is prepared and attached on the phone", handed === true && attached === true, `${handed} / ${attached}`);
  await alice.click("[data-testid=expense-editor] .sheet-head button");
  await alice.syncNow();
  for (let i = 0; i < 3; i++) {
    await bob.syncNow();
    await alice.syncNow();
  }
  await bob.click("button[aria-label=Expenses]");
  await bob.clickText("button", "Corner shop");
  const thumbShown = "const i = document.querySelector('[data-testid=receipt-thumb]'); return i && i.complete && i.naturalWidth > 0 ? true : null;";
  check("WebKit: the other phone shows the receipt's thumbnail", Boolean(await bob.waitFor(thumbShown, 30000)));
  await bob.click("[data-testid=receipt-tile]");
  const fullShown = "const i = document.querySelector('[data-testid=receipt-image]'); return i && i.complete && i.naturalWidth > 0 ? [i.naturalWidth, i.naturalHeight] : null;";
  const full = await bob.waitFor(fullShown, 20000);
  check("WebKit: …and the full image, at most 1600 px", Array.isArray(full) && Math.max(...full) <= 1600, JSON.stringify(full));
  jargon.push(...(await bob.jargon()));
  await bob.click("[data-testid=receipt-viewer] .sheet-head button");
  await bob.click("[data-testid=expense-editor] .sheet-head button");
  check("WebKit: no screen of the first run shows batch, relay, Σ, simd or an error code", jargon.length === 0, jargon.join(" | "));
}
