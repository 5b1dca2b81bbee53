// The camera view while scanning an invite QR code.
import { useEffect, useRef, useState } from "preact/hooks";
import { scanQr } from "../core/scan";
import { Sheet } from "./Sheet";

export function ScanDialog({ onResult, onClose }: { onResult: (text: string) => void; onClose: () => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    if (video.current) {
      scanQr(video.current, ctl.signal).then(onResult, (e: unknown) => {
        if (!ctl.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      });
    }
    return () => ctl.abort();
  }, []);
  return (
    <Sheet title="Scan the invite QR" onClose={onClose}>
      <video ref={video} class="scanner" playsInline muted aria-label="Camera" />
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : (
        <p class="muted">Point the camera at the QR code on the other phone.</p>
      )}
    </Sheet>
  );
}
