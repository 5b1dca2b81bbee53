// Notifications in Chromium, end to end (issue 17): Alice and Bob in two pages of the
// built app, three real local relays with VAPID keys, and a loopback stand-in for a push
// service. Both turn notifications on in Settings (permission granted through Playwright);
// Alice adds an expense; her app encrypts the notification for Bob's subscription (RFC
// 8291) and asks a relay to forward it; the relay signs it (VAPID) and posts it to the
// stand-in, which decrypts it with Bob's private key (as his browser would) and delivers
// the text to his service worker (the DevTools protocol's ServiceWorker.deliverPushMessage,
// Chromium's own way to inject a push). His service worker's push handler shows it:
// `registration.getNotifications()` holds it. Alice, the author, gets none. Opening the
// notification's link shows the expense.
//
// What is stood in, and why: a browser's subscription lives at its vendor's push service
// (FCM for Chromium), out of reach here, so Bob's page gets a subscription whose endpoint
// is the stand-in and whose keys the test holds (PushManager.subscribe is replaced in the
// page); the browser's own decryption is the stand-in's. The ledger takes only https
// endpoints and the stand-in speaks plain http (the local relay would not trust a
// self-signed certificate), so the endpoint is https://127.0.0.1:… in the ledger and
// Alice's request to the relay has its scheme set to http on the way (a Playwright route).
// Everything else is the app's and the relay's.
//
//   node web/e2e/push.mjs        (after scripts/build-web.sh; under the ports lock)
import { createECDH, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { ROOT, createGroup, joinGroup, sleep, startJourney, syncNow } from "./stack.mjs";

const WEB = 8925;
const APP = `http://127.0.0.1:${WEB}/`;
const BASE = 8921;
const RELAYS = [0, 1, 2].map((i) => `http://127.0.0.1:${BASE + i}`);
const STAND_IN_PORT = 8924;
const STAND_IN = `http://127.0.0.1:${STAND_IN_PORT}`;
const RELAY_DIR = `${ROOT}target/e2e/web-push`;
// A test-only VAPID key (the relay tests' one): a P-256 scalar, base64url.
const VAPID = "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc";

/** The notification's text (the group's currency is the build's default). */
const WORDS = /^Alice added Pizza \S?32\.40$/;
const b64url = (b) => Buffer.from(b).toString("base64url");

/** A subscriber's keys, as a browser makes them for its push subscription. */
function subscriber(name) {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  return { name, ecdh, p256dh: ecdh.getPublicKey(), auth: randomBytes(16), endpoint: `${STAND_IN.replace("http:", "https:")}/sub/${name}` };
}

const info = (label) => Buffer.from(`Content-Encoding: ${label}\0`);
/** What the subscriber's browser does with an aes128gcm body (RFC 8291, 8188). */
function decrypt(sub, body) {
  const salt = body.subarray(0, 16);
  const idlen = body[20];
  const senderPublic = body.subarray(21, 21 + idlen);
  const shared = sub.ecdh.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), sub.p256dh, senderPublic]);
  const ikm = Buffer.from(hkdfSync("sha256", shared, sub.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync("sha256", ikm, salt, info("aes128gcm"), 16));
  const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, info("nonce"), 12));
  const record = body.subarray(21 + idlen);
  const d = createDecipheriv("aes-128-gcm", cek, nonce);
  d.setAuthTag(record.subarray(record.length - 16));
  const plain = Buffer.concat([d.update(record.subarray(0, record.length - 16)), d.final()]);
  return plain.subarray(0, plain.length - 1).toString();
}

/** Replaces the page's PushManager with one whose subscription is `keys`' (see the top). */
const FAKE_PUSH = (keys) => {
  const bytes = (s) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (s.length % 4)) % 4)), (c) => c.charCodeAt(0)).buffer;
  let current = null;
  PushManager.prototype.subscribe = async function (options) {
    current = {
      endpoint: keys.endpoint,
      options: { applicationServerKey: options.applicationServerKey, userVisibleOnly: true },
      getKey: (name) => bytes(name === "p256dh" ? keys.p256dh : keys.auth),
      unsubscribe: async () => ((current = null), true),
    };
    return current;
  };
  PushManager.prototype.getSubscription = async function () {
    return current;
  };
};

const { browser, check, run } = await startJourney("push", {
  web: WEB,
  relays: { dir: RELAY_DIR, base: BASE, ttl: 600, quiet: true, vars: [`VAPID_PRIVATE_KEY:${VAPID}`, `PUSH_TEST_ORIGIN:${STAND_IN}`] },
});
await run("the push journey ran to the end", async () => {
  const phones = {};
  /** The stand-in push service: what it received, and where it delivers. */
  const received = [];
  const deliver = new Map(); // endpoint path → (text) => Promise
  const standIn = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: req.url, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(201).end();
      const to = deliver.get(req.url);
      if (to) void to(Buffer.concat(chunks));
    });
  });
  await new Promise((ok) => standIn.listen(STAND_IN_PORT, "127.0.0.1", ok));

  async function phone(name) {
    const keys = subscriber(name.toLowerCase());
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await context.grantPermissions(["notifications"], { origin: APP.slice(0, -1) });
    await context.addInitScript(FAKE_PUSH, { endpoint: keys.endpoint, p256dh: b64url(keys.p256dh), auth: b64url(keys.auth) });
    // the stand-in's scheme on the way to the relay (see the top)
    await context.route(/\/v1\/groups\/[0-9a-f]+\/push$/, (route) => {
      const body = route.request().postData();
      if (route.request().method() !== "POST" || !body) return route.continue();
      return route.continue({ postData: body.replace(`"endpoint":"${STAND_IN.replace("http:", "https:")}/`, `"endpoint":"${STAND_IN}/`) });
    });
    const page = await context.newPage();
    page.on("pageerror", (e) => console.error(`[${name}] page error: ${e.message}`));
    // The service worker's registration, for delivering pushes to it.
    const cdp = await context.newCDPSession(page);
    let registrationId = null;
    cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
      for (const r of registrations) if (r.scopeURL === APP && !r.isDeleted) registrationId = r.registrationId;
    });
    await cdp.send("ServiceWorker.enable");
    const p = { name, keys, context, page, cdp, registrationId: () => registrationId, delivered: [] };
    deliver.set(new URL(keys.endpoint).pathname, async (body) => {
      const text = decrypt(keys, body);
      p.delivered.push(text);
      await cdp.send("ServiceWorker.deliverPushMessage", { origin: APP.slice(0, -1), registrationId: String(registrationId), data: text });
    });
    phones[name] = p;
    return p;
  }

  const sync = ({ page }) => syncNow(page, 60000);

  async function notificationsOn({ page }) {
    await page.getByRole("button", { name: "Settings" }).click();
    // a controlled switch: it turns on once the subscription is in the ledger
    await page.getByTestId("notifications-toggle").click();
    await page.getByText("Notifications on for this group").waitFor({ timeout: 20000 }).catch(async (e) => {
      const said = await page.getByTestId("notifications").textContent().catch(() => "");
      throw new Error(`notifications did not turn on (${said}): ${e.message.split("\n")[0]}`);
    });
    await page.getByRole("button", { name: "Expenses" }).click();
  }

  const alice = await phone("Alice");
  const bob = await phone("Bob");
  const link = await createGroup(alice.page, { app: APP, group: "Rome", me: "Alice", relays: RELAYS });
  await sync(alice);
  await joinGroup(bob.page, link, "Bob");
  for (let i = 0; i < 2; i++) for (const p of [bob, alice]) await sync(p);

  // The service workers control both pages (the built app registers one).
  for (const p of [alice, bob]) {
    await p.page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    for (let i = 0; i < 50 && p.registrationId() === null; i++) await sleep(100);
  }
  check("each page's service worker is registered", alice.registrationId() !== null && bob.registrationId() !== null);

  await notificationsOn(bob);
  await notificationsOn(alice);
  for (const p of [bob, alice, bob, alice]) await sync(p);

  // Alice adds an expense: Bob is notified, Alice (the author) is not.
  await alice.page.getByTestId("add-expense").click();
  await alice.page.getByLabel("What was it?").fill("Pizza");
  await alice.page.getByLabel("Amount", { exact: true }).fill("32.40");
  await alice.page.getByTestId("save-expense").click();
  for (let i = 0; i < 100 && bob.delivered.length === 0; i++) await sleep(100);

  const toBob = received.filter((r) => r.path === "/sub/bob");
  const toAlice = received.filter((r) => r.path === "/sub/alice");
  check("the stand-in push service got one notification for Bob, none for Alice (the author)", toBob.length === 1 && toAlice.length === 0, `bob ${toBob.length}, alice ${toAlice.length}`);
  const req = toBob[0];
  check("it came signed by the relay (VAPID) as aes128gcm ciphertext", Boolean(req && /^vapid t=/.test(req.headers.authorization ?? "") && req.headers["content-encoding"] === "aes128gcm" && !req.body.includes(Buffer.from("Pizza"))));
  let message = null;
  try {
    message = JSON.parse(bob.delivered[0] ?? "null");
  } catch {}
  check("Bob's keys decrypt it to the member's words", WORDS.test(message?.body ?? "") && message?.title === "Rome", JSON.stringify(message));

  // Bob's service worker showed it.
  let shown = [];
  for (let i = 0; i < 50 && shown.length === 0; i++) {
    shown = await bob.page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({ title: n.title, body: n.body, url: n.data?.url })));
    if (shown.length === 0) await sleep(100);
  }
  const note = shown[0];
  check("Bob's service worker's push handler shows the notification", shown.length === 1 && note?.title === "Rome" && WORDS.test(note?.body ?? ""), JSON.stringify(shown));
  check("it links to the group and the expense", Boolean(note?.url && /group=[0-9a-f]+&record=[0-9a-f-]+/.test(note.url)), note?.url);
  const aliceShown = await alice.page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).length);
  check("Alice's phone shows none for her own expense", aliceShown === 0);

  // Opening the link (what a tap does) shows the expense.
  if (note?.url) {
    await bob.page.goto(new URL(note.url, APP).href);
    await bob.page.getByTestId("expense-editor").waitFor({ timeout: 20000 }).catch(() => {});
    const title = await bob.page.getByLabel("What was it?").inputValue().catch(() => "");
    check("opening it shows the expense on Bob's phone", title === "Pizza", title);
  }
  standIn.close();
});
