// A full-height modal sheet (editor, sync panel) with a title and a close button.
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { t } from "../i18n";

export function Sheet({ title, onClose, children, testid }: { title: string; onClose: () => void; children: ComponentChildren; testid?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const prev = document.activeElement;
    ref.current?.querySelector<HTMLElement>("h2")?.focus();
    // Escape still closes the sheet when focus fell to the page (a button inside that
    // was pressed turned disabled, as "Sync now" does while it runs).
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && (document.activeElement === null || document.activeElement === document.body)) close.current();
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      if (prev instanceof HTMLElement) prev.focus();
    };
  }, []);
  return (
    <div class="backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div
        class="sheet"
        role="dialog"
        aria-modal="true"
        aria-label={title}
        ref={ref}
        data-testid={testid}
        onKeyDown={(e) => e.key === "Escape" && onClose()}
      >
        <div class="sheet-head">
          <h2 tabIndex={-1}>{title}</h2>
          <button type="button" class="icon" aria-label={t("common.close")} onClick={onClose}>
            ✕
          </button>
        </div>
        <div class="sheet-body">{children}</div>
      </div>
    </div>
  );
}
