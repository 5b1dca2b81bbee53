// An expense's receipts in its editor: thumbnails, "Add receipt" (the camera or the photo
// library on a phone: an <input type=file>), remove one, tap one to see it whole (an image
// zoomable and scrollable; a PDF opens in a new tab). A receipt whose bytes have not
// arrived yet says so ("Receipt on its way"), never a broken image. The photo code
// (../receipts/prepare) is fetched only when someone attaches a receipt.
import { useEffect, useState } from "preact/hooks";
import type { StoredBlob } from "../core/blobs";
import { problemText } from "../core/errors";
import type { EventId, Receipt } from "../core/types";
import { formatBytes, isImage, receiptsOf } from "../receipts/receipts";
import type { Prepared, Refusal } from "../receipts/prepare";
import { t } from "../i18n";
import { useGroup } from "./context";
import { Sheet } from "./Sheet";
import "./receipts.css";

let prepareModule: Promise<typeof import("../receipts/prepare")> | null = null;
function loadPrepare() {
  prepareModule ??= import("../receipts/prepare").catch((e: unknown) => {
    prepareModule = null;
    throw e;
  });
  return prepareModule;
}

/** What a refusal means, in the reader's words. */
export function refusalText(r: Refusal): string {
  switch (r.refused) {
    case "too_large":
      return t("receipts.tooLarge", { size: formatBytes(r.size) });
    case "heic":
      return t("receipts.heic");
    case "unreadable":
      return t("receipts.unreadable");
    case "unsupported":
      return t("receipts.unsupported");
  }
}

/** A stored blob, re-read whenever the store changes (a round brought it). */
function useBlob(hash: string | null | undefined): StoredBlob | null | undefined {
  const { blobs } = useGroup();
  const [blob, setBlob] = useState<StoredBlob | null | undefined>(undefined);
  useEffect(() => {
    if (!hash) return setBlob(null);
    let live = true;
    const read = () =>
      void blobs.get(hash).then(
        (b) => live && setBlob(b ?? null),
        () => live && setBlob(null),
      );
    read();
    const off = blobs.subscribe(read);
    return () => {
      live = false;
      off();
    };
  }, [hash, blobs]);
  return blob;
}

/** An object URL for `bytes` while the component shows it. */
function useUrl(bytes: Uint8Array | undefined, mime: string): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!bytes) return setUrl(null);
    const u = URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: mime }));
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [bytes, mime]);
  return url;
}

function PdfIcon() {
  return (
    <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true">
      <path d="M6 2h9l5 5v15H6z M15 2v5h5" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round" />
      <text x="8" y="18" font-size="6" fill="currentColor">
        PDF
      </text>
    </svg>
  );
}

/** One receipt's tile: its thumbnail (or the image itself), a PDF's icon, or "on its way". */
function Tile({ receipt, onOpen }: { receipt: Receipt; onOpen: () => void }) {
  const thumb = useBlob(receipt.thumb);
  const full = useBlob(receipt.hash);
  const small = thumb?.bytes ?? (isImage(receipt) ? full?.bytes : undefined);
  const url = useUrl(small, "image/jpeg");
  const here = Boolean(full?.bytes || thumb?.bytes);
  const waiting = full !== undefined && thumb !== undefined && !here;
  return (
    <button type="button" class="receipt-tile" onClick={onOpen} aria-label={t("receipts.open", { name: receipt.name })} data-testid="receipt-tile" data-state={waiting ? "waiting" : here ? "here" : "loading"}>
      {url ? (
        <img src={url} alt="" data-testid="receipt-thumb" />
      ) : receipt.mime === "application/pdf" && here ? (
        <PdfIcon />
      ) : waiting ? (
        <span class="muted" data-testid="receipt-waiting">
          {t("receipts.onItsWay")}
        </span>
      ) : null}
      <span class="receipt-name muted">
        <bdi>{receipt.name}</bdi>
      </span>
    </button>
  );
}

/** A receipt seen whole: the image (tap to zoom), or the PDF to open; "on its way" if not here. */
function Viewer({ receipt, onClose, onRemove }: { receipt: Receipt; onClose: () => void; onRemove: (() => void) | null }) {
  const { mutate, toast, problem } = useGroup();
  const full = useBlob(receipt.hash);
  const thumb = useBlob(receipt.thumb);
  const bytes = full?.bytes ?? thumb?.bytes;
  const url = useUrl(bytes, full?.bytes ? receipt.mime : "image/jpeg");
  const [zoom, setZoom] = useState(false);
  const loading = full === undefined || thumb === undefined;
  return (
    <Sheet title={receipt.name} onClose={onClose} testid="receipt-viewer">
      <div class="stack">
        {!loading && !bytes && (
          <>
            <p class="receipt-waiting muted" role="status" data-testid="receipt-waiting">
              {t("receipts.onItsWay")}
            </p>
            <p class="hint muted">{t("receipts.askHint")}</p>
            <button
              type="button"
              onClick={() =>
                void mutate((a, now) => {
                  // the small image too, so the list shows it
                  if (receipt.thumb) a.requestReceipt(receipt.thumb, now);
                  a.requestReceipt(receipt.hash, now);
                }).then(
                  () => toast(t("receipts.asked")),
                  (e: unknown) => problem(e),
                )
              }
              data-testid="ask-receipt"
            >
              {t("receipts.ask")}
            </button>
          </>
        )}
        {url && isImage({ mime: full?.bytes ? receipt.mime : "image/jpeg" }) && (
          <>
            <div class="receipt-full" data-zoom={zoom}>
              <img src={url} alt={receipt.name} onClick={() => setZoom((z) => !z)} data-testid="receipt-image" />
            </div>
            <p class="hint muted">{t("receipts.zoomHint")}</p>
          </>
        )}
        {url && full?.bytes && receipt.mime === "application/pdf" && (
          <a class="button primary" href={url} target="_blank" rel="noopener" data-testid="receipt-pdf">
            {t("receipts.openPdf")}
          </a>
        )}
        {!full?.bytes && thumb?.bytes && (
          <p class="muted" data-testid="receipt-only-thumb">
            {t("receipts.onlyThumb")}
          </p>
        )}
        <p class="muted">{formatBytes(receipt.size)}</p>
        {onRemove && (
          <button type="button" class="danger" onClick={onRemove} data-testid="remove-receipt">
            {t("receipts.remove")}
          </button>
        )}
      </div>
    </Sheet>
  );
}

/** A receipt chosen for an expense not saved yet: shown from its own bytes. */
function PendingTile({ p, onRemove }: { p: Prepared; onRemove: () => void }) {
  const url = useUrl(p.thumb ?? (p.mime.startsWith("image/") ? p.bytes : undefined), "image/jpeg");
  return (
    <div class="receipt-tile" data-testid="receipt-pending">
      {url ? <img src={url} alt="" /> : <PdfIcon />}
      <span class="receipt-name muted">
        <bdi>{p.name}</bdi>
      </span>
      <button type="button" class="link" onClick={onRemove}>
        {t("common.remove")}
      </button>
    </div>
  );
}

type Blobs = { put(h: string, b: Uint8Array): Promise<void> };

/**
 * Stores a receipt's bytes and its thumbnail's under their hashes before it is attached:
 * the phone that attached a receipt never waits for it, even if the app is closed
 * right after.
 */
export async function keepBeforeAttach(blobs: Blobs, p: Prepared): Promise<void> {
  await blobs.put(p.hash, p.bytes);
  if (p.thumb && p.thumbHash) await blobs.put(p.thumbHash, p.thumb);
}

/** After attaching: should the core have named them otherwise, kept under its names too. */
export async function keepAttached(blobs: Blobs, p: Prepared, attached: { hash: string; thumb: string | null }): Promise<void> {
  if (attached.hash !== p.hash) await blobs.put(attached.hash, p.bytes);
  if (attached.thumb && p.thumb && attached.thumb !== p.thumbHash) await blobs.put(attached.thumb, p.thumb);
}

interface Props {
  /** the saved expense, or null for one being added (its receipts wait in `pending`) */
  expense: EventId | null;
  pending: Prepared[];
  onPending: (next: Prepared[]) => void;
}

export function Receipts({ expense, pending, onPending }: Props) {
  const { state, mutate, confirm, toast, blobs } = useGroup();
  const receipts = expense ? receiptsOf(state.expenses[expense]) : [];
  const [open, setOpen] = useState<Receipt | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const choose = async (input: HTMLInputElement) => {
    const files = [...(input.files ?? [])];
    input.value = ""; // the same file can be chosen again
    if (files.length === 0) return;
    setBusy(true);
    setError(null);
    try {
      const { prepare } = await loadPrepare();
      const ready: Prepared[] = [];
      for (const file of files) {
        const p = await prepare(file);
        if ("refused" in p) {
          setError(refusalText(p));
          continue;
        }
        if (!expense) {
          ready.push(p);
          continue;
        }
        await keepBeforeAttach(blobs, p);
        const attached = await mutate((a, now) => a.attachReceipt(expense, p.bytes, p.mime, p.name, p.thumb, now));
        await keepAttached(blobs, p, attached);
        toast(t("receipts.attached"));
      }
      if (ready.length > 0) onPending([...pending, ...ready]);
    } catch (e) {
      setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (r: Receipt) => {
    if (!expense) return;
    if (!(await confirm(t("receipts.removeConfirm"), t("receipts.remove")))) return;
    try {
      await mutate((a, now) => a.removeReceipt(expense, r.hash, now));
      setOpen(null);
      toast(t("receipts.removed"));
    } catch (e) {
      setError(problemText(e));
    }
  };

  return (
    <fieldset class="receipts" data-testid="receipts">
      <legend>{t("receipts.title")}</legend>
      {(receipts.length > 0 || pending.length > 0) && (
        <div class="receipt-tiles">
          {receipts.map((r) => (
            <Tile key={r.hash} receipt={r} onOpen={() => setOpen(r)} />
          ))}
          {pending.map((p, i) => (
            <PendingTile key={`p${i}`} p={p} onRemove={() => onPending(pending.filter((_, j) => j !== i))} />
          ))}
        </div>
      )}
      {pending.length > 0 && <p class="hint muted">{t("receipts.onSave")}</p>}
      <label class="button receipt-add" aria-busy={busy}>
        {busy ? t("receipts.preparing") : t("receipts.add")}
        <input
          type="file"
          accept="image/*,application/pdf"
          multiple
          class="sr-only"
          disabled={busy}
          onChange={(e) => void choose(e.currentTarget)}
          data-testid="receipt-input"
        />
      </label>
      <p class="hint muted">{t("receipts.addHint")}</p>
      {error && (
        <p class="error" role="alert" data-testid="receipt-error">
          {error}
        </p>
      )}
      {open && (
        // Escape closes the receipt, not the editor under it too
        <div onKeyDown={(e) => e.stopPropagation()}>
          <Viewer receipt={open} onClose={() => setOpen(null)} onRemove={expense ? () => void remove(open) : null} />
        </div>
      )}
    </fieldset>
  );
}
