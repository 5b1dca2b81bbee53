// Group settings, export / import, about, the relays (under "Advanced"), and leaving.
import { useState } from "preact/hooks";
import { problemText } from "../core/errors";
import { CURRENCIES } from "../core/format";
import { checkRelay, formatTtl, parseRelays, type RelayState } from "../relays";
import { pushSupported, subscribe } from "../push/subscribe";
import { isolate, useGroup } from "./context";

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
  return (
    <div class="stack" data-jargon-ok="relay">
      <GroupSettingsForm />
      {pushSupported() && <NotificationsSection />}
      <DataSection />
      <details class="card advanced" data-testid="advanced">
        <summary>Advanced: relays</summary>
        <RelaysForm />
      </details>
      <LeaveSection onLeft={onLeft} />
      <button type="button" class="link" onClick={onAbout}>
        About this app
      </button>
    </div>
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
    if (!name.trim()) return setError("The group needs a name.");
    try {
      await mutate((a, now) => a.changeSettings({ name: name.trim(), currency, categories: lines(categories), accounts: lines(accounts) }, now));
      setError(null);
      toast("Settings saved");
    } catch (err) {
      setError(problemText(err));
    }
  };

  return (
    <form class="card stack" onSubmit={save}>
      <h2>Group</h2>
      <label>
        Group name
        <input value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label>
        Group currency
        <select value={currency} onChange={(e) => setCurrency(e.currentTarget.value)}>
          {[...new Set([s.currency, ...CURRENCIES])].map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label>
        Categories (one per line)
        <textarea rows={4} value={categories} onInput={(e) => setCategories(e.currentTarget.value)} aria-describedby="categories-hint" />
      </label>
      <p id="categories-hint" class="hint muted">
        Offered first when adding an expense, before the common ones.
      </p>
      <label>
        Accounts (one per line)
        <textarea rows={3} value={accounts} onInput={(e) => setAccounts(e.currentTarget.value)} aria-describedby="accounts-hint" />
      </label>
      <p id="accounts-hint" class="hint muted">
        The cards or cash expenses are paid with, for the statistics.
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary">
        Save settings
      </button>
    </form>
  );
}

/** Per group: notify this device when others add, edit or settle up (never for your own). */
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
        toast("Notifications off for this group");
      } else {
        const sub = await subscribe(state.relays?.[0] ?? []);
        await mutate((a, now) => a.setPush(sub, now));
        toast("Notifications on for this group");
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
      <h2>Notifications</h2>
      <label>
        <input type="checkbox" checked={on} disabled={busy} onChange={toggle} data-testid="notifications-toggle" /> Tell me when
        others add, edit or settle up in this group
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
    if (!url) return setError("Enter an http(s) URL.");
    if (clean.includes(url)) return setError("That relay is already in the list.");
    setUrls([...urls, url]);
    setAdded("");
    setError(null);
  };
  const apply = async () => {
    if (n < 2) return setError("At least two relays are needed.");
    try {
      await mutate((a, now) => a.changeRelays(clean, kk, now));
      setError(null);
      toast("Relays changed");
    } catch (err) {
      setError(problemText(err));
    }
  };

  return (
    <section class="stack" aria-labelledby="relays-title">
      <h2 id="relays-title" class="sr-only">Relays</h2>
      <p class="muted" data-testid="relays-kn">
        Changes travel encrypted, cut into pieces, through these relays. Any {currentK} of the {current.length} together can pass a change on; fewer learn nothing.
        {ttl !== null
          ? ` They keep a change for ${formatTtl(ttl)}; a phone offline longer gets it when the sender's phone sends it again.`
          : " Test the relays to see how long they keep a change."}
      </p>
      <button type="button" onClick={() => void Promise.all(clean.map(test))}>
        Test all relays
      </button>
      <ul class="list">
        {urls.map((url, i) => {
          const t = tests[url];
          return (
            <li key={i} class="relay-edit">
              <div class="row">
                <label class="grow">
                  Relay {i + 1}
                  <input value={url} onChange={(e) => {
                    const v = e.currentTarget.value.trim();
                    setUrls(urls.map((u, j) => (j === i ? v : u)));
                  }} spellcheck={false} autoCapitalize="off" />
                </label>
                <button type="button" onClick={() => void test(url)} aria-label={`Test relay ${i + 1}`}>
                  Test
                </button>
                <button type="button" class="danger" onClick={() => setUrls(urls.filter((_, j) => j !== i))} aria-label={`Remove relay ${i + 1}`}>
                  ✕
                </button>
              </div>
              {t && (
                <p class={t.state === "down" ? "error" : "muted"} data-testid="relay-test">
                  {t.state === "checking" && "checking…"}
                  {t.state === "up" && `up · ${t.millis} ms · keeps changes ${formatTtl(t.health.ttl_seconds)}`}
                  {t.state === "down" && `down · ${t.reason}`}
                </p>
              )}
            </li>
          );
        })}
      </ul>
      <div class="row">
        <label class="grow">
          Add a relay
          <input value={added} onInput={(e) => setAdded(e.currentTarget.value)} placeholder="https://relay.example" spellcheck={false} autoCapitalize="off" />
        </label>
        <button type="button" onClick={add}>
          Add
        </button>
      </div>
      <label>
        Relays needed to pass a change on (of {n})
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
        Apply relay changes
      </button>
    </section>
  );
}

function DataSection() {
  const { api, mutate, problem } = useGroup();
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
      setResult(`Added ${r.added}, already had ${r.duplicates}.`);
    } catch (err) {
      setResult(`Import failed: ${problemText(err)}`);
    } finally {
      input.value = "";
    }
  };
  return (
    <section class="card stack">
      <h2>Export and import</h2>
      <p class="muted">A spreadsheet (CSV) of the expenses and payments, or a backup (JSON) any phone of the group can import.</p>
      <div class="row">
        <button type="button" onClick={() => exportAs(`${name}.csv`, "text/csv", () => api.exportCsv())}>
          Export CSV
        </button>
        <button type="button" onClick={() => exportAs(`${name}.json`, "application/json", () => api.exportJson())}>
          Export JSON
        </button>
      </div>
      <label>
        Import JSON backup
        <input type="file" accept="application/json,.json" onChange={(e) => void importFile(e)} />
      </label>
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
      toast(`You left ${isolate(name)}`);
    } catch (err) {
      problem(err);
      setBusy(false);
    }
  };
  // Leaving is queued: the group stays here, read-only, until this phone's last changes
  // (its goodbye included) have reached the others; only then is it removed.
  const leave = async () => {
    const ok = await confirm(
      `Leave ${isolate(name)}? The others are told. The group stays on this phone, read-only, until your last changes have reached them; then it is removed.`,
      "Leave",
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
      toast("Leaving: your last changes are on their way to the others");
    } catch (err) {
      problem(err);
    }
    setBusy(false);
  };
  const removeAnyway = async () => {
    const waiting = device.unsent + device.outbox;
    const warning = device.alone
      ? `Remove ${isolate(name)} from this phone? Nobody else has it.`
      : `Remove ${isolate(name)} from this phone now? ${waiting} of your changes have not reached everyone yet and may be lost.`;
    if (await confirm(warning, "Remove")) await remove();
  };
  if (device.leaving) {
    return (
      <section class="card stack" data-testid="leaving">
        <h2>Leaving</h2>
        {device.readyToDelete ? (
          <p>Everything you wrote has reached the others.</p>
        ) : (
          <p>
            You left <bdi>{name}</bdi>. Your last changes are still on their way to the others, so the group stays on
            this phone, read-only, until they have them.
          </p>
        )}
        {device.readyToDelete ? (
          <button type="button" class="danger" disabled={busy} onClick={() => void remove()}>
            Remove from this phone
          </button>
        ) : (
          <button type="button" class="danger" disabled={busy} onClick={() => void removeAnyway()}>
            Remove now anyway
          </button>
        )}
      </section>
    );
  }
  return (
    <section class="card stack">
      <h2>Leave</h2>
      <button type="button" class="danger" disabled={busy} onClick={() => void leave()}>
        Leave group
      </button>
    </section>
  );
}
