// "Add to Home Screen", guided, once: Safari on iPhone has no install prompt, and a
// Safari tab's storage can be cleared after days without a visit (the ledger may live only
// here). Shown in a Safari tab on an iPhone or iPad, never when installed; "Not now" hides
// it on this device for good.
import { useState } from "preact/hooks";
import { dismissInstallGuide, installGuideDismissed, needsInstallGuide, type InstallEnv } from "../core/install";
import { t } from "../i18n";

export function InstallGuide({ env }: { env: InstallEnv }) {
  const [hidden, setHidden] = useState(() => !needsInstallGuide(env) || installGuideDismissed());
  const [steps, setSteps] = useState(false);
  if (hidden) return null;
  return (
    <section class="card notice" aria-labelledby="install-guide-title" data-testid="install-guide">
      <h2 id="install-guide-title" class="notice-line">
        {t("install.title", { device: /\biPad\b|Macintosh/.test(env.userAgent) ? "iPad" : "iPhone" })}
      </h2>
      <p>{t("install.why")}</p>
      {steps && (
        <ol data-testid="install-steps">
          <li>
            {t("install.step1")} <span aria-hidden="true">{t("install.step1Icon")}</span> {t("install.step1End")}
          </li>
          <li>{t("install.step2")}</li>
          <li>{t("install.step3")}</li>
        </ol>
      )}
      <div class="row">
        {!steps && (
          <button type="button" class="primary" onClick={() => setSteps(true)}>
            {t("install.show")}
          </button>
        )}
        <button
          type="button"
          onClick={() => {
            dismissInstallGuide();
            setHidden(true);
          }}
        >
          {steps ? t("invite.done") : t("install.notNow")}
        </button>
      </div>
    </section>
  );
}
