// A QR code as SVG: one path of dark modules, crisp at any size. The encoder (uqr) loads
// only when a code is shown, so it is not part of the app's first load.
import { useEffect, useState } from "preact/hooks";

export async function qrPath(text: string): Promise<{ size: number; d: string }> {
  const { encode } = await import("uqr");
  const qr = encode(text, { ecc: "M", border: 2 });
  let d = "";
  const size = qr.data.length;
  qr.data.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) d += `M${x} ${y}h1v1h-1z`;
    });
  });
  return { size, d };
}

export function Qr({ text, label, testid = "invite-qr", small = false }: { text: string; label: string; testid?: string; small?: boolean }) {
  const [qr, setQr] = useState<{ size: number; d: string } | null>(null);
  useEffect(() => {
    let live = true;
    void qrPath(text).then((q) => {
      if (live) setQr(q);
    });
    return () => {
      live = false;
    };
  }, [text]);
  const size = qr?.size ?? 1;
  return (
    <svg class={small ? "qr small" : "qr"} viewBox={`0 0 ${size} ${size}`} role="img" aria-label={label} shape-rendering="crispEdges" data-testid={testid}>
      <rect width={size} height={size} fill="#fff" />
      {qr && <path d={qr.d} fill="#000" />}
    </svg>
  );
}
