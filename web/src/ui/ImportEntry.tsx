// Settings → Import: a button until the user asks; then the import screen (./Import) and
// its wasm module load, so neither weighs on the app's first load.
import { useState } from "preact/hooks";
import { problemText } from "../core/errors";
import { t } from "../i18n";

type Screen = typeof import("./Import").ImportSection;

export function ImportEntry() {
  const [Section, setSection] = useState<Screen | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (Section) return <Section />;
  const open = () =>
    void import("./Import").then(
      (m) => setSection(() => m.ImportSection),
      (err: unknown) => setError(problemText(err)),
    );
  return (
    <section class="card stack">
      <h2>{t("import.entryTitle")}</h2>
      <p class="muted">{t("import.entryIntro")}</p>
      <button type="button" onClick={open}>
        {t("import.title")}
      </button>
      {error && <p role="alert">{error}</p>}
    </section>
  );
}
