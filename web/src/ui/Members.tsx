// The members: status, who you are, rename, remove (lost phone), and whether each has
// received what this phone sent, in plain words (./../core/syncText: memberSync).
import { useMemo, useState } from "preact/hooks";
import { problemText } from "../core/errors";
import { memberSync, memberSyncText } from "../core/syncText";
import type { MemberId } from "../core/types";
import { isolate, memberIds, useGroup } from "./context";

export function Members() {
  const { api, state, version, mutate, toast, problem, confirm, sync, showInvite } = useGroup();
  const me = api.me();
  const pending = useMemo(() => api.pending(), [api, version, sync.lastMs]);
  const lastActive = useMemo(() => api.lastActive(), [api, version]);
  const [renaming, setRenaming] = useState<MemberId | null>(null);
  const [newName, setNewName] = useState("");
  const [error, setError] = useState<string | null>(null);

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
    if (!(await confirm(`Remove ${name}? Do this for a lost phone: the others stop waiting for it. Their expenses stay.`, "Remove"))) return;
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
                    </span>
                    <span class="sub muted" data-testid="member-sync">
                      {memberSyncText(memberSync(m, me, state, pending), m === me ? undefined : lastActive[m])}
                    </span>
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
    </section>
  );
}
