// About the app, and the diagnostics that used to sit on the first screens: which sharing
// core runs, whether storage is kept, the relays a new group starts with. For the curious
// and for bug reports; none of it is needed to use the app.
import { useEffect, useState } from "preact/hooks";
import { parseRelays } from "../relays";
import { Sheet } from "./Sheet";
import { isStandalone } from "../core/install";

export function About({ kernel, onClose }: { kernel: string; onClose: () => void }) {
  const [persisted, setPersisted] = useState<boolean | null>(null);
  useEffect(() => {
    void navigator.storage
      ?.persisted?.()
      .then(setPersisted)
      .catch(() => setPersisted(null));
  }, []);
  return (
    <Sheet title="About GFMS" onClose={onClose} testid="about">
      <div class="stack" data-jargon-ok="relay batch simd">
        <p>
          GFMS keeps a group's shared expenses on each member's phone. There is no account and no central server: changes travel encrypted, cut into pieces, through a few
          independent relays that each hold one unreadable piece for a short time.
        </p>
        <h3>Diagnostics</h3>
        <dl class="facts card">
          <dt>Sharing core</dt>
          <dd id="kernel">{kernel}</dd>
          <dt>Storage on this phone</dt>
          <dd>{persisted === null ? "unknown" : persisted ? "kept (persistent)" : "may be cleared by the browser when space runs low"}</dd>
          <dt>Opened as</dt>
          <dd>{isStandalone() ? "installed app" : "browser tab"}</dd>
          <dt>Relays for new groups</dt>
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
