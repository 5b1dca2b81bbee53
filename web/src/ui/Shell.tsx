// The app once the core is loaded: which group is open, onboarding, the tabs, sync.
import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { problemText } from "../core/errors";
import { askPersistence, type Store, type StoredGroup } from "../core/storage";
import { runSync, SyncScheduler, type FetchFn, type SyncStatus } from "../core/sync";
import type { GroupApi, GroupFactory } from "../core/types";
import { Balances } from "./Balances";
import { Group, type GroupCtx, type Toast } from "./context";
import { Expenses } from "./Expenses";
import { Invite } from "./Invite";
import { Members } from "./Members";
import { Onboarding, type OnboardingMode } from "./Onboarding";
import { Settings } from "./Settings";
import { Stats } from "./Stats";
import { SyncPanel } from "./SyncPanel";
import { TabBar, type Tab } from "./TabBar";
import { TopBar } from "./TopBar";
import { Toasts } from "./Toasts";
import { ConfirmDialog, type ConfirmState } from "./ConfirmDialog";

export interface ShellProps {
  factory: GroupFactory | null;
  /** why the core did not load */
  coreError?: string | null;
  store: Store;
  kernel: string;
  fetchFn?: FetchFn;
  /** false in tests that do not want background rounds */
  autoSync?: boolean;
}

type View = { kind: "loading" } | { kind: "onboarding"; mode: OnboardingMode; code?: string } | { kind: "invite" } | { kind: "group" };

const IDLE: SyncStatus = { running: false, lastReport: null, lastError: null, lastMs: 0, pushOpen: 0 };

function appUrl(): string {
  return typeof location === "undefined" ? "https://gfms.invalid/" : location.origin + location.pathname;
}

function joinCodeInHash(): string | null {
  if (typeof location === "undefined") return null;
  return location.hash.startsWith("#join=") ? location.hash.slice("#join=".length) : null;
}

export function Shell({ factory, coreError = null, store, kernel, fetchFn, autoSync = true }: ShellProps) {
  const [groups, setGroups] = useState<StoredGroup[]>([]);
  const [api, setApi] = useState<GroupApi | null>(null);
  const [view, setView] = useState<View>({ kind: "loading" });
  const [tab, setTab] = useState<Tab>("expenses");
  const [version, setVersion] = useState(0);
  const [sync, setSync] = useState<SyncStatus>(IDLE);
  const [syncOpen, setSyncOpen] = useState(false);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [confirmState, setConfirmState] = useState<ConfirmState | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const scheduler = useRef<SyncScheduler | null>(null);
  const toastSeq = useRef(0);

  const refreshGroups = useCallback(async () => setGroups(await store.listGroups()), [store]);

  const toast = useCallback((text: string, action?: Toast["action"]) => {
    toastSeq.current += 1;
    const t: Toast = action ? { id: toastSeq.current, text, action } : { id: toastSeq.current, text };
    setToasts((all) => [...all.slice(-2), t]);
    setTimeout(() => setToasts((all) => all.filter((x) => x.id !== t.id)), action ? 6000 : 3500);
  }, []);

  const confirm = useCallback(
    (message: string, ok: string) => new Promise<boolean>((resolve) => setConfirmState({ message, ok, resolve })),
    [],
  );

  /** Opens a group: makes it current and shows its expenses. */
  const open = useCallback(
    async (group: GroupApi, next: View = { kind: "group" }) => {
      await store.saveGroup(group);
      await store.setCurrent(group.groupKey());
      setApi(group);
      setVersion((v) => v + 1);
      setTab("expenses");
      setView(next);
      await refreshGroups();
    },
    [store, refreshGroups],
  );

  // startup: the join link, else the current group, else onboarding
  useEffect(() => {
    askPersistence();
    if (!factory) return;
    void (async () => {
      try {
        const all = await store.listGroups();
        setGroups(all);
        const code = joinCodeInHash();
        if (code) {
          setView({ kind: "onboarding", mode: "join", code });
          return;
        }
        const key = (await store.getCurrent()) ?? all[0]?.key;
        const saved = key ? await store.loadGroupSaved(key) : undefined;
        if (saved) {
          setApi(factory.load(saved));
          setView({ kind: "group" });
        } else {
          setView({ kind: "onboarding", mode: "create" });
        }
      } catch (e) {
        setLoadError(problemText(e));
        setView({ kind: "onboarding", mode: "create" });
      }
    })();
  }, [factory, store]);

  const save = useCallback(async () => {
    if (api) await store.saveGroup(api);
  }, [api, store]);

  // the sync scheduler of the open group
  useEffect(() => {
    if (!api || !autoSync) return;
    const s = new SyncScheduler(
      async () => {
        const report = await runSync(api, save, fetchFn);
        await save();
        return report;
      },
      () => api.pushEndpoints(),
    );
    scheduler.current = s;
    const off = s.subscribe((status) => {
      setSync(status);
      if (!status.running) setVersion((v) => v + 1);
    });
    s.start();
    return () => {
      off();
      s.stop();
      scheduler.current = null;
      setSync(IDLE);
    };
  }, [api, autoSync, save, fetchFn]);

  const syncNow = useCallback(async () => {
    if (scheduler.current) await scheduler.current.syncNow();
    else if (api) {
      setSync((s) => ({ ...s, running: true }));
      try {
        const report = await runSync(api, save, fetchFn);
        await save();
        setSync((s) => ({ ...s, running: false, lastReport: report, lastError: null, lastMs: Date.now() }));
      } catch (e) {
        setSync((s) => ({ ...s, running: false, lastError: problemText(e), lastMs: Date.now() }));
      }
      setVersion((v) => v + 1);
    }
  }, [api, save, fetchFn]);

  const mutate = useCallback(
    async <T,>(fn: (a: GroupApi, nowMs: number) => T): Promise<T> => {
      if (!api) throw new Error("no open group");
      const out = fn(api, Date.now());
      setVersion((v) => v + 1);
      await store.saveGroup(api);
      await refreshGroups();
      void scheduler.current?.syncNow();
      return out;
    },
    [api, store, refreshGroups],
  );

  const state = useMemo(() => (api ? api.state() : null), [api, version]);

  const ctx: GroupCtx | null = useMemo(
    () => (api && state ? { api, state, version, mutate, sync, syncNow, toast, confirm, appUrl: appUrl() } : null),
    [api, state, version, mutate, sync, syncNow, toast, confirm],
  );

  const switchTo = async (choice: string) => {
    if (choice === "new") return setView({ kind: "onboarding", mode: "create" });
    if (choice === "join") return setView({ kind: "onboarding", mode: "join" });
    if (!factory) return;
    const saved = await store.loadGroupSaved(choice);
    if (!saved) return;
    try {
      await open(factory.load(saved));
    } catch (e) {
      toast(problemText(e));
    }
  };

  /** After leaving: forget the group here, open another or onboarding. */
  const forget = async (key: string) => {
    await store.deleteGroup(key);
    const rest = (await store.listGroups()).filter((g) => g.key !== key);
    setGroups(rest);
    const next = rest[0];
    if (next && factory) await open(factory.load(next.saved));
    else {
      setApi(null);
      await store.setCurrent(null);
      setView({ kind: "onboarding", mode: "create" });
    }
  };

  const kernelLine = (visible: boolean) => (
    <p class="kernel-line" hidden={!visible}>
      Sharing core: <span id="kernel">{kernel}</span>
    </p>
  );

  let body: ComponentChildren;
  if (!factory) {
    body = (
      <main class="screen center">
        {coreError ? (
          <p class="error" role="alert">
            The app core did not load: {coreError}
          </p>
        ) : (
          <p aria-busy="true">Loading…</p>
        )}
        {kernelLine(true)}
      </main>
    );
  } else if (view.kind === "loading") {
    body = (
      <main class="screen center">
        <p aria-busy="true">Loading…</p>
        {kernelLine(true)}
      </main>
    );
  } else if (view.kind === "onboarding") {
    body = (
      <main class="screen">
        {loadError && (
          <p class="error" role="alert">
            Could not read the saved groups: {loadError}
          </p>
        )}
        <Onboarding
          factory={factory}
          mode={view.mode}
          {...(view.code ? { initialCode: view.code } : {})}
          canCancel={api !== null}
          onCancel={() => setView({ kind: "group" })}
          onCreated={(g) => open(g, { kind: "invite" })}
          onJoined={async (g) => {
            if (typeof history !== "undefined" && location.hash.startsWith("#join=")) {
              history.replaceState(null, "", location.pathname + location.search);
            }
            await open(g);
          }}
        />
        {kernelLine(true)}
      </main>
    );
  } else if (ctx && view.kind === "invite") {
    body = (
      <main class="screen">
        <Invite onDone={() => setView({ kind: "group" })} />
        {kernelLine(false)}
      </main>
    );
  } else if (ctx) {
    body = (
      <>
        <main class="screen with-tabs">
          {tab === "expenses" && <Expenses />}
          {tab === "balances" && <Balances />}
          {tab === "stats" && <Stats />}
          {tab === "members" && <Members />}
          {tab === "settings" && <Settings onLeft={forget} />}
          {kernelLine(tab === "settings")}
        </main>
        <TabBar tab={tab} onTab={setTab} />
        {syncOpen && <SyncPanel onClose={() => setSyncOpen(false)} />}
      </>
    );
  }

  return (
    <Group.Provider value={ctx}>
      <TopBar
        groups={groups}
        current={view.kind === "group" || view.kind === "invite" ? (api?.groupKey() ?? null) : null}
        onSwitch={(c) => void switchTo(c)}
        sync={ctx ? sync : null}
        onSyncClick={() => setSyncOpen(true)}
      />
      {body}
      <Toasts toasts={toasts} onDismiss={(id) => setToasts((all) => all.filter((t) => t.id !== id))} />
      {confirmState && (
        <ConfirmDialog
          state={confirmState}
          onClose={(ok) => {
            confirmState.resolve(ok);
            setConfirmState(null);
          }}
        />
      )}
    </Group.Provider>
  );
}
