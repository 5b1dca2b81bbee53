// Group settings, export / import, about, the relays (under "Advanced"), and leaving.
import { useEffect, useState } from "preact/hooks";
import { problemText } from "../core/errors";
import { CURRENCIES } from "../core/format";
import { checkRelay, formatTtl, parseRelays, type RelayState } from "../relays";
import { pushSupported, subscribe } from "../push/subscribe";
import { isolate, useGroup } from "./context";
import { readOnly } from "./Removed";
import { ImportEntry } from "./ImportEntry";
import { loadReceiptStorage } from "./lazy";
import { language, LANGUAGES, setLanguage, t, type Lang } from "../i18n";
import { tb } from "../i18n/jsx";

function lines(text: string): string[] {
  return [...new Set(text.split("\n").map((s) => s.trim()).filter(Boolean))];
}

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "group";
}

export function Settings({ onLeft, onAbout }: { onLeft: (key: string) => Promise<void>; onAbout: () => void }) {
  // a removed member's phone: export stays, changing the group does not
  const locked = readOnly(useGroup().state);
  return (
    <div class="stack" data-jargon-ok="relay">
      <LanguageSection />
      {!locked && <GroupSettingsForm />}
      {pushSupported() && <NotificationsSection />}
      <DataSection />
      <ReceiptStorageSection />
      {!locked && <ImportEntry />}
      {!locked && (
        <details class="card advanced" data-testid="advanced">
          <summary>{t("settings.advanced")}</summary>
          <RelaysForm />
        </details>
      )}
      {!locked && <LeaveSection onLeft={onLeft} />}
      <button type="button" class="link" onClick={onAbout}>
        {t("settings.about")}
      </button>
    </div>
  );
}

/** What receipts use on this phone (./ReceiptStorage, loaded with the tab: few need it at once). */
function ReceiptStorageSection() {
  const [mod, setMod] = useState<typeof import("./ReceiptStorage") | null>(null);
  useEffect(() => {
    let live = true;
    loadReceiptStorage().then(
      (m) => live && setMod(m),
      () => {},
    );
    return () => {
      live = false;
    };
  }, []);
  return mod ? <mod.ReceiptStorage /> : null;
}

/** The app's language on this phone, each in its own name; applies at once. */
function LanguageSection() {
  const { problem } = useGroup();
  const [lang, setLang] = useState<Lang>(language());
  const choose = async (l: Lang) => {
    try {
      await setLanguage(l, true);
      setLang(l);
    } catch (e) {
      problem(e, () => choose(l));
    }
  };
  return (
    <section class="card stack" data-testid="language">
      <label>
        {t("settings.language")}
        <select value={lang} onChange={(e) => void choose(e.currentTarget.value as Lang)} aria-describedby="language-hint" data-testid="language-select">
          {LANGUAGES.map((l) => (
            <option key={l.code} value={l.code} lang={l.code}>
              {l.name}
            </option>
          ))}
        </select>
      </label>
      <p id="language-hint" class="hint muted">
        {t("settings.languageHint")}
      </p>
    </section>
  );
}

function GroupSettingsForm() {
  const { state, mutate, toast } = useGroup();
  const s = state.settings ?? { name: "", currency: "EUR", categories: [], accounts: [] };
  const [name, setName] = useState(s.name);
  const [currency, setCurrency] = useState(s.currency);
  const [categories, setCategories] = useState(s.categories.join("\n"));
  const [accounts, setAccounts] = useState(s.accounts.join("\n"));
  const [error, setError] = useState<string | null>(null);

  const save = async (e: Event) => {
    e.preventDefault();
    if (!name.trim()) return setError(t("settings.needsName"));
    try {
      await mutate((a, now) => a.changeSettings({ name: name.trim(), currency, categories: lines(categories), accounts: lines(accounts) }, now));
      setError(null);
      toast(t("settings.saved"));
    } catch (err) {
      setError(problemText(err));
    }
  };

  return (
    <form class="card stack" onSubmit={save}>
      <h2>{t("settings.group")}</h2>
      <label>
        {t("settings.groupName")}
        <input value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label>
        {t("settings.groupCurrency")}
        <select value={currency} onChange={(e) => setCurrency(e.currentTarget.value)}>
          {[...new Set([s.currency, ...CURRENCIES])].map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("settings.categories")}
        <textarea rows={4} value={categories} onInput={(e) => setCategories(e.currentTarget.value)} aria-describedby="categories-hint" />
      </label>
      <p id="categories-hint" class="hint muted">
        {t("settings.categoriesHint")}
      </p>
      <label>
        {t("settings.accounts")}
        <textarea rows={3} value={accounts} onInput={(e) => setAccounts(e.currentTarget.value)} aria-describedby="accounts-hint" />
      </label>
      <p id="accounts-hint" class="hint muted">
        {t("settings.accountsHint")}
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary">
        {t("settings.save")}
      </button>
    </form>
  );
}

/** Per group: notify this device when others add, edit, settle up or join (never for your own). */
function NotificationsSection() {
  const { api, state, mutate, toast } = useGroup();
  const on = Boolean(state.push?.[api.me()]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toggle = async () => {
    setBusy(true);
    try {
      if (on) {
        // The browser's subscription stays: other groups on this device may use it.
        await mutate((a, now) => a.setPush(null, now));
        toast(t("settings.notificationsOff"));
      } else {
        const sub = await subscribe(state.relays?.[0] ?? []);
        await mutate((a, now) => a.setPush(sub, now));
        toast(t("settings.notificationsOn"));
      }
      setError(null);
    } catch (e) {
      setError(e instanceof Error && !("code" in e) ? e.message : problemText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card stack" data-testid="notifications">
      <h2>{t("settings.notifications")}</h2>
      <label>
        <input type="checkbox" checked={on} disabled={busy} onChange={toggle} data-testid="notifications-toggle" /> {t("settings.notifyMe")}
      </label>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function RelaysForm() {
  const { state, mutate, toast } = useGroup();
  const [current, currentK] = state.relays ?? [[], 2];
  const [urls, setUrls] = useState<string[]>(current);
  const [k, setK] = useState(currentK);
  const [added, setAdded] = useState("");
  const [tests, setTests] = useState<Record<string, RelayState>>({});
  const [error, setError] = useState<string | null>(null);
  const clean = parseRelays(urls.join(","));
  const n = clean.length;
  const kk = Math.min(Math.max(2, k), Math.max(2, n));
  const changed = JSON.stringify(clean) !== JSON.stringify(current) || kk !== currentK;

  const ttls = Object.values(tests).flatMap((t) => (t.state === "up" ? [t.health.ttl_seconds] : []));
  const ttl = ttls.length ? Math.min(...ttls) : null;

  const test = async (url: string) => {
    setTests((t) => ({ ...t, [url]: { url, state: "checking" } }));
    const r = await checkRelay(url);
    setTests((t) => ({ ...t, [url]: r }));
  };
  const add = () => {
    const [url] = parseRelays(added);
    if (!url) return setError(t("settings.enterUrl"));
    if (clean.includes(url)) return setError(t("settings.relayInList"));
    setUrls([...urls, url]);
    setAdded("");
    setError(null);
  };
  const apply = async () => {
    if (n < 2) return setError(t("settings.twoRelays"));
    try {
      await mutate((a, now) => a.changeRelays(clean, kk, now));
      setError(null);
      toast(t("settings.relaysChanged"));
    } catch (err) {
      setError(problemText(err));
    }
  };

  return (
    <section class="stack" aria-labelledby="relays-title">
      <h2 id="relays-title" class="sr-only">{t("sync.relays")}</h2>
      <p class="muted" data-testid="relays-kn">
        {t("settings.relaysIntro", { k: currentK, n: current.length })}
        {ttl !== null ? t("settings.relaysKeep", { ttl: formatTtl(ttl) }) : t("settings.relaysTest")}
      </p>
      <button type="button" onClick={() => void Promise.all(clean.map(test))}>
        {t("settings.testAll")}
      </button>
      <ul class="list">
        {urls.map((url, i) => {
          const result = tests[url];
          return (
            <li key={i} class="relay-edit">
              <div class="row">
                <label class="grow">
                  {t("settings.relayN", { i: i + 1 })}
                  <input value={url} onChange={(e) => {
                    const v = e.currentTarget.value.trim();
                    setUrls(urls.map((u, j) => (j === i ? v : u)));
                  }} spellcheck={false} autoCapitalize="off" />
                </label>
                <button type="button" onClick={() => void test(url)} aria-label={t("settings.testRelayN", { i: i + 1 })}>
                  {t("settings.test")}
                </button>
                <button type="button" class="danger" onClick={() => setUrls(urls.filter((_, j) => j !== i))} aria-label={t("settings.removeRelayN", { i: i + 1 })}>
                  ✕
                </button>
              </div>
              {result && (
                <p class={result.state === "down" ? "error" : "muted"} data-testid="relay-test">
                  {result.state === "checking" && t("settings.checking")}
                  {result.state === "up" && t("settings.relayUpLine", { ms: result.millis, ttl: formatTtl(result.health.ttl_seconds) })}
                  {result.state === "down" && t("settings.relayDownLine", { reason: result.reason })}
                </p>
              )}
            </li>
          );
        })}
      </ul>
      <div class="row">
        <label class="grow">
          {t("settings.addRelay")}
          <input value={added} onInput={(e) => setAdded(e.currentTarget.value)} placeholder="https://relay.example" spellcheck={false} autoCapitalize="off" />
        </label>
        <button type="button" onClick={add}>
          {t("common.add")}
        </button>
      </div>
      <label>
        {t("settings.needed", { n })}
        <select value={String(kk)} onChange={(e) => setK(Number(e.currentTarget.value))} disabled={n < 2}>
          {Array.from({ length: Math.max(1, n - 1) }, (_, i) => i + 2).map((v) => (
            <option key={v} value={String(v)}>
              {v}
            </option>
          ))}
        </select>
      </label>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="button" class="primary" onClick={() => void apply()} disabled={!changed}>
        {t("settings.applyRelays")}
      </button>
    </section>
  );
}

function DataSection() {
  const { api, state, mutate, problem } = useGroup();
  const [result, setResult] = useState<string | null>(null);
  const name = slug(api.name());
  // The exports come from the reports module, loaded on first use.
  const exportAs = (file: string, type: string, make: () => Promise<string>) =>
    void make().then(
      (text) => download(file, type, text),
      (err: unknown) => problem(err, () => exportAs(file, type, make)),
    );
  const importFile = async (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    try {
      const text = await file.text();
      const r = await mutate((a) => a.importJson(text));
      setResult(t("settings.imported", { added: r.added, duplicates: r.duplicates }));
    } catch (err) {
      setResult(t("settings.importFailed", { error: problemText(err) }));
    } finally {
      input.value = "";
    }
  };
  return (
    <section class="card stack">
      <h2>{t("settings.export")}</h2>
      <p class="muted">{t("settings.exportIntro")}</p>
      <div class="row">
        <button type="button" onClick={() => exportAs(`${name}.csv`, "text/csv", () => api.exportCsv())}>
          {t("settings.exportCsv")}
        </button>
        <button type="button" onClick={() => exportAs(`${name}.json`, "application/json", () => api.exportJson())}>
          {t("settings.exportJson")}
        </button>
        <button
          type="button"
          onClick={() =>
            // The Splitwise-shaped CSV comes from the import module, loaded on first use.
            exportAs(`${name}-splitwise.csv`, "text/csv", async () => (await import("../core/import")).exportSplitwise(JSON.stringify(api.state())))
          }
        >
          {t("settings.exportSplitwise")}
        </button>
      </div>
      {!readOnly(state) && (
        <label>
          {t("settings.importJson")}
          <input type="file" accept="application/json,.json" onChange={(e) => void importFile(e)} />
        </label>
      )}
      {result && (
        <p role="status" data-testid="import-result">
          {result}
        </p>
      )}
    </section>
  );
}

function LeaveSection({ onLeft }: { onLeft: (key: string) => Promise<void> }) {
  const { api, state, mutate, syncNow, confirm, toast, problem } = useGroup();
  const [busy, setBusy] = useState(false);
  const { device } = state;
  const name = api.name();
  const remove = async () => {
    setBusy(true);
    try {
      await onLeft(api.groupKey());
      toast(t("settings.youLeft", { group: isolate(name) }));
    } catch (err) {
      problem(err);
      setBusy(false);
    }
  };
  // Leaving is queued: the group stays here, read-only, until this phone's last changes
  // (its goodbye included) have reached the others; only then is it removed.
  const leave = async () => {
    const ok = await confirm(
      t("settings.leaveConfirm", { group: isolate(name) }),
      t("settings.leave"),
    );
    if (!ok) return;
    setBusy(true);
    try {
      await mutate((a, now) => a.leave(now));
      await syncNow();
      if (api.state().device.readyToDelete) {
        await remove();
        return;
      }
      toast(t("settings.leaving"));
    } catch (err) {
      problem(err);
    }
    setBusy(false);
  };
  const removeAnyway = async () => {
    const waiting = device.unsent + device.outbox;
    const warning = device.alone
      ? t("settings.removeAlone", { group: isolate(name) })
      : t("settings.removeWaiting", { group: isolate(name), n: waiting });
    if (await confirm(warning, t("common.remove"))) await remove();
  };
  if (device.leaving) {
    return (
      <section class="card stack" data-testid="leaving">
        <h2>{t("settings.leavingTitle")}</h2>
        {device.readyToDelete ? (
          <p>{t("settings.allReached")}</p>
        ) : (
          <p>{tb("settings.stillOnTheWay", { group: name })}</p>
        )}
        {device.readyToDelete ? (
          <button type="button" class="danger" disabled={busy} onClick={() => void remove()}>
            {t("settings.removeFromPhone")}
          </button>
        ) : (
          <button type="button" class="danger" disabled={busy} onClick={() => void removeAnyway()}>
            {t("settings.removeAnyway")}
          </button>
        )}
      </section>
    );
  }
  return (
    <section class="card stack">
      <h2>{t("settings.leaveTitle")}</h2>
      <button type="button" class="danger" disabled={busy} onClick={() => void leave()}>
        {t("settings.leaveGroup")}
      </button>
    </section>
  );
}
