// The camera view while scanning an invite QR code.
import { useEffect, useRef, useState } from "preact/hooks";
import { scanQr } from "../core/scan";
import { Sheet } from "./Sheet";
import { t } from "../i18n";

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
    <Sheet title={t("scan.title")} onClose={onClose}>
      <video ref={video} class="scanner" playsInline muted aria-label={t("scan.camera")} />
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : (
        <p class="muted">{t("scan.point")}</p>
      )}
    </Sheet>
  );
}
