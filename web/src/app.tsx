// The app root: the first-screen module is there from the first paint (the shell shows
// the current group read-only from it), then the wasm core loads, lazily, and the shell
// hands over to it (groups, screens, sync, every write).
import { useEffect, useMemo, useState } from "preact/hooks";
import { loadCore, sharingKernel } from "./core/wasm";
import { idbStore } from "./core/storage";
import type { GroupFactory } from "./core/types";
import { Shell } from "./ui/Shell";

export function App() {
  const [factory, setFactory] = useState<GroupFactory | null>(null);
  const [coreError, setCoreError] = useState<string | null>(null);
  const [kernel, setKernel] = useState("loading…");
  const store = useMemo(idbStore, []);

  useEffect(() => {
    void (async () => {
      try {
        setFactory(await loadCore());
        setKernel(sharingKernel());
      } catch (e) {
        setCoreError(e instanceof Error ? e.message : String(e));
        setKernel(`failed to load: ${String(e)}`);
      }
    })();
  }, []);

  return <Shell factory={factory} coreError={coreError} store={store} kernel={kernel} />;
}
