// Inviting someone: the link (the group secret is only in its fragment), copy, share, QR.
import { useState } from "preact/hooks";
import { useGroup } from "./context";
import { Qr } from "./Qr";

/** `first`: the screen right after creating the group (its next step is the list). */
export function Invite({ onDone, first = false }: { onDone: () => void; first?: boolean }) {
  const { api, state, appUrl } = useGroup();
  const link = api.inviteLink(appUrl);
  const [copied, setCopied] = useState<string | null>(null);
  const name = api.name();

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied("Copied.");
    } catch {
      setCopied("Copy failed: select the link and copy it by hand.");
    }
  };
  const share = async () => {
    try {
      await navigator.share({ title: `Join ${name} on GFMS`, url: link });
    } catch {
      /* cancelled */
    }
  };
  const canShare = typeof navigator !== "undefined" && typeof navigator.share === "function";

  return (
    <section class={first ? "card stack invite" : "stack invite"}>
      {first ? (
        <h2>
          <bdi>{name}</bdi> is ready. Invite the others
        </h2>
      ) : (
        <p>
          Invite people to <bdi>{name}</bdi>
        </p>
      )}
      <p class="muted">Send them this link, or let them scan the code. Whoever has it can join and read the group, so send it only to the people in it.</p>
      <label>
        Invite link
        <input readOnly value={link} data-testid="invite-link" onFocus={(e) => e.currentTarget.select()} />
      </label>
      <div class="row">
        <button type="button" onClick={copy}>
          Copy
        </button>
        {canShare && (
          <button type="button" onClick={share}>
            Share
          </button>
        )}
      </div>
      {copied && <p role="status">{copied}</p>}
      <Qr text={link} label={`QR code of the invite to ${name}`} />
      <button type="button" class="primary" onClick={onDone}>
        {first ? "Continue" : "Done"}
      </button>
    </section>
  );
}
