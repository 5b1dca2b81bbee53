// The groups on this phone, to switch between them: each with who is in it, so two groups
// of the same name ("Flat", "Trip") are told apart; then "New group" and "Join a group";
// with two groups or more, what each person owes you or you owe them across them all.
import type { GroupEntry, StoredGroup } from "../core/storage";
import type { GroupFactory } from "../core/types";
import { useEffect, useState } from "preact/hooks";
import { loadAcross } from "./lazy";
import { dayWhen } from "../core/format";
import { Sheet } from "./Sheet";
import { t } from "../i18n";

interface Props {
  groups: GroupEntry[];
  current: string | null;
  onChoose: (choice: string) => void;
  onClose: () => void;
  /** the core, to read each group's balances for "Across groups" (absent: no section) */
  factory?: GroupFactory | null;
  /** opens a group's saved copy, for "Across groups" (../core/storage `loadGroup`) */
  load?: (key: string) => Promise<StoredGroup | undefined>;
}

/** The line under a group's name: its members (each isolated), when it was last used here. */
export function GroupSubline({ group, now = new Date() }: { group: GroupEntry; now?: Date }) {
  const members = group.members ?? [];
  return (
    <span class="sub muted">
      {members.map((m, i) => (
        <span key={i}>
          <bdi>{m}</bdi>
          {i < members.length - 1 ? ", " : " · "}
        </span>
      ))}
      {t("groups.lastUsed", { when: dayWhen(group.updatedMs, now) })}
    </span>
  );
}

/** ./Across once loaded, when `want` (it is not in the first load: most phones hold one
 * group); a failed load (offline before it was cached) leaves the list without it. */
function useAcross(want: boolean): typeof import("./Across") | null {
  const [mod, setMod] = useState<typeof import("./Across") | null>(null);
  useEffect(() => {
    if (!want || mod) return;
    let live = true;
    loadAcross().then(
      (m) => live && setMod(m),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [want, mod]);
  return mod;
}

export function GroupList({ groups, current, onChoose, onClose, factory, load }: Props) {
  const across = useAcross(Boolean(factory && load) && groups.length >= 2);
  const sorted = groups.slice().sort((a, b) => a.name.localeCompare(b.name) || b.updatedMs - a.updatedMs);
  return (
    <Sheet title={t("groups.title")} onClose={onClose} testid="group-list">
      <div class="stack">
        <ul class="list card">
          {sorted.map((g) => (
            <li key={g.key}>
              <button type="button" class="group-choice" data-testid="group-choice" aria-current={g.key === current ? "true" : undefined} onClick={() => onChoose(g.key)}>
                <span class="main">
                  <span class="title">
                    <bdi>{g.name}</bdi>
                    {g.key === current && <span class="badge">{t("groups.open")}</span>}
                  </span>
                  <GroupSubline group={g} />
                </span>
              </button>
            </li>
          ))}
        </ul>
        <div class="row">
          <button type="button" class="primary grow" onClick={() => onChoose("new")}>
            {t("groups.new")}
          </button>
          <button type="button" class="grow" onClick={() => onChoose("join")}>
            {t("groups.join")}
          </button>
        </div>
        {across && factory && load && groups.length >= 2 && <across.Across groups={groups} factory={factory} load={load} />}
      </div>
    </Sheet>
  );
}
