// Draws the app icons (PNG) with no image tools: a teal square with three white dots on a
// ring — the relays — joined to a centre dot, the group. Run: node scripts/make-icons.mjs
// Writes public/icons/: icon-192.png, icon-512.png, maskable-512.png, apple-touch-icon.png.
import { writeFileSync } from "node:fs";
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

function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 3 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const [r, g, b] = pixel(x, y);
      raw.set([r, g, b], y * (size * 3 + 1) + 1 + x * 3);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
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
