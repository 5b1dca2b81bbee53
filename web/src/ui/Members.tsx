// The members: status, who you are, rename, remove (lost phone), and whether each has
// received what this phone sent.
import { useMemo, useState } from "preact/hooks";
import { problemText } from "../core/errors";
import type { MemberId, PendingBatch } from "../core/types";
import { memberIds, useGroup } from "./context";
import { Invite } from "./Invite";
import { Sheet } from "./Sheet";

/** "waiting for 2 batches" or "up to date" for a member. */
export function memberSyncText(member: MemberId, pending: PendingBatch[]): string {
  const n = pending.filter((b) => b.missing.includes(member)).length;
  return n === 0 ? "up to date" : `waiting for ${n} batch${n === 1 ? "" : "es"}`;
}

export function Members() {
  const { api, state, version, mutate, toast, confirm, sync } = useGroup();
  const me = api.me();
  const pending = useMemo(() => api.pending(), [api, version, sync.lastMs]);
  const [renaming, setRenaming] = useState<MemberId | null>(null);
  const [newName, setNewName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [inviting, setInviting] = useState(false);

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
    const name = state.members[m]?.name ?? "this member";
    if (!(await confirm(`Remove ${name}? Do this for a lost phone; they stop blocking sync.`, "Remove"))) return;
    try {
      await mutate((a, now) => a.removeMember(m, now));
      toast(`${name} removed`);
    } catch (err) {
      toast(problemText(err));
    }
  };

  return (
    <section class="stack">
      <div class="row between">
        <h2>Members</h2>
        <button type="button" onClick={() => setInviting(true)}>
          Invite someone
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
                    New name for {member.name}
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
                      {member.name}
                      {m === me && <span class="badge">you</span>}
                      {member.status !== "active" && <span class="badge muted">{member.status}</span>}
                    </span>
                    <span class="sub muted" data-testid="member-sync">
                      {m === me ? "this phone" : member.status === "active" ? memberSyncText(m, pending) : "no longer syncs"}
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
      {inviting && (
        <Sheet title="Invite" onClose={() => setInviting(false)}>
          <Invite onDone={() => setInviting(false)} />
        </Sheet>
      )}
    </section>
  );
}
