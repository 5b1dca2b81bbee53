// The app shell. For now it shows the group's relays and whether each answers; the
// ledger screens build on the client library's facade (issue: the PWA).
import { useEffect, useState } from "preact/hooks";
import init, { sharingKernel } from "./wasm/gfms_client.js";
import { checkRelay, formatTtl, parseRelays, type RelayState } from "./relays";

const RELAYS = parseRelays(__GFMS_DEFAULT_RELAYS__);

export function App() {
  const [relays, setRelays] = useState<RelayState[]>(RELAYS.map((url) => ({ url, state: "checking" })));
  const [kernel, setKernel] = useState<string>("loading…");

  useEffect(() => {
    init()
      .then(() => setKernel(sharingKernel()))
      .catch((e: unknown) => setKernel(`failed to load: ${String(e)}`));
    void Promise.all(RELAYS.map((url) => checkRelay(url))).then(setRelays);
  }, []);

  return (
    <main>
      <header>
        <h1>GFMS</h1>
        <p>Group finances with no central server.</p>
      </header>
      <section aria-labelledby="relays-title">
        <h2 id="relays-title">Relays</h2>
        <ul class="relays">
          {relays.map((r) => (
            <li key={r.url} data-state={r.state}>
              <span class="url">{r.url}</span>
              <span class="state">
                {r.state === "checking" && "checking…"}
                {r.state === "up" && `up · ${r.millis} ms · keeps shares ${formatTtl(r.health.ttl_seconds)}`}
                {r.state === "down" && `down · ${r.reason}`}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <footer>
        <small>
          Sharing core: <span id="kernel">{kernel}</span>
        </small>
      </footer>
    </main>
  );
}
