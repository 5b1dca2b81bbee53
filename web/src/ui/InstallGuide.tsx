// "Add to Home Screen", guided, once: Safari on iPhone has no install prompt, and a
// Safari tab's storage can be cleared after days without a visit (the ledger may live only
// here). Shown in a Safari tab on an iPhone or iPad, never when installed; "Not now" hides
// it on this device for good.
import { useState } from "preact/hooks";
import { dismissInstallGuide, installGuideDismissed, needsInstallGuide, type InstallEnv } from "../core/install";

export function InstallGuide({ env }: { env: InstallEnv }) {
  const [hidden, setHidden] = useState(() => !needsInstallGuide(env) || installGuideDismissed());
  const [steps, setSteps] = useState(false);
  if (hidden) return null;
  return (
    <section class="card notice" aria-labelledby="install-guide-title" data-testid="install-guide">
      <h2 id="install-guide-title" class="notice-line">
        Install GFMS on this {/\biPad\b|Macintosh/.test(env.userAgent) ? "iPad" : "iPhone"}
      </h2>
      <p>
        Your group’s records are kept on this device. In a Safari tab, Safari may clear them after some days without a visit; installed, the app keeps them and can
        notify you of new expenses.
      </p>
      {steps && (
        <ol data-testid="install-steps">
          <li>
            Tap the Share button <span aria-hidden="true">(the square with an arrow)</span> in Safari’s toolbar.
          </li>
          <li>Scroll down and tap “Add to Home Screen”.</li>
          <li>Tap “Add”, then open GFMS from your home screen.</li>
        </ol>
      )}
      <div class="row">
        {!steps && (
          <button type="button" class="primary" onClick={() => setSteps(true)}>
            Show me how
          </button>
        )}
        <button
          type="button"
          onClick={() => {
            dismissInstallGuide();
            setHidden(true);
          }}
        >
          {steps ? "Done" : "Not now"}
        </button>
      </div>
    </section>
  );
}
