// Receipts (issue 16), in Chromium (Playwright) against three real local relays: Alice
// attaches a phone photo — a 2400×1800 JPEG carrying an EXIF block with a GPS position —
// and a small PDF to an expense; her phone keeps a ≤ 1600 px copy without the EXIF block;
// Bob's phone shows the thumbnail, the full image and the PDF; everything the relays
// persisted holds no JPEG, PDF or EXIF bytes (only sealed shares); a 10 MB PDF is refused
// with a sentence, not a crash; Carol, who joins later, asks for the receipt and Alice's
// phone sends it again. Screenshots of an expense with its receipt go to
// docs/screenshots/receipt-{light,dark}.png. Run by `npm run e2e` after a build (web/dist).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { JARGON_SCRIPT } from "./jargon.mjs";
import { ROOT, createGroup, joinGroup, sleep, startJourney, syncNow } from "./stack.mjs";

const WEB = Number(process.env.E2E_RECEIPTS_WEB_PORT ?? 8965);
const APP = `http://127.0.0.1:${WEB}/`;
const BASE = Number(process.env.E2E_RECEIPTS_RELAY_BASE ?? 8966);
const RELAYS = [0, 1, 2].map((i) => `http://127.0.0.1:${BASE + i}`);
const RELAY_DIR = `${ROOT}target/e2e/web-receipts`;
const SHOTS = new URL("../../docs/screenshots/", import.meta.url);
/** What Alice's camera wrote into the photo: must never leave her phone. */
const GPS = "GPSLatitude 38.7223N GPSLongitude 9.1393W";

/** Every file the relays persisted (their SQLite and blob stores), not their logs. */
function persisted(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...persisted(path));
    else if (!name.endsWith(".log") && !name.endsWith(".pid")) out.push(path);
  }
  return out;
}

/** A camera's photo, made in the page: a canvas drawn and encoded as JPEG, with an APP1
 * "Exif" segment holding a GPS position spliced in after its start marker. */
const CAMERA_PHOTO = `(async (gps) => {
  const c = new OffscreenCanvas(2400, 1800);
  const g = c.getContext("2d");
  const grad = g.createLinearGradient(0, 0, 2400, 1800);
  grad.addColorStop(0, "#f6f1e7");
  grad.addColorStop(1, "#d9cfbd");
  g.fillStyle = grad;
  g.fillRect(0, 0, 2400, 1800);
  g.fillStyle = "#fff";
  g.fillRect(700, 150, 1000, 1500);
  g.fillStyle = "#222";
  g.font = "bold 90px sans-serif";
  g.fillText("CAFÉ DO RIO", 850, 320);
  g.font = "60px monospace";
  const lines = ["Bacalhau      18.50", "Vinho verde   12.00", "Pastéis        6.00", "Café           3.50", "", "TOTAL         40.00"];
  lines.forEach((l, i) => g.fillText(l, 780, 520 + i * 110));
  const jpeg = new Uint8Array(await (await c.convertToBlob({ type: "image/jpeg", quality: 0.95 })).arrayBuffer());
  const body = [...new TextEncoder().encode("Exif"), 0, 0, ...new TextEncoder().encode("MM"), 0, 42, ...new TextEncoder().encode(gps)];
  const app1 = [0xff, 0xe1, ((body.length + 2) >> 8) & 255, (body.length + 2) & 255, ...body];
  const out = new Uint8Array(jpeg.length + app1.length);
  out.set(jpeg.subarray(0, 2));
  out.set(app1, 2);
  out.set(jpeg.subarray(2), 2 + app1.length);
  let s = "";
  for (const b of out) s += String.fromCharCode(b);
  return btoa(s);
})`;

/** The blobs Alice's phone keeps (IndexedDB "gfms", store "blobs"), as [hash, base64]. */
const STORED_BLOBS = `(async () => {
  const db = await new Promise((ok, bad) => {
    const r = indexedDB.open("gfms");
    r.onsuccess = () => ok(r.result);
    r.onerror = () => bad(r.error);
  });
  const all = await new Promise((ok, bad) => {
    const r = db.transaction("blobs").objectStore("blobs").getAll();
    r.onsuccess = () => ok(r.result);
    r.onerror = () => bad(r.error);
  });
  db.close();
  return all.map((b) => {
    let s = "";
    for (const x of b.bytes ?? []) s += String.fromCharCode(x);
    return [b.hash, btoa(s)];
  });
})()`;

const contains = (buf, needle) => buf.indexOf(typeof needle === "string" ? Buffer.from(needle, "latin1") : needle) !== -1;

const { browser, check, run } = await startJourney("receipts", { web: WEB, relays: { dir: RELAY_DIR, base: BASE } });
const errors = [];
async function phone(name) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  page.on("pageerror", (e) => errors.push(`[${name}] ${e.message}`));
  return page;
}
const closeSheet = (page, testid) => page.getByTestId(testid).locator(".sheet-head button").click();
const row = (page, title) => page.getByTestId("expense-row").filter({ hasText: title }).first();
/** Whether the page's image `sel` decoded (a broken image has no natural size). */
const decoded = (page, sel) =>
  page
    .waitForFunction((s) => [...document.querySelectorAll(s)].some((i) => i.complete && i.naturalWidth > 0), sel, { timeout: 20000 })
    .then(() => true)
    .catch(() => false);

await run("the receipts journey ran to the end", async () => {
  const alice = await phone("alice");
  const link = await createGroup(alice, { app: APP, group: "Lisbon", me: "Alice", currency: "EUR", relays: RELAYS });

  // Bob joins before the receipt, as a friend at the table would.
  const bob = await phone("bob");
  await joinGroup(bob, link, "Bob", "Join Lisbon");
  await syncNow(bob);
  await syncNow(alice);
  await syncNow(bob);

  // Alice adds the dinner, then its receipt: the photo her camera took.
  await alice.getByTestId("add-expense").click();
  await alice.getByLabel("What was it?").fill("Dinner at Café do Rio");
  await alice.getByLabel("Amount", { exact: true }).fill("40");
  await alice.getByTestId("save-expense").click();
  await row(alice, "Café do Rio").click();
  const photo = Buffer.from(await alice.evaluate(`${CAMERA_PHOTO}(${JSON.stringify(GPS)})`), "base64");
  check("the test photo is a camera's: a JPEG with EXIF and a GPS position", contains(photo, Buffer.from([0xff, 0xd8, 0xff])) && contains(photo, "Exif") && contains(photo, GPS), `${photo.length} bytes`);
  await alice.getByTestId("receipt-input").setInputFiles({ name: "IMG 2041.JPG", mimeType: "image/jpeg", buffer: photo });
  await alice.getByTestId("receipt-tile").first().waitFor({ timeout: 20000 });
  check("Alice's phone shows the receipt's thumbnail", await decoded(alice, '[data-testid="receipt-thumb"]'));

  // What her phone kept, and will send: downscaled, re-encoded, no EXIF, no GPS.
  const kept = (await alice.evaluate(STORED_BLOBS)).map(([h, b]) => [h, Buffer.from(b, "base64")]);
  const sizes = kept.map(([, b]) => b.length).sort((a, b) => b - a);
  check("the phone keeps the receipt and its thumbnail", kept.length === 2, sizes.join(", "));
  check("neither carries the EXIF block nor the GPS position", kept.every(([, b]) => !contains(b, "Exif") && !contains(b, "GPSLatitude")));
  check("the photo went down to about 200 KB, the thumbnail to a few KB", (sizes[0] ?? 0) < 400_000 && (sizes[1] ?? Infinity) < 40_000, sizes.join(", "));
  await alice.getByTestId("receipt-tile").first().click();
  await alice.getByTestId("receipt-viewer").waitFor();
  const dims = await alice
    .waitForFunction(() => {
      const i = document.querySelector('[data-testid="receipt-image"]');
      return i && i.naturalWidth > 0 ? [i.naturalWidth, i.naturalHeight] : null;
    }, null, { timeout: 15000 })
    .then((h) => h.jsonValue())
    .catch(() => null);
  check("the full image is at most 1600 px on its long side, upright", Array.isArray(dims) && dims[0] === 1600 && dims[1] === 1200, JSON.stringify(dims));
  await closeSheet(alice, "receipt-viewer");

  // A 10 MB PDF: refused with a sentence before anything is sent.
  const big = Buffer.alloc(10 * 1024 * 1024, 0x20);
  big.write("%PDF-1.7\n", 0, "latin1");
  await alice.getByTestId("receipt-input").setInputFiles({ name: "contract.pdf", mimeType: "application/pdf", buffer: big });
  const refusal = await alice.getByTestId("receipt-error").textContent({ timeout: 15000 }).catch(() => "");
  check("a 10 MB PDF is refused with a clear message", /too large/.test(refusal) && /4 MB/.test(refusal), refusal);
  check("…and attaches nothing", (await alice.getByTestId("receipt-tile").count()) === 1);

  // A small PDF goes as it is.
  const pdf = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n", "latin1");
  await alice.getByTestId("receipt-input").setInputFiles({ name: "invoice.pdf", mimeType: "application/pdf", buffer: pdf });
  await alice.waitForFunction(() => document.querySelectorAll('[data-testid="receipt-tile"]').length === 2, null, { timeout: 15000 });
  check("a small PDF is attached beside the photo", (await alice.getByTestId("receipt-tile").count()) === 2);
  await closeSheet(alice, "expense-editor");
  await syncNow(alice);

  // Bob's phone: "on its way" until the receipt's bytes are here, then the images.
  await syncNow(bob);
  await row(bob, "Café do Rio").waitFor({ timeout: 15000 });
  for (let i = 0; i < 4; i++) {
    await syncNow(bob);
    await syncNow(alice);
  }
  await row(bob, "Café do Rio").click();
  await bob.getByTestId("receipt-tile").first().waitFor({ timeout: 15000 });
  check("Bob's phone shows the photo's thumbnail", await decoded(bob, '[data-testid="receipt-thumb"]'));
  check("…and no broken receipt", (await bob.locator('[data-testid="receipt-tile"][data-state="waiting"]').count()) === 0);
  for (const scheme of ["light", "dark"]) {
    await bob.emulateMedia({ colorScheme: scheme });
    await bob.getByTestId("receipts").scrollIntoViewIfNeeded();
    await sleep(300);
    await bob.screenshot({ path: new URL(`receipt-${scheme}.png`, SHOTS).pathname });
  }
  await bob.emulateMedia({ colorScheme: "light" });
  const jargon = await bob.evaluate(`(() => {${JARGON_SCRIPT}})()`);
  check("the receipts speak no jargon", jargon.length === 0, jargon.join(" | "));
  await bob.getByTestId("receipt-tile").filter({ hasText: "IMG 2041" }).click();
  await bob.getByTestId("receipt-viewer").waitFor();
  check("Bob sees the full image", await decoded(bob, '[data-testid="receipt-image"]'));
  await closeSheet(bob, "receipt-viewer");
  await bob.getByTestId("receipt-tile").filter({ hasText: "invoice.pdf" }).click();
  const pdfLink = bob.getByTestId("receipt-pdf");
  const href = await pdfLink.getAttribute("href", { timeout: 15000 }).catch(() => null);
  const bobKept = (await bob.evaluate(STORED_BLOBS)).map(([, b]) => Buffer.from(b, "base64"));
  check(
    "Bob opens the PDF in a new tab, and his phone holds it byte for byte",
    /^blob:/.test(href ?? "") && (await pdfLink.getAttribute("target")) === "_blank" && bobKept.some((b) => b.equals(pdf)),
    String(href),
  );
  await closeSheet(bob, "receipt-viewer");
  await closeSheet(bob, "expense-editor");

  // Curious relays: they keep sealed shares only, no JPEG, PDF, EXIF or GPS bytes anywhere.
  // Needles long enough not to turn up by chance in the megabytes of ciphertext the
  // relays hold (the 3-byte JPEG start did, about one run in twenty; 4 bytes still would
  // about once in a thousand runs): the first 12 bytes of the photo her phone sent (the
  // JPEG start and its APP0 segment), a 32-byte stretch from its middle, the PDF's first
  // 16 bytes, the EXIF block's start and the GPS position her camera wrote.
  const sent = kept.map(([, b]) => b).sort((a, b) => b.length - a.length)[0] ?? Buffer.alloc(0);
  const middle = Math.floor(sent.length / 2);
  const needles = [
    ["JPEG start", sent.subarray(0, 12)],
    ["JPEG bytes", sent.subarray(middle, middle + 32)],
    ["PDF", pdf.subarray(0, 16)],
    ["EXIF", Buffer.from("Exif\0\0MM", "latin1")],
    ["GPS", Buffer.from(GPS, "latin1")],
  ];
  check(
    "the needles are the receipts' own bytes, none shorter than 8",
    contains(sent.subarray(0, 3), Buffer.from([0xff, 0xd8, 0xff])) && needles.every(([, n]) => n.length >= 8),
    needles.map(([what, n]) => `${what}: ${n.length} bytes`).join(", "),
  );
  const files = persisted(RELAY_DIR);
  const leaks = [];
  for (const f of files) {
    const b = readFileSync(f);
    for (const [what, needle] of needles) if (contains(b, needle)) leaks.push(`${what} in ${f.slice(RELAY_DIR.length)}`);
  }
  check("Curious relays: their storage holds no JPEG, PDF, EXIF or GPS bytes", files.length > 0 && leaks.length === 0, leaks.length ? leaks.join(", ") : `${files.length} files scanned`);

  // Carol joins after the receipt went round: her phone asks for it, Alice's sends it again.
  const carol = await phone("carol");
  await joinGroup(carol, link, "Carol", "Join Lisbon");
  await syncNow(carol);
  await syncNow(alice);
  await syncNow(carol);
  await row(carol, "Café do Rio").click();
  const photoTile = carol.getByTestId("receipt-tile").filter({ hasText: "IMG 2041" });
  await photoTile.waitFor({ timeout: 15000 });
  check("Carol, who joined later, sees the receipt on its way, not a broken image", (await photoTile.getAttribute("data-state")) === "waiting" && (await photoTile.locator("img").count()) === 0);
  await photoTile.click();
  await carol.getByTestId("ask-receipt").click();
  await carol.getByText("Asked the others for this receipt").waitFor({ timeout: 10000 });
  await closeSheet(carol, "receipt-viewer");
  await closeSheet(carol, "expense-editor");
  for (let i = 0; i < 3; i++) {
    await syncNow(carol);
    await syncNow(alice);
  }
  await syncNow(carol);
  await row(carol, "Café do Rio").click();
  check("…asks, and Alice's phone sends it again: Carol sees the thumbnail", await decoded(carol, '[data-testid="receipt-thumb"]'));
  await closeSheet(carol, "expense-editor");

  // Alice removes the PDF; Bob's phone follows.
  await row(alice, "Café do Rio").click();
  await alice.getByTestId("receipt-tile").filter({ hasText: "invoice.pdf" }).click();
  await alice.getByTestId("remove-receipt").click();
  await alice.getByTestId("confirm-ok").click();
  await alice.waitForFunction(() => document.querySelectorAll('[data-testid="receipt-tile"]').length === 1, null, { timeout: 10000 });
  check("Alice removes a receipt after confirming", (await alice.getByTestId("receipt-tile").count()) === 1);
  check("no page error", errors.length === 0, errors.slice(0, 3).join(" | "));
});
