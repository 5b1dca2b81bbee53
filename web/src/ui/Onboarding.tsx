// No group yet (or "New group" / "Join a group" from the switcher): create or join.
import { useMemo, useState } from "preact/hooks";
import { problemText } from "../core/errors";
import { CURRENCIES } from "../core/format";
import type { GroupApi, GroupFactory } from "../core/types";
import { parseRelays, relaysAndKeysFromText } from "../relays";
import { isolate } from "./context";
import { ScanDialog } from "./ScanDialog";
import { t } from "../i18n";
import { tb } from "../i18n/jsx";

export type OnboardingMode = "welcome" | "create" | "join";

interface Props {
  factory: GroupFactory;
  mode: OnboardingMode;
  initialCode?: string;
  canCancel: boolean;
  onCancel: () => void;
  onAbout: () => void;
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

/** The other people's names, one per line (blank lines skipped), or what is wrong with them. */
export function namesFrom(text: string, me: string): { ok: true; names: string[] } | { ok: false; error: string } {
  const names = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const seen = new Set([me.trim().toLocaleLowerCase()]);
  for (const n of names) {
    if ([...n].length > 80) return { ok: false, error: t("onboarding.nameTooLong") };
    const key = n.toLocaleLowerCase();
    if (seen.has(key)) return { ok: false, error: t("onboarding.nameTwice", { name: isolate(n) }) };
    seen.add(key);
  }
  return { ok: true, names };
}

/** What the app is and why it is different, in two lines. */
export function Pitch() {
  return (
    <div class="pitch">
      <p class="lead">{t("onboarding.lead")}</p>
      <p class="muted">{t("onboarding.pitch")}</p>
    </div>
  );
}

export function Onboarding({ factory, mode: initialMode, initialCode, canCancel, onCancel, onAbout, onCreated, onJoined, openIfMine }: Props) {
  const [mode, setMode] = useState<OnboardingMode>(initialMode);
  return (
    <section class="onboarding">
      {mode === "welcome" && (
        <div class="welcome stack" data-testid="welcome">
          <Pitch />
          <button type="button" class="primary big" onClick={() => setMode("create")}>
            {t("groups.new")}
          </button>
          <button type="button" class="big" onClick={() => setMode("join")}>
            {t("groups.join")}
          </button>
          <p class="muted small">{t("onboarding.toJoin")}</p>
        </div>
      )}
      {mode === "create" && <CreateForm factory={factory} onCreated={onCreated} />}
      {mode === "join" && <JoinForm factory={factory} initialCode={initialCode ?? ""} onJoined={onJoined} openIfMine={openIfMine} />}
      <div class="row center">
        {mode !== "welcome" && !initialCode && (
          <button type="button" class="link" onClick={() => setMode(mode === "create" ? "join" : "create")}>
            {mode === "create" ? t("onboarding.joinInstead") : t("onboarding.createInstead")}
          </button>
        )}
        {canCancel && (
          <button type="button" class="link" onClick={onCancel}>
            {t("onboarding.back")}
          </button>
        )}
        <button type="button" class="link" onClick={onAbout}>
          {t("settings.about")}
        </button>
      </div>
    </section>
  );
}

function CreateForm({ factory, onCreated }: { factory: GroupFactory; onCreated: (api: GroupApi) => Promise<void> }) {
  const [name, setName] = useState("");
  const [me, setMe] = useState("");
  const [currency, setCurrency] = useState(defaultCurrency);
  const [relayText, setRelayText] = useState(() => parseRelays(__GFMS_DEFAULT_RELAYS__).join("\n"));
  const [k, setK] = useState(2);
  const [othersText, setOthersText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { relays, keys } = useMemo(() => relaysAndKeysFromText(relayText), [relayText]);
  const n = relays.length;
  const kk = Math.min(Math.max(2, k), Math.max(2, n));

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    if (!name.trim()) return setError(t("onboarding.needGroupName"));
    if (!me.trim()) return setError(t("onboarding.needYourName"));
    if (n < 2) return setError(t("onboarding.twoRelays"));
    const others = namesFrom(othersText, me);
    if (!others.ok) return setError(others.error);
    setBusy(true);
    try {
      const api = factory.create({ name: name.trim(), memberName: me.trim(), currency, relays, k: kk, nowMs: Date.now(), registrationKeys: keys });
      for (const other of others.names) api.addPlaceholder(other, Date.now());
      await onCreated(api);
    } catch (err) {
      setError(problemText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card stack" onSubmit={submit} noValidate>
      <h2>{t("groups.new")}</h2>
      <label>
        {t("settings.groupName")}
        <input value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder={t("onboarding.groupPlaceholder")} autoComplete="off" required />
      </label>
      <label>
        {t("onboarding.yourName")}
        <input value={me} onInput={(e) => setMe(e.currentTarget.value)} autoComplete="given-name" placeholder={t("onboarding.yourNamePlaceholder")} required />
      </label>
      <label>
        {t("onboarding.others")}
        <textarea rows={3} value={othersText} onInput={(e) => setOthersText(e.currentTarget.value)} placeholder={t("onboarding.othersPlaceholder")} aria-describedby="others-hint" autoCapitalize="words" />
      </label>
      <p id="others-hint" class="hint muted">
        {t("onboarding.othersHint")}
      </p>
      <label>
        {t("editor.currency")}
        <select value={currency} onChange={(e) => setCurrency(e.currentTarget.value)}>
          {CURRENCIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <details class="advanced" data-jargon-ok="relay">
        <summary>{t("onboarding.advanced")}</summary>
        <div class="stack">
          <p class="muted">
            {t("onboarding.relaysIntro")}
          </p>
          <label>
            {t("onboarding.relays")}
            <textarea rows={4} value={relayText} onInput={(e) => setRelayText(e.currentTarget.value)} spellcheck={false} autoCapitalize="off" />
          </label>
          <p class="muted">{t("onboarding.relayKey")}</p>
          <label>
            {t("onboarding.needed")}
            <select value={String(kk)} onChange={(e) => setK(Number(e.currentTarget.value))} disabled={n < 2}>
              {Array.from({ length: Math.max(1, n - 1) }, (_, i) => i + 2).map((v) => (
                <option key={v} value={String(v)}>
                  {v}
                </option>
              ))}
            </select>
          </label>
          <p class="muted" data-testid="k-of-n">
            {t("onboarding.kOfN", { k: kk, n })}
          </p>
        </div>
      </details>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {t("onboarding.create")}
      </button>
      <p class="muted small">{t("onboarding.next")}</p>
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
    if (!preview?.ok) return setError(t("onboarding.pasteFirst"));
    if (!me.trim()) return setError(t("onboarding.needYourName"));
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
      <h2>
        {preview?.ok ? (
          tb("onboarding.joinName", { group: preview.invite.name })
        ) : (
          t("groups.join")
        )}
      </h2>
      {(!initialCode || !preview?.ok) && (
        <>
          <label>
            {t("onboarding.inviteCode")}
            <textarea rows={3} value={code} onInput={(e) => setCode(e.currentTarget.value)} spellcheck={false} autoCapitalize="off" />
          </label>
          <button type="button" onClick={() => setScanning(true)}>
            {t("onboarding.scan")}
          </button>
        </>
      )}
      {preview && !preview.ok && (
        <p class="error" role="alert">
          {preview.error}
        </p>
      )}
      {preview?.ok && (
        <details class="advanced" data-jargon-ok="relay">
          <summary>{t("onboarding.advancedShort")}</summary>
          <p class="muted">
            {t("onboarding.relaysNeeded", { n: preview.invite.relays.length, k: preview.invite.k })}
          </p>
        </details>
      )}
      <label>
        {t("onboarding.yourName")}
        <input value={me} onInput={(e) => setMe(e.currentTarget.value)} autoComplete="given-name" placeholder={t("onboarding.yourNamePlaceholder")} />
      </label>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy || !preview?.ok}>
        {preview?.ok ? (
          tb("onboarding.joinName", { group: preview.invite.name })
        ) : (
          t("onboarding.join")
        )}
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
