// The members: status, who you are, rename, remove (lost phone), and whether each has
// received what this phone sent, in plain words (./../core/syncText: memberSync). People
// who will not install the app are added by name (placeholders): marked as such, they
// share expenses; whoever joins as them later claims the name (./ClaimOffer).
import { useMemo, useState } from "preact/hooks";
import { problemText } from "../core/errors";
import { memberSync, memberSyncText } from "../core/syncText";
import type { MemberId } from "../core/types";
import { claim } from "./ClaimOffer";
import { endClaimOffer } from "../core/claimOffer";
import { isolate, memberIds, nameOf, useGroup } from "./context";
import { loadPayDetails } from "./lazy";
import { readOnly } from "./Removed";
import { SafetyCodes } from "./SafetyCodes";
import { t } from "../i18n";
import { tb } from "../i18n/jsx";

export function Members() {
  const { api, state, version, mutate, toast, problem, confirm, sync, showInvite } = useGroup();
  const me = api.me();
  const locked = readOnly(state);
  const pending = useMemo(() => api.pending(), [api, version, sync.lastMs]);
  const lastActive = useMemo(() => api.lastActive(), [api, version]);
  const [renaming, setRenaming] = useState<MemberId | null>(null);
  const [newName, setNewName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState("");
  const [paying, setPaying] = useState<{ member: MemberId; mod: typeof import("./PayDetails") } | null>(null);
  const openPay = (member: MemberId) => loadPayDetails().then((mod) => setPaying({ member, mod }), (e: unknown) => problem(e));
  const [addError, setAddError] = useState<string | null>(null);

  const claimAs = async (m: MemberId) => {
    const name = isolate(state.members[m]?.name ?? "");
    if (!(await confirm(t("members.claimConfirm", { name }), t("members.iAm", { name })))) return;
    try {
      await mutate((a, now) => claim(a, m, now));
      endClaimOffer(api.groupKey());
      toast(t("members.claimed", { name }));
    } catch (err) {
      setError(problemText(err));
    }
  };

  const add = async (e: Event) => {
    e.preventDefault();
    const name = adding.trim();
    if (!name) return setAddError(t("members.enterName"));
    if (Object.values(state.members).some((m) => m.status === "active" && m.name.trim().toLocaleLowerCase() === name.toLocaleLowerCase())) {
      return setAddError(t("members.nameTaken", { name: isolate(name) }));
    }
    try {
      await mutate((a, now) => a.addPlaceholder(name, now));
      setAdding("");
      setAddError(null);
      toast(t("members.added", { name: isolate(name) }));
    } catch (err) {
      setAddError(problemText(err));
    }
  };

  const rename = async (e: Event) => {
    e.preventDefault();
    if (!renaming) return;
    try {
      await mutate((a, now) => a.renameMember(renaming, newName.trim(), now));
      setRenaming(null);
      setError(null);
    } catch (err) {
      setError(problemText(err));
    }
  };

  const remove = async (m: MemberId) => {
    const name = isolate(state.members[m]?.name ?? t("members.thisMember"));
    const why = state.members[m]?.placeholder
      ? t("members.removePlaceholder", { name })
      : t("members.removeMember", { name });
    if (!(await confirm(why, t("common.remove")))) return;
    try {
      await mutate((a, now) => a.removeMember(m, now));
      toast(t("members.removed", { name }));
    } catch (err) {
      problem(err);
    }
  };

  return (
    <section class="stack">
      <div class="row between">
        <h2>{t("members.title")}</h2>
        {!locked && (
          <button type="button" onClick={showInvite}>
            {t("common.invitePeople")}
          </button>
        )}
      </div>
      <ul class="list card">
        {memberIds(state, me).map((m) => {
          const member = state.members[m];
          if (!member) return null;
          return (
            <li key={m} class="member" data-testid="member-row" data-status={member.status}>
              {renaming === m ? (
                <form class="row grow" onSubmit={rename}>
                  <label class="grow">
                    <span>
                      {t("members.newName")} <bdi>{member.name}</bdi>
                    </span>
                    <input value={newName} onInput={(e) => setNewName(e.currentTarget.value)} autoFocus />
                  </label>
                  <button type="submit" class="primary">
                    {t("common.save")}
                  </button>
                  <button type="button" onClick={() => setRenaming(null)}>
                    {t("common.cancel")}
                  </button>
                </form>
              ) : (
                <>
                  <span class="main">
                    <span class="title">
                      <bdi>{member.name}</bdi>
                      {m === me && <span class="badge">{t("members.you")}</span>}
                      {member.placeholder && <span class="badge">{t("members.nameOnly")}</span>}
                    </span>
                    {member.placeholder ? (
                      <span class="sub muted" data-testid="member-sync">
                        {member.status === "claimed" ? (
                          tb("members.nowJoined", { name: nameOf(state, member.claimed_by ?? "", me) })
                        ) : (
                          t("members.byName")
                        )}
                      </span>
                    ) : (
                      <span class="sub muted" data-testid="member-sync">
                        {memberSyncText(memberSync(m, me, state, pending), m === me ? undefined : lastActive[m])}
                      </span>
                    )}
                  </span>
                  {member.status === "active" && !locked && (
                    <span class="actions">
                      <button
                        type="button"
                        onClick={() => {
                          setRenaming(m);
                          setNewName(member.name);
                          setError(null);
                        }}
                        aria-label={t("members.renameLabel", { name: member.name })}
                      >
                        {t("members.rename")}
                      </button>
                      {(m === me || member.placeholder) && (
                        <button type="button" onClick={() => void openPay(m)} aria-label={m === me ? t("members.howToPayMe") : t("members.howToPayLabel", { name: member.name })}>
                          {t("members.howToPay")}
                        </button>
                      )}
                      {member.placeholder && state.members[me]?.status === "active" && (
                        <button type="button" onClick={() => void claimAs(m)} aria-label={t("members.thatsMeLabel", { name: member.name })}>
                          {t("members.thatsMe")}
                        </button>
                      )}
                      {m !== me && (
                        <button type="button" class="danger" onClick={() => void remove(m)} aria-label={t("members.removeLabel", { name: member.name })}>
                          {t("common.remove")}
                        </button>
                      )}
                    </span>
                  )}
                </>
              )}
            </li>
          );
        })}
      </ul>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <SafetyCodes />
      {paying && <paying.mod.PayDetails member={paying.member} onClose={() => setPaying(null)} />}
      {!locked && (
        <form class="card stack" onSubmit={add} noValidate data-testid="add-placeholder">
          <h3>{t("members.withoutApp")}</h3>
          <label>
            {t("members.theirName")}
            <input value={adding} onInput={(e) => setAdding(e.currentTarget.value)} autoComplete="off" aria-describedby="placeholder-hint" />
          </label>
          <p id="placeholder-hint" class="hint muted">
            {t("members.placeholderHint")}
          </p>
          {addError && (
            <p class="error" role="alert" data-testid="add-placeholder-error">
              {addError}
            </p>
          )}
          <button type="submit">{t("members.addByName")}</button>
        </form>
      )}
    </section>
  );
}
