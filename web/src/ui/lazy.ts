// The history screens (./History) are loaded on first use: the first screen does without.
import { useEffect, useState } from "preact/hooks";

type HistoryModule = typeof import("./History");
let loading: Promise<HistoryModule> | null = null;

/** Loads ./History once; a failed load (offline before it was cached) is tried again next time. */
export function loadHistory(): Promise<HistoryModule> {
  loading ??= import("./History").catch((e: unknown) => {
    loading = null;
    throw e;
  });
  return loading;
}

/** ./History once loaded (null until then, or when `want` is false). */
export function useHistory(want: boolean): HistoryModule | null {
  const [mod, setMod] = useState<HistoryModule | null>(null);
  useEffect(() => {
    if (!want || mod) return;
    let live = true;
    loadHistory().then(
      (m) => live && setMod(m),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [want, mod]);
  return mod;
}
