// No group yet (or "New group" / "Join a group" from the switcher): create or join.
import { useMemo, useState } from "preact/hooks";
import { problemText } from "../core/errors";
import { CURRENCIES } from "../core/format";
import type { GroupApi, GroupFactory } from "../core/types";
import { parseRelays, relaysAndKeysFromText } from "../relays";
import { ScanDialog } from "./ScanDialog";

export type OnboardingMode = "create" | "join";

interface Props {
  factory: GroupFactory;
  mode: OnboardingMode;
  initialCode?: string;
  canCancel: boolean;
  onCancel: () => void;
  onCreated: (api: GroupApi) => Promise<void>;
  onJoined: (api: GroupApi) => Promise<void>;
  /** opens the invite's group if this device is already in it; whether it did */
  openIfMine: (code: string) => Promise<boolean>;
}

function defaultCurrency(): string {
  try {
    const region = new Intl.Locale(navigator.language).maximize().region;
    const byRegion: Record<string, string> = { US: "USD", GB: "GBP", CH: "CHF", JP: "JPY", CA: "CAD", AU: "AUD", SE: "SEK", NO: "NOK", DK: "DKK", PL: "PLN", CZ: "CZK", IN: "INR", BR: "BRL" };
    return (region && byRegion[region]) || "EUR";
  } catch {
    return "EUR";
  }
}

export function Onboarding({ factory, mode: initialMode, initialCode, canCancel, onCancel, onCreated, onJoined, openIfMine }: Props) {
  const [mode, setMode] = useState<OnboardingMode>(initialMode);
  return (
    <section class="onboarding">
      <div class="segmented" role="tablist" aria-label="Start">
        <button type="button" role="tab" aria-selected={mode === "create"} onClick={() => setMode("create")}>
          New group
        </button>
        <button type="button" role="tab" aria-selected={mode === "join"} onClick={() => setMode("join")}>
          Join a group
        </button>
      </div>
      {mode === "create" ? (
        <CreateForm factory={factory} onCreated={onCreated} />
      ) : (
        <JoinForm factory={factory} initialCode={initialCode ?? ""} onJoined={onJoined} openIfMine={openIfMine} />
      )}
      {canCancel && (
        <button type="button" class="link" onClick={onCancel}>
          Back to the open group
        </button>
      )}
    </section>
  );
}

function CreateForm({ factory, onCreated }: { factory: GroupFactory; onCreated: (api: GroupApi) => Promise<void> }) {
  const [name, setName] = useState("");
  const [me, setMe] = useState("");
  const [currency, setCurrency] = useState(defaultCurrency);
  const [relayText, setRelayText] = useState(() => parseRelays(__GFMS_DEFAULT_RELAYS__).join("\n"));
  const [k, setK] = useState(2);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { relays, keys } = useMemo(() => relaysAndKeysFromText(relayText), [relayText]);
  const n = relays.length;
  const kk = Math.min(Math.max(2, k), Math.max(2, n));

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    if (!name.trim()) return setError("Give the group a name.");
    if (!me.trim()) return setError("Enter your name.");
    if (n < 2) return setError("At least two relays are needed.");
    setBusy(true);
    try {
      const api = factory.create({ name: name.trim(), memberName: me.trim(), currency, relays, k: kk, nowMs: Date.now(), registrationKeys: keys });
      await onCreated(api);
    } catch (err) {
      setError(problemText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card stack" onSubmit={submit} noValidate>
      <h2>Create a group</h2>
      <label>
        Group name
        <input value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder="Trip to Lisbon" autoComplete="off" required />
      </label>
      <label>
        Your name
        <input value={me} onInput={(e) => setMe(e.currentTarget.value)} autoComplete="given-name" required />
      </label>
      <label>
        Default currency
        <select value={currency} onChange={(e) => setCurrency(e.currentTarget.value)}>
          {CURRENCIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label>
        Relays (one per line)
        <textarea rows={4} value={relayText} onInput={(e) => setRelayText(e.currentTarget.value)} spellcheck={false} autoCapitalize="off" />
      </label>
      <p class="muted">A relay that serves only its operator's friends takes its key after the URL, on the same line.</p>
      <div class="row">
        <label class="grow">
          Relays needed to read (k)
          <select value={String(kk)} onChange={(e) => setK(Number(e.currentTarget.value))} disabled={n < 2}>
            {Array.from({ length: Math.max(1, n - 1) }, (_, i) => i + 2).map((v) => (
              <option key={v} value={String(v)}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <p class="muted" data-testid="k-of-n">
          k = {kk} of n = {n}: any {kk} relays rebuild a batch; fewer learn nothing.
        </p>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        Create group
      </button>
    </form>
  );
}

function JoinForm({ factory, initialCode, onJoined, openIfMine }: Pick<Props, "factory" | "onJoined" | "openIfMine"> & { initialCode: string }) {
  const [code, setCode] = useState(initialCode);
  const [me, setMe] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [scanning, setScanning] = useState(false);
  const preview = useMemo(() => {
    if (!code.trim()) return null;
    try {
      return { ok: true as const, invite: factory.peekInvite(code.trim()) };
    } catch (e) {
      return { ok: false as const, error: problemText(e) };
    }
  }, [code, factory]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    if (!preview?.ok) return setError("Paste or scan an invite first.");
    if (!me.trim()) return setError("Enter your name.");
    setBusy(true);
    try {
      // a pasted or scanned invite to a group this device is already in opens it
      if (await openIfMine(code.trim())) return;
      await onJoined(factory.join(code.trim(), me.trim(), Date.now()));
    } catch (err) {
      setError(problemText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card stack" onSubmit={submit} noValidate>
      <h2>{preview?.ok ? `Join ${preview.invite.name}` : "Join a group"}</h2>
      {(!initialCode || !preview?.ok) && (
        <>
          <label>
            Invite link or code
            <textarea rows={3} value={code} onInput={(e) => setCode(e.currentTarget.value)} spellcheck={false} autoCapitalize="off" />
          </label>
          <button type="button" onClick={() => setScanning(true)}>
            Scan QR
          </button>
        </>
      )}
      {preview && !preview.ok && (
        <p class="error" role="alert">
          {preview.error}
        </p>
      )}
      {preview?.ok && (
        <p class="muted">
          {preview.invite.relays.length} relays, any {preview.invite.k} needed.
        </p>
      )}
      <label>
        Your name
        <input value={me} onInput={(e) => setMe(e.currentTarget.value)} autoComplete="given-name" />
      </label>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy || !preview?.ok}>
        {preview?.ok ? `Join ${preview.invite.name}` : "Join"}
      </button>
      {scanning && (
        <ScanDialog
          onClose={() => setScanning(false)}
          onResult={(text) => {
            setScanning(false);
            setCode(text);
          }}
        />
      )}
    </form>
  );
}
