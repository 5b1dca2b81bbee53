// "Across groups", in the group list when this device holds two or more groups: per
// person, what they owe you or you owe them over all the groups, per currency (never
// added across currencies). The same name in two groups is only a suggestion until the
// user taps "Same person"; those links stay on this device (core/across.ts).
import { useEffect, useMemo, useState } from "preact/hooks";
import { acrossView, confirmLink, loadLinks, saveLinks, unlink, type AcrossGroup, type Link, type PersonTotal } from "../core/across";
import { formatMoney } from "../core/format";
import type { GroupEntry, StoredGroup } from "../core/storage";
import type { GroupFactory } from "../core/types";
import { t } from "../i18n";
import { tb } from "../i18n/jsx";
import { groupCurrency, isolate } from "./context";

// Each group read once per saved revision: a loaded client's wasm memory is not given
// back (GroupApi has no free), so opening the list again must not load every group again.
const cache = new Map<string, { rev: number; updatedMs: number; factory: GroupFactory; read: AcrossGroup | null }>();

/** What the section reads of one saved group; `null` if its record cannot be opened here. */
async function readGroup(factory: GroupFactory, g: GroupEntry, load: (key: string) => Promise<StoredGroup | undefined>): Promise<AcrossGroup | null> {
  const rev = g.rev ?? 0;
  const hit = cache.get(g.key);
  if (hit && hit.rev === rev && hit.updatedMs === g.updatedMs && hit.factory === factory) return hit.read;
  const saved = await load(g.key).catch(() => undefined);
  const read = saved ? loadGroup(factory, saved) : null;
  cache.set(g.key, { rev, updatedMs: g.updatedMs, factory, read });
  return read;
}

function loadGroup(factory: GroupFactory, g: StoredGroup): AcrossGroup | null {
  try {
    const api = factory.load(g.saved);
    const state = api.state();
    const me = api.me();
    const transfers = api.settleUp();
    const owing = new Set(transfers.flatMap((tr) => [tr.from, tr.to]));
    const members: Record<string, string> = {};
    for (const [id, m] of Object.entries(state.members)) {
      if (id !== me && (m.status === "active" || owing.has(id))) members[id] = m.name;
    }
    return { key: g.key, name: api.name(), currency: groupCurrency(state), me, members, transfers };
  } catch {
    return null;
  }
}

const amounts = (net: [string, number][], sign: 1 | -1) =>
  net
    .filter(([, v]) => v * sign > 0)
    .map(([c, v]) => formatMoney(v * sign, c))
    .join(" · ");

function PersonLine({ p }: { p: PersonTotal }) {
  const owesYou = amounts(p.net, 1);
  const youOwe = amounts(p.net, -1);
  return (
    <span class="grow">
      {owesYou && <span class="pos">{tb("across.owesYou", { name: p.name, amounts: owesYou })}</span>}
      {owesYou && youOwe && <br />}
      {youOwe && <span class="neg">{tb("across.youOwe", { name: p.name, amounts: youOwe })}</span>}
      {!owesYou && !youOwe && <span class="muted">{tb("across.even", { name: p.name })}</span>}
    </span>
  );
}

export function Across({ groups, factory, load }: { groups: GroupEntry[]; factory: GroupFactory; load: (key: string) => Promise<StoredGroup | undefined> }) {
  const [read, setRead] = useState<AcrossGroup[]>([]);
  useEffect(() => {
    let live = true;
    void Promise.all(groups.map((g) => readGroup(factory, g, load))).then((all) => {
      if (live) setRead(all.filter((g): g is AcrossGroup => g !== null));
    });
    return () => {
      live = false;
    };
  }, [groups, factory, load]);
  const [links, setLinks] = useState<Link[]>(() => loadLinks());
  const view = useMemo(() => acrossView(read, links), [read, links]);
  if (read.length < 2) return null;
  const nameOfGroup = (key: string) => read.find((g) => g.key === key)?.name ?? "";
  const groupsOf = (refs: { group: string }[]) => refs.map((r) => isolate(nameOfGroup(r.group))).join(", ");
  const change = (next: Link[]) => {
    saveLinks(next);
    setLinks(next);
  };
  return (
    <section class="stack" aria-labelledby="across-title" data-testid="across">
      <h2 id="across-title">{t("across.title")}</h2>
      {view.suggestions.map((s) => (
        <div key={s.refs.map((r) => `${r.group}/${r.member}`).join()} class="card row between" data-testid="across-suggestion">
          <span class="grow">{tb("across.suggest", { name: s.name, groups: groupsOf(s.refs) })}</span>
          <button type="button" onClick={() => change(confirmLink(links, s.refs))}>
            {t("across.same")}
          </button>
        </div>
      ))}
      {view.linked.length > 0 && (
        <ul class="list card">
          {view.linked.map((p) => (
            <li key={p.refs.map((r) => `${r.group}/${r.member}`).join()} data-testid="across-person">
              <PersonLine p={p} />
              <span class="sub muted">{t("across.inGroups", { groups: groupsOf(p.refs) })}</span>
              <button type="button" class="link" onClick={() => p.refs[0] && change(unlink(links, p.refs[0]))} aria-label={t("across.unlinkLabel", { name: isolate(p.name) })}>
                {t("across.unlink")}
              </button>
            </li>
          ))}
        </ul>
      )}
      {view.byGroup.map((g) => (
        <div key={g.key} class="stack" data-testid="across-group">
          <h3>
            <bdi>{g.name}</bdi>
          </h3>
          <ul class="list card">
            {g.people.map((p) => (
              <li key={p.refs[0]?.member} data-testid="across-unlinked">
                <PersonLine p={p} />
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
