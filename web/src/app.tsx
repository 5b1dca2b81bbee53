// The app root: loads the wasm core, then hands over to the shell (groups, screens, sync).
import { useEffect, useMemo, useState } from "preact/hooks";
import { initWasm, loadCore } from "./core/wasm";
import { idbStore } from "./core/storage";
import type { GroupFactory } from "./core/types";
import { Shell } from "./ui/Shell";
import { sharingKernel } from "./wasm/gfms_client.js";

export function App() {
  const [factory, setFactory] = useState<GroupFactory | null>(null);
  const [coreError, setCoreError] = useState<string | null>(null);
  const [kernel, setKernel] = useState("loading…");
  const store = useMemo(idbStore, []);

  useEffect(() => {
    void (async () => {
      try {
        setFactory(await loadCore());
      } catch (e) {
        setCoreError(e instanceof Error ? e.message : String(e));
      }
      // after loadCore (which initialises the module), so it is instantiated once
      try {
        await initWasm();
        setKernel(sharingKernel());
      } catch (e) {
        setKernel(`failed to load: ${String(e)}`);
      }
    })();
  }, []);

  return <Shell factory={factory} coreError={coreError} store={store} kernel={kernel} />;
}
