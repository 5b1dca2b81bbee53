// Draws the app icons (PNG) with no image tools: a teal square with three white dots on a
// ring — the relays — joined to a centre dot, the group. Run: node scripts/make-icons.mjs
// Writes public/icons/: icon-192.png, icon-512.png, maskable-512.png, apple-touch-icon.png,
// and public/splash/: the iPhone launch screens (the icon on the app's background, light
// and dark) for the screens listed in scripts/splash-sizes.json.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const TEAL = [15, 118, 110];
const WHITE = [255, 255, 255];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};

function png(width, pixel, height = width) {
  const stride = width * 3 + 1;
  const raw = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    raw[y * stride] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      raw.set([r, g, b], y * stride + 1 + x * 3);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** The logo in unit coordinates (0..1), scaled by `zoom` around the centre; 4×4 supersampled. */
function logo(size, zoom) {
  const dots = [0, 1, 2].map((i) => {
    const a = -Math.PI / 2 + (i * 2 * Math.PI) / 3;
    return [0.5 + 0.3 * Math.cos(a), 0.5 + 0.3 * Math.sin(a)];
  });
  const distToSegment = (px, py, [ax, ay], [bx, by]) => {
    const t = Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
    return Math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay)));
  };
  const inside = (u, v) => {
    const x = 0.5 + (u - 0.5) / zoom;
    const y = 0.5 + (v - 0.5) / zoom;
    if (Math.hypot(x - 0.5, y - 0.5) < 0.085) return true;
    for (const d of dots) {
      if (Math.hypot(x - d[0], y - d[1]) < 0.075) return true;
      if (distToSegment(x, y, [0.5, 0.5], d) < 0.022) return true;
    }
    return false;
  };
  return (x, y) => {
    let hits = 0;
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) if (inside((x + (i + 0.5) / 4) / size, (y + (j + 0.5) / 4) / size)) hits++;
    const a = hits / 16;
    return TEAL.map((c, k) => Math.round(c * (1 - a) + WHITE[k] * a));
  };
}

const out = new URL("../public/icons/", import.meta.url);
writeFileSync(new URL("icon-192.png", out), png(192, logo(192, 1)));
writeFileSync(new URL("icon-512.png", out), png(512, logo(512, 1)));
// Maskable: the platform may crop to a circle of 80 %, so the logo shrinks into that zone.
writeFileSync(new URL("maskable-512.png", out), png(512, logo(512, 0.78)));
writeFileSync(new URL("apple-touch-icon.png", out), png(180, logo(180, 0.9)));
console.log("icons written to public/icons/");

// Launch screens: the app's background (style.css --bg, light and dark) with the icon, a
// rounded square a quarter of the screen wide, a little above the centre.
const BACKGROUNDS = { light: [248, 250, 252], dark: [11, 17, 32] };
function splash(width, height, bg) {
  const side = Math.round(width * 0.25);
  const x0 = Math.round((width - side) / 2);
  const y0 = Math.round(height * 0.42 - side / 2);
  const radius = side * 0.225;
  const icon = logo(side, 0.9);
  const inRoundedSquare = (x, y) => {
    const dx = Math.max(radius - x, 0, x - (side - 1 - radius));
    const dy = Math.max(radius - y, 0, y - (side - 1 - radius));
    return dx * dx + dy * dy <= radius * radius;
  };
  return png(width, (x, y) => {
    const u = x - x0;
    const v = y - y0;
    return u >= 0 && v >= 0 && u < side && v < side && inRoundedSquare(u, v) ? icon(u, v) : bg;
  }, height);
}
const { screens } = JSON.parse(readFileSync(new URL("splash-sizes.json", import.meta.url), "utf8"));
const splashDir = new URL("../public/splash/", import.meta.url);
mkdirSync(splashDir, { recursive: true });
for (const { width, height, ratio } of screens) {
  for (const [scheme, bg] of Object.entries(BACKGROUNDS)) {
    const [w, h] = [width * ratio, height * ratio];
    writeFileSync(new URL(`splash-${w}x${h}-${scheme}.png`, splashDir), splash(w, h, bg));
  }
}
console.log(`launch screens written to public/splash/ (${screens.length * 2})`);
