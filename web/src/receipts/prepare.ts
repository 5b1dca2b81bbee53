// A receipt made ready on this phone before it is attached (loaded only when someone
// attaches one): a photo is decoded upright (`imageOrientation: "from-image"`), scaled to
// at most 1600 px on its long side and encoded again as JPEG, which leaves its EXIF block
// behind — the camera, the time, the GPS position never leave the phone; a thumbnail of at
// most 320 px goes with it. A PDF goes as it is. Anything over 4 MiB is refused here,
// before the core is asked, with a sentence the user understands.

/** The core's limit for one receipt (client-wasm: `too_large` above it). */
export const MAX_RECEIPT_BYTES = 4 * 1024 * 1024;
/** The long side of a photo as sent. */
export const FULL_PX = 1600;
/** The long side of a thumbnail. */
export const THUMB_PX = 320;
/** What a photo aims at; it is encoded again at lower quality while above. */
export const FULL_TARGET_BYTES = 260 * 1024;

export interface Prepared {
  bytes: Uint8Array;
  mime: string;
  name: string;
  thumb?: Uint8Array;
  /** SHA-256 of `bytes` (hex), the receipt's id as the core names it */
  hash: string;
  /** SHA-256 of `thumb` */
  thumbHash?: string;
}

/** SHA-256 of `bytes`, lowercase hex (an attachment's id, as the core computes it). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(bytes)));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Why a file cannot be attached (the screen says it in the user's language). */
export type Refusal =
  | { refused: "too_large"; size: number }
  | { refused: "heic" }
  | { refused: "unreadable" }
  | { refused: "unsupported" };

export type FileKind = "image" | "pdf" | "heic" | "other";

/** What a chosen file is, by its type, else its name (iOS gives some files no type). */
export function kindOf(type: string, name: string): FileKind {
  const t = type.toLowerCase();
  const ext = name.toLowerCase().split(".").pop() ?? "";
  if (t === "application/pdf" || ext === "pdf") return "pdf";
  if (t === "image/heic" || t === "image/heif" || ext === "heic" || ext === "heif") return "heic";
  if (t.startsWith("image/") || ["jpg", "jpeg", "png", "webp", "gif", "bmp", "avif"].includes(ext)) return "image";
  return "other";
}

/** `w`×`h` scaled down (never up) so its long side is at most `max`, whole pixels, at least 1. */
export function fitWithin(w: number, h: number, max: number): [number, number] {
  const long = Math.max(w, h);
  if (long <= max || long === 0) return [Math.max(1, Math.round(w)), Math.max(1, Math.round(h))];
  const k = max / long;
  return [Math.max(1, Math.round(w * k)), Math.max(1, Math.round(h * k))];
}

/** A JPEG's segments before its image data: [marker, offset, length incl. marker]. */
export function jpegSegments(bytes: Uint8Array): [number, number, number][] {
  const out: [number, number, number][] = [];
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return out;
  let i = 2;
  while (i + 4 <= bytes.length && bytes[i] === 0xff) {
    const marker = bytes[i + 1] ?? 0;
    if (marker === 0xda || marker === 0xd9) break; // start of scan / end: the image data
    const len = ((bytes[i + 2] ?? 0) << 8) | (bytes[i + 3] ?? 0);
    if (len < 2) break;
    out.push([marker, i, len + 2]);
    i += len + 2;
  }
  return out;
}

const EXIF = [0x45, 0x78, 0x69, 0x66, 0, 0]; // "Exif\0\0"

/** Whether a JPEG carries an EXIF block (an APP1 segment that starts with "Exif"). */
export function hasExif(bytes: Uint8Array): boolean {
  return jpegSegments(bytes).some(([m, at]) => m === 0xe1 && EXIF.every((b, k) => bytes[at + 4 + k] === b));
}

/**
 * The JPEG without its application segments (APP1–APP15: EXIF, XMP, makers' notes): the
 * canvas never writes them, this makes sure whatever a browser's encoder might add stays
 * home too. APP0 (JFIF) is kept. Not a JPEG: returned unchanged.
 */
export function stripMetadata(bytes: Uint8Array): Uint8Array {
  const segs = jpegSegments(bytes);
  const drop = segs.filter(([m]) => m >= 0xe1 && m <= 0xef);
  if (drop.length === 0) return bytes;
  const parts: Uint8Array[] = [bytes.subarray(0, 2)];
  let from = 2;
  for (const [, at, len] of drop) {
    parts.push(bytes.subarray(from, at));
    from = at + len;
  }
  parts.push(bytes.subarray(from));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The name a receipt is sent under: a photo's becomes .jpg (it is one now). */
export function sentName(name: string, kind: FileKind): string {
  const base = name.trim() || "receipt";
  if (kind !== "image") return base;
  return `${base.replace(/\.[a-z0-9]+$/i, "")}.jpg`;
}

type Canvas = OffscreenCanvas | HTMLCanvasElement;

function canvas(w: number, h: number): Canvas {
  if (typeof OffscreenCanvas !== "undefined") {
    const c = new OffscreenCanvas(w, h);
    // some engines have OffscreenCanvas without its 2D context
    if (c.getContext("2d")) return c;
  }
  const c = document.createElement("canvas");
  c.width = w;
  c.height = h;
  return c;
}

async function encode(c: Canvas, quality: number): Promise<Uint8Array> {
  const blob =
    "convertToBlob" in c
      ? await c.convertToBlob({ type: "image/jpeg", quality })
      : await new Promise<Blob | null>((done) => c.toBlob(done, "image/jpeg", quality));
  if (!blob) throw new Error("the photo could not be encoded");
  return stripMetadata(new Uint8Array(await blob.arrayBuffer()));
}

/** The bitmap drawn at most `max` px on its long side, on white (a PNG's transparency). */
function draw(img: ImageBitmap, max: number): Canvas {
  const [w, h] = fitWithin(img.width, img.height, max);
  const c = canvas(w, h);
  const g = c.getContext("2d") as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!g) throw new Error("no 2D canvas");
  g.fillStyle = "#fff";
  g.fillRect(0, 0, w, h);
  g.imageSmoothingQuality = "high";
  g.drawImage(img, 0, 0, w, h);
  return c;
}

/** Encodes at falling quality until the photo is near the target size. */
async function fullJpeg(img: ImageBitmap): Promise<Uint8Array> {
  const c = draw(img, FULL_PX);
  let out = await encode(c, 0.8);
  for (const q of [0.7, 0.6]) {
    if (out.length <= FULL_TARGET_BYTES) break;
    out = await encode(c, q);
  }
  return out;
}

/** A chosen file made ready to attach, or why it cannot be. */
export async function prepare(file: Blob & { name?: string }): Promise<Prepared | Refusal> {
  const name = file.name ?? "";
  const kind = kindOf(file.type, name);
  if (kind === "other") return { refused: "unsupported" };
  if (kind === "pdf") {
    if (file.size > MAX_RECEIPT_BYTES) return { refused: "too_large", size: file.size };
    const bytes = new Uint8Array(await file.arrayBuffer());
    return { bytes, mime: "application/pdf", name: sentName(name, kind), hash: await sha256Hex(bytes) };
  }
  let img: ImageBitmap;
  try {
    img = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    // HEIC where the browser cannot read it (Chrome, Firefox): said as such
    return kind === "heic" ? { refused: "heic" } : { refused: "unreadable" };
  }
  try {
    const bytes = await fullJpeg(img);
    if (bytes.length > MAX_RECEIPT_BYTES) return { refused: "too_large", size: bytes.length };
    const thumb = await encode(draw(img, THUMB_PX), 0.7);
    return { bytes, mime: "image/jpeg", name: sentName(name, "image"), thumb, hash: await sha256Hex(bytes), thumbHash: await sha256Hex(thumb) };
  } catch {
    return { refused: "unreadable" };
  } finally {
    img.close();
  }
}
