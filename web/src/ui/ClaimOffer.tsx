// "Are you one of these?": a phone that joined a group where people were added by name
// (placeholders) offers to claim one, once the history has arrived, so what the others
// recorded for "Dan" becomes the new member's own. Claimed by someone else meanwhile (a
// second phone, another tab), the claim is refused with a sentence saying who has it.
import { useState } from "preact/hooks";
import { claimOffered, endClaimOffer } from "../core/claimOffer";
import { problemText } from "../core/errors";
import type { GroupApi, GroupState, MemberId } from "../core/types";
import { isolate, nameOf, useGroup } from "./context";
import { t } from "../i18n";
import { tb } from "../i18n/jsx";

/** Name-only members nobody claimed yet, by name. */
export function unclaimed(state: GroupState): [MemberId, string][] {
  return Object.entries(state.members)
    .filter(([, m]) => m.placeholder && m.status === "active")
    .map(([id, m]): [MemberId, string] => [id, m.name])
    .sort(([, a], [, b]) => a.localeCompare(b));
}

/** Claims `placeholder` for this phone's member, on the newest state: a claim someone else made first is said as such. */
export function claim(a: GroupApi, placeholder: MemberId, now: number): void {
  const s = a.state();
  const p = s.members[placeholder];
  if (p?.status === "claimed") {
    if (p.claimed_by === a.me()) throw new Error(t("claim.byYou", { name: isolate(p.name) }));
    throw new Error(t("claim.byOther", { name: isolate(p.name), by: isolate(nameOf(s, p.claimed_by ?? "")) }));
  }
  a.claimPlaceholder(placeholder, now);
}

export function ClaimOffer() {
  const { api, state, mutate, toast } = useGroup();
  const key = api.groupKey();
  const [shown, setShown] = useState(() => claimOffered(key));
  const [error, setError] = useState<string | null>(null);
  const people = unclaimed(state);
  if (!shown || (people.length === 0 && !error) || state.members[api.me()]?.status !== "active") return null;

  const pick = async (id: MemberId, name: string) => {
    try {
      await mutate((a, now) => claim(a, id, now));
      endClaimOffer(key);
      setShown(false);
      toast(t("members.claimed", { name: isolate(name) }));
    } catch (e) {
      setError(problemText(e));
    }
  };

  return (
    <div class="card notice stack" role="region" aria-label={t("claim.region")} data-testid="claim-offer">
      <p>{tb("claim.intro", { group: api.name() })}</p>
      <div class="row wrap">
        {people.map(([id, name]) => (
          <button key={id} type="button" class="primary" onClick={() => void pick(id, name)}>
            {tb("members.iAm", { name })}
          </button>
        ))}
        <button
          type="button"
          onClick={() => {
            endClaimOffer(key);
            setShown(false);
          }}
        >
          {t("claim.none")}
        </button>
      </div>
      {error && (
        <p class="error" role="alert" data-testid="claim-error">
          {error}
        </p>
      )}
    </div>
  );
}
