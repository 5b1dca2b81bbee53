// A member removed by another: this phone is told who removed it ("You were removed from
// Lisbon trip by Alice"), keeps a read-only copy it can export (Settings), and can remove
// the group from this phone. Adding and editing are hidden on every screen (`readOnly`);
// an expense opens read-only (./ExpenseDetail, loaded when opened) instead of in the editor.
import { useState } from "preact/hooks";
import type { GroupState } from "../core/types";
import { isolate, useGroup } from "./context";
import { t } from "../i18n";
import { tb } from "../i18n/jsx";

/** The group cannot be changed from this phone: its member was removed. */
export function readOnly(state: GroupState): boolean {
  return state.device.removed !== undefined;
}

export function Removed({ onRemove, onExport }: { onRemove: (key: string) => Promise<void>; onExport: () => void }) {
  const { api, state, confirm, problem } = useGroup();
  const [busy, setBusy] = useState(false);
  const removed = state.device.removed;
  if (!removed) return null;
  const remove = async () => {
    if (!(await confirm(t("removed.confirm", { group: isolate(removed.group) }), t("settings.removeFromPhone")))) return;
    setBusy(true);
    try {
      await onRemove(api.groupKey());
    } catch (err) {
      problem(err);
      setBusy(false);
    }
  };
  return (
    <section class="card stack" role="status" data-testid="removed">
      <h2>{tb("removed.title", { group: removed.group, name: removed.byName })}</h2>
      <p class="muted">{t("removed.body")}</p>
      <div class="row">
        <button type="button" onClick={onExport}>
          {t("removed.export")}
        </button>
        <button type="button" class="danger" disabled={busy} onClick={() => void remove()}>
          {t("settings.removeFromPhone")}
        </button>
      </div>
    </section>
  );
}
