// A modal yes/no question (destructive actions).
import { useEffect, useRef } from "preact/hooks";
import { t } from "../i18n";

export interface ConfirmState {
  message: string;
  ok: string;
  resolve: (ok: boolean) => void;
}

export function ConfirmDialog({ state, onClose }: { state: ConfirmState; onClose: (ok: boolean) => void }) {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div class="backdrop" onClick={(e) => e.target === e.currentTarget && onClose(false)}>
      <div class="dialog" role="alertdialog" aria-modal="true" aria-labelledby="confirm-text" onKeyDown={(e) => e.key === "Escape" && onClose(false)}>
        <p id="confirm-text">{state.message}</p>
        <div class="row end">
          <button type="button" ref={cancel} onClick={() => onClose(false)}>
            {t("common.cancel")}
          </button>
          <button type="button" class="danger" data-testid="confirm-ok" onClick={() => onClose(true)}>
            {state.ok}
          </button>
        </div>
      </div>
    </div>
  );
}
