// About the app, and the diagnostics that used to sit on the first screens: which sharing
// core runs, whether storage is kept, the relays a new group starts with. For the curious
// and for bug reports; none of it is needed to use the app.
import { useEffect, useState } from "preact/hooks";
import { parseRelays } from "../relays";
import { Sheet } from "./Sheet";
import { isStandalone } from "../core/install";
import { t } from "../i18n";

export function About({ kernel, onClose }: { kernel: string; onClose: () => void }) {
  const [persisted, setPersisted] = useState<boolean | null>(null);
  useEffect(() => {
    void navigator.storage
      ?.persisted?.()
      .then(setPersisted)
      .catch(() => setPersisted(null));
  }, []);
  return (
    <Sheet title={t("about.title")} onClose={onClose} testid="about">
      <div class="stack" data-jargon-ok="relay batch simd">
        <p>{t("about.intro")}</p>
        <h3>{t("about.diagnostics")}</h3>
        <dl class="facts card">
          <dt>{t("about.core")}</dt>
          <dd id="kernel">{kernel}</dd>
          <dt>{t("about.storage")}</dt>
          <dd>{persisted === null ? t("about.unknown") : persisted ? t("about.persistent") : t("about.mayClear")}</dd>
          <dt>{t("about.openedAs")}</dt>
          <dd>{isStandalone() ? t("about.installed") : t("about.tab")}</dd>
          <dt>{t("about.relays")}</dt>
          <dd>
            {parseRelays(__GFMS_DEFAULT_RELAYS__).map((r) => (
              <span key={r} class="url">
                {r}
              </span>
            ))}
          </dd>
        </dl>
      </div>
    </Sheet>
  );
}
