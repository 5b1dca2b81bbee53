// The parts of preparing a receipt that run without a browser's image decoder: which
// files are taken, the scaling, and that what leaves the phone carries no EXIF block
// (the Chromium journey, web/e2e/receipts.mjs, checks a real photo end to end).
import { describe, expect, it } from "vitest";
import { FULL_PX, fitWithin, sha256Hex, hasExif, jpegSegments, kindOf, MAX_RECEIPT_BYTES, prepare, sentName, stripMetadata, THUMB_PX } from "./prepare";

/** A JPEG's bytes as a camera writes them: SOI, APP0 (JFIF), APP1 (Exif with a GPS tag), XMP, then the image. */
export function cameraJpeg(): Uint8Array {
  const seg = (marker: number, body: number[]) => [0xff, marker, ((body.length + 2) >> 8) & 0xff, (body.length + 2) & 0xff, ...body];
  const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
  const jfif = seg(0xe0, [...ascii("JFIF"), 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  const exif = seg(0xe1, [...ascii("Exif"), 0, 0, ...ascii("MM"), 0, 42, ...ascii("GPSLatitude 38.7223 N 9.1393 W")]);
  const xmp = seg(0xe1, [...ascii("http://ns.adobe.com/xap/1.0/"), 0, ...ascii("<x:xmpmeta/>")]);
  const dqt = seg(0xdb, [0, ...new Array<number>(64).fill(1)]);
  const sos = [0xff, 0xda, 0, 8, 1, 1, 0, 0, 63, 0, 0x12, 0x34, 0xff, 0xd9];
  return new Uint8Array([0xff, 0xd8, ...jfif, ...exif, ...xmp, ...dqt, ...sos]);
}

const text = (b: Uint8Array) => new TextDecoder("latin1").decode(b);

describe("receipt files", () => {
  it("takes photos and PDFs, tells HEIC apart, refuses the rest", () => {
    expect(kindOf("image/jpeg", "IMG_1.JPG")).toBe("image");
    expect(kindOf("", "scan.pdf")).toBe("pdf");
    expect(kindOf("application/pdf", "x")).toBe("pdf");
    expect(kindOf("image/heic", "IMG_2.HEIC")).toBe("heic");
    expect(kindOf("", "IMG_3.heif")).toBe("heic");
    expect(kindOf("text/plain", "notes.txt")).toBe("other");
    expect(sentName("IMG 1.PNG", "image")).toBe("IMG 1.jpg");
    expect(sentName("", "pdf")).toBe("receipt");
  });

  it("scales the long side down to the limit, never up, keeping the shape", () => {
    expect(fitWithin(4032, 3024, FULL_PX)).toEqual([1600, 1200]);
    expect(fitWithin(3024, 4032, FULL_PX)).toEqual([1200, 1600]);
    expect(fitWithin(800, 600, FULL_PX)).toEqual([800, 600]);
    expect(fitWithin(4032, 3024, THUMB_PX)).toEqual([320, 240]);
    expect(fitWithin(10000, 10, THUMB_PX)).toEqual([320, 1]);
  });

  it("finds the EXIF block a camera writes, and leaves it (and XMP) out", () => {
    const photo = cameraJpeg();
    expect(hasExif(photo)).toBe(true);
    const clean = stripMetadata(photo);
    expect(hasExif(clean)).toBe(false);
    expect(text(clean)).not.toContain("Exif");
    expect(text(clean)).not.toContain("GPS");
    expect(text(clean)).not.toContain("xmpmeta");
    // the JFIF header and the image itself stay, in order
    expect(jpegSegments(clean).map(([m]) => m)).toEqual([0xe0, 0xdb]);
    expect([...clean.subarray(-4)]).toEqual([0x12, 0x34, 0xff, 0xd9]);
    // not a JPEG: unchanged
    const pdf = new TextEncoder().encode("%PDF-1.4");
    expect(stripMetadata(pdf)).toBe(pdf);
  });

  it("names a receipt by the SHA-256 of its bytes, as the core does", async () => {
    expect(await sha256Hex(new TextEncoder().encode("abc"))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("refuses a 10 MB PDF with its size, before anything is sent", async () => {
    const big = new File([new Uint8Array(10 * 1024 * 1024)], "contract.pdf", { type: "application/pdf" });
    expect(await prepare(big)).toEqual({ refused: "too_large", size: 10 * 1024 * 1024 });
    const ok = new File([new TextEncoder().encode("%PDF-1.4 small")], "bill.pdf", { type: "application/pdf" });
    const p = await prepare(ok);
    expect("refused" in p).toBe(false);
    if (!("refused" in p)) {
      expect(p.mime).toBe("application/pdf");
      expect(text(p.bytes)).toBe("%PDF-1.4 small");
      expect(p.thumb).toBeUndefined();
    }
    expect(MAX_RECEIPT_BYTES).toBe(4 * 1024 * 1024);
  });

  it("says a HEIC photo this browser cannot read is HEIC, and refuses other files", async () => {
    // no image decoder here, as a browser without HEIC support
    const heic = new File([new Uint8Array([0, 0, 0, 24, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63])], "IMG_4.HEIC", { type: "image/heic" });
    expect(await prepare(heic)).toEqual({ refused: "heic" });
    expect(await prepare(new File(["x"], "broken.jpg", { type: "image/jpeg" }))).toEqual({ refused: "unreadable" });
    expect(await prepare(new File(["x"], "notes.txt", { type: "text/plain" }))).toEqual({ refused: "unsupported" });
  });
});
