// A member who joined under a name another active member already has: the others would
// see two of them. A new member learns the names only when the history arrives, so the
// warning shows from then on, until they rename themselves or keep the name.
import { useState } from "preact/hooks";
import type { GroupState, MemberId } from "../core/types";
import { useGroup } from "./context";
import { t } from "../i18n";
import { tb } from "../i18n/jsx";

const same = (a: string, b: string) => a.trim().normalize("NFC").toLocaleLowerCase() === b.trim().normalize("NFC").toLocaleLowerCase();

/** Whether another active member has `me`'s name. */
export function nameTaken(state: GroupState, me: MemberId): boolean {
  const mine = state.members[me];
  if (!mine || mine.status !== "active") return false;
  return Object.entries(state.members).some(([id, m]) => id !== me && m.status === "active" && same(m.name, mine.name));
}

export function DuplicateName({ onRename }: { onRename: () => void }) {
  const { api, state } = useGroup();
  const me = api.me();
  const [kept, setKept] = useState<string | null>(null);
  const name = state.members[me]?.name ?? "";
  if (!nameTaken(state, me) || kept === `${api.groupKey()}:${name}`) return null;
  return (
    <div class="card notice" role="alert" data-testid="duplicate-name">
      <p>{tb("duplicate.text", { group: api.name(), name })}</p>
      <div class="row">
        <button type="button" class="primary" onClick={onRename}>
          {t("duplicate.rename")}
        </button>
        <button type="button" onClick={() => setKept(`${api.groupKey()}:${name}`)}>
          {t("duplicate.keep")}
        </button>
      </div>
    </div>
  );
}
