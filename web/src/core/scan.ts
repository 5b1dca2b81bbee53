// Reading a QR code from the camera: the browser's BarcodeDetector when it has one,
// else jsQR (loaded only when needed) on frames drawn to a canvas.
import { t } from "../i18n";

interface Detected {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<Detected[]>;
}
type BarcodeDetectorCtor = new (opts: { formats: string[] }) => BarcodeDetectorLike;

type Decoder = (video: HTMLVideoElement) => Promise<string | null>;

async function nativeDecoder(): Promise<Decoder | null> {
  const Ctor = (globalThis as { BarcodeDetector?: BarcodeDetectorCtor & { getSupportedFormats?: () => Promise<string[]> } }).BarcodeDetector;
  if (!Ctor) return null;
  try {
    const formats = (await Ctor.getSupportedFormats?.()) ?? ["qr_code"];
    if (!formats.includes("qr_code")) return null;
    const detector = new Ctor({ formats: ["qr_code"] });
    return async (video) => (await detector.detect(video))[0]?.rawValue ?? null;
  } catch {
    return null;
  }
}

async function jsqrDecoder(): Promise<Decoder> {
  const { default: jsQR } = await import("jsqr");
  const canvas = document.createElement("canvas");
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  return async (video) => {
    if (!ctx || video.videoWidth === 0) return null;
    // a 640-px-wide frame is plenty for an invite QR and keeps decoding quick
    const scale = Math.min(1, 640 / video.videoWidth);
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
    const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
    return jsQR(img.data, img.width, img.height)?.data ?? null;
  };
}

/**
 * Opens the back camera into `video` and resolves with the first QR code's text.
 * Rejects when the camera is refused; stops the camera when done or aborted.
 */
export async function scanQr(video: HTMLVideoElement, signal: AbortSignal): Promise<string> {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error(t("scan.noCamera"));
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
  const stop = () => stream.getTracks().forEach((t) => t.stop());
  signal.addEventListener("abort", stop, { once: true });
  try {
    video.srcObject = stream;
    video.setAttribute("playsinline", "");
    video.muted = true;
    await video.play();
    const decode = (await nativeDecoder()) ?? (await jsqrDecoder());
    while (!signal.aborted) {
      const text = await decode(video).catch(() => null);
      if (text) return text;
      await new Promise((ok) => setTimeout(ok, 200));
    }
    throw new Error("scan cancelled");
  } finally {
    stop();
    video.srcObject = null;
  }
}
