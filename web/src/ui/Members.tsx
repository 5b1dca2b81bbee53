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

export function Members() {
  const { api, state, version, mutate, toast, problem, confirm, sync, showInvite } = useGroup();
  const me = api.me();
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
    if (!(await confirm(`Are you ${name}? What was recorded for ${name} becomes yours, on every phone in the group.`, `I am ${name}`))) return;
    try {
      await mutate((a, now) => claim(a, m, now));
      endClaimOffer(api.groupKey());
      toast(`You are ${name}: what was recorded for them is yours now`);
    } catch (err) {
      setError(problemText(err));
    }
  };

  const add = async (e: Event) => {
    e.preventDefault();
    const name = adding.trim();
    if (!name) return setAddError("Enter their name.");
    if (Object.values(state.members).some((m) => m.status === "active" && m.name.trim().toLocaleLowerCase() === name.toLocaleLowerCase())) {
      return setAddError(`${isolate(name)} is already in the group. Give each person a name the others can tell apart.`);
    }
    try {
      await mutate((a, now) => a.addPlaceholder(name, now));
      setAdding("");
      setAddError(null);
      toast(`${isolate(name)} added`);
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
    const name = isolate(state.members[m]?.name ?? "this member");
    const why = state.members[m]?.placeholder
      ? `Remove ${name}? They are no longer offered in new expenses. What was recorded for them stays.`
      : `Remove ${name}? Do this for a lost phone: the others stop waiting for it. Their expenses stay.`;
    if (!(await confirm(why, "Remove"))) return;
    try {
      await mutate((a, now) => a.removeMember(m, now));
      toast(`${name} removed`);
    } catch (err) {
      problem(err);
    }
  };

  return (
    <section class="stack">
      <div class="row between">
        <h2>Members</h2>
        <button type="button" onClick={showInvite}>
          Invite people
        </button>
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
                      New name for <bdi>{member.name}</bdi>
                    </span>
                    <input value={newName} onInput={(e) => setNewName(e.currentTarget.value)} autoFocus />
                  </label>
                  <button type="submit" class="primary">
                    Save
                  </button>
                  <button type="button" onClick={() => setRenaming(null)}>
                    Cancel
                  </button>
                </form>
              ) : (
                <>
                  <span class="main">
                    <span class="title">
                      <bdi>{member.name}</bdi>
                      {m === me && <span class="badge">you</span>}
                      {member.placeholder && <span class="badge">name only</span>}
                    </span>
                    {member.placeholder ? (
                      <span class="sub muted" data-testid="member-sync">
                        {member.status === "claimed" ? (
                          <>
                            now <bdi>{nameOf(state, member.claimed_by ?? "", me)}</bdi>, who joined
                          </>
                        ) : (
                          "added by name: shares expenses without the app"
                        )}
                      </span>
                    ) : (
                      <span class="sub muted" data-testid="member-sync">
                        {memberSyncText(memberSync(m, me, state, pending), m === me ? undefined : lastActive[m])}
                      </span>
                    )}
                  </span>
                  {member.status === "active" && (
                    <span class="actions">
                      <button
                        type="button"
                        onClick={() => {
                          setRenaming(m);
                          setNewName(member.name);
                          setError(null);
                        }}
                        aria-label={`Rename ${member.name}`}
                      >
                        Rename
                      </button>
                      {(m === me || member.placeholder) && (
                        <button type="button" onClick={() => void openPay(m)} aria-label={m === me ? "How to pay me" : `How to pay ${member.name}`}>
                          How to pay
                        </button>
                      )}
                      {member.placeholder && state.members[me]?.status === "active" && (
                        <button type="button" onClick={() => void claimAs(m)} aria-label={`That's me: ${member.name}`}>
                          That's me
                        </button>
                      )}
                      {m !== me && (
                        <button type="button" class="danger" onClick={() => void remove(m)} aria-label={`Remove ${member.name}`}>
                          Remove
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
      {paying && <paying.mod.PayDetails member={paying.member} onClose={() => setPaying(null)} />}
      <form class="card stack" onSubmit={add} noValidate data-testid="add-placeholder">
        <h3>Someone without the app</h3>
        <label>
          Their name
          <input value={adding} onInput={(e) => setAdding(e.currentTarget.value)} autoComplete="off" aria-describedby="placeholder-hint" />
        </label>
        <p id="placeholder-hint" class="hint muted">
          They share expenses and have a balance; anyone records for them. If they install the app later, they join and say which name is theirs.
        </p>
        {addError && (
          <p class="error" role="alert" data-testid="add-placeholder-error">
            {addError}
          </p>
        )}
        <button type="submit">Add by name</button>
      </form>
    </section>
  );
}
