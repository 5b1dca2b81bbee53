// Inviting someone: the link (the group secret is only in its fragment), copy, share, QR.
import { useState } from "preact/hooks";
import { useGroup } from "./context";
import { Qr } from "./Qr";
import { t } from "../i18n";
import { tb } from "../i18n/jsx";

/** `first`: the screen right after creating the group (its next step is the list). */
export function Invite({ onDone, first = false }: { onDone: () => void; first?: boolean }) {
  const { api, state, appUrl } = useGroup();
  const link = api.inviteLink(appUrl);
  const [copied, setCopied] = useState<string | null>(null);
  const name = api.name();

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied(t("invite.copied"));
    } catch {
      setCopied(t("invite.copyFailed"));
    }
  };
  const share = async () => {
    try {
      await navigator.share({ title: t("invite.shareTitle", { group: name }), url: link });
    } catch {
      /* cancelled */
    }
  };
  const canShare = typeof navigator !== "undefined" && typeof navigator.share === "function";

  return (
    <section class={first ? "card stack invite" : "stack invite"}>
      {first ? (
        <h2>{tb("invite.ready", { group: name })}</h2>
      ) : (
        <p>{tb("invite.to", { group: name })}</p>
      )}
      <p class="muted">{t("invite.intro")}</p>
      <label>
        {t("invite.link")}
        <input readOnly value={link} data-testid="invite-link" onFocus={(e) => e.currentTarget.select()} />
      </label>
      <div class="row">
        <button type="button" onClick={copy}>
          {t("invite.copy")}
        </button>
        {canShare && (
          <button type="button" onClick={share}>
            {t("invite.share")}
          </button>
        )}
      </div>
      {copied && <p role="status">{copied}</p>}
      <Qr text={link} label={t("invite.qr", { group: name })} />
      <button type="button" class="primary" onClick={onDone}>
        {first ? t("invite.continue") : t("invite.done")}
      </button>
    </section>
  );
}
