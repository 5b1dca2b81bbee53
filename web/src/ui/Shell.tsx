// The app once the core is loaded: which group is open, onboarding, invites, the tabs,
// sync. The open group is a `GroupDoc`: every change and sync round goes through it, so
// two tabs of the app never overwrite each other's records.
import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { announceRemoved, browserChannel, GroupDoc, type DocEnv } from "../core/doc";
import { Blocked, whenUnblocked } from "../core/db";
import { actionLabel, explain, problemText } from "../core/errors";
import { browserLocks, type Locks } from "../core/locks";
import { askPersistence, Unreadable, type GroupEntry, type Store } from "../core/storage";
import { idbBlobs, pruneReceipts, type BlobStore } from "../core/blobs";
import type { FetchFn } from "../core/sync/driver";
import { IDLE, SyncScheduler, type SyncStatus } from "../core/sync/scheduler";
import { OwnShares } from "../core/sync/own";
import { PushSockets } from "../core/sync/sockets";
import { announceJoin, browserJoinMarks } from "../push/joined";
import { browserPush, renewOwnSubscription } from "../push/renew";
import { clearNotificationTarget, notificationTarget, recordPlace } from "../push/opened";
import type { GroupApi, GroupFactory } from "../core/types";
import { browserInstallEnv, type InstallEnv } from "../core/install";
import { About } from "./About";
import { Balances } from "./Balances";
import { FirstScreen } from "./FirstScreen";
import { ClaimOffer } from "./ClaimOffer";
import { offerClaim } from "../core/claimOffer";
import { Group, isolate, type GroupCtx, type Toast } from "./context";
import { readOnly, Removed } from "./Removed";
import { GroupList } from "./GroupList";
import { InstallGuide } from "./InstallGuide";
import { DuplicateName } from "./DuplicateName";
import { Expenses } from "./Expenses";
import { Invite } from "./Invite";
import { Members } from "./Members";
import { Onboarding, type OnboardingMode } from "./Onboarding";
import { Settings } from "./Settings";
import { Stats } from "./Stats";
import { Sheet } from "./Sheet";
import { SyncPanel } from "./SyncPanel";
import { TabBar, type Tab } from "./TabBar";
import { TopBar } from "./TopBar";
import { Toasts } from "./Toasts";
import { OtherVersion, useDatabaseState } from "./OtherVersion";
import { ConfirmDialog, type ConfirmState } from "./ConfirmDialog";
import { language, onLanguage, t } from "../i18n";
import { step } from "../core/trace";
import { tb } from "../i18n/jsx";

export interface ShellProps {
  factory: GroupFactory | null;
  /** why the core did not load */
  coreError?: string | null;
  store: Store;
  /** receipts' bytes (IndexedDB when not given; the tests give one in memory) */
  blobs?: BlobStore;
  /** which sharing kernel the core runs (shown on the About screen) */
  kernel: string;
  fetchFn?: FetchFn;
  /** false in tests that do not want background rounds */
  autoSync?: boolean;
  /** the Web Locks (tests give their own) */
  locks?: Locks;
  /** the browser, for the "Add to Home Screen" guide (tests give an iPhone's) */
  installEnv?: InstallEnv;
}

/** How long after the start the receipts' prune waits for (then for the phone to be idle). */
const PRUNE_AFTER_MS = 30_000;

type View = { kind: "loading" } | { kind: "onboarding"; mode: OnboardingMode; code?: string } | { kind: "invite" } | { kind: "group" };

function appUrl(): string {
  return typeof location === "undefined" ? "https://gfms.invalid/" : location.origin + location.pathname;
}

function joinCodeInHash(): string | null {
  if (typeof location === "undefined") return null;
  return location.hash.startsWith("#join=") ? location.hash.slice("#join=".length) : null;
}

/** Takes the invite out of the address bar (and the history), once it is handled. */
function clearJoinHash(): void {
  if (typeof history !== "undefined" && location.hash.startsWith("#join=")) {
    history.replaceState(null, "", location.pathname + location.search);
  }
}

export function Shell({ factory, coreError = null, store, blobs: givenBlobs, kernel, fetchFn, autoSync = true, locks, installEnv: givenInstallEnv }: ShellProps) {
  const installEnv = useMemo(() => givenInstallEnv ?? browserInstallEnv(), [givenInstallEnv]);
  const blobs = useMemo(() => givenBlobs ?? idbBlobs(), [givenBlobs]);
  // a language chosen in Settings re-renders every screen at once; nothing reloads
  const [, setLang] = useState(language());
  useEffect(() => onLanguage(setLang), []);
  // another tab of another version (../core/db): a newer one took the database over, or
  // an older one keeps it from opening
  const database = useDatabaseState();
  const [groups, setGroups] = useState<GroupEntry[]>([]);
  const [doc, setDoc] = useState<GroupDoc | null>(null);
  const [view, setView] = useState<View>({ kind: "loading" });
  const [tab, setTab] = useState<Tab>("expenses");
  const [version, setVersion] = useState(0);
  const [sync, setSync] = useState<SyncStatus>(IDLE);
  const [syncOpen, setSyncOpen] = useState(false);
  const [inviteOpen, setInviteOpen] = useState(false);
  const [groupsOpen, setGroupsOpen] = useState(false);
  const [aboutOpen, setAboutOpen] = useState(false);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [confirmState, setConfirmState] = useState<ConfirmState | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  // groups whose saved copy this device cannot open (../core/storage `Unreadable`)
  const [unreadable, setUnreadable] = useState<Unreadable[]>([]);
  const cannotOpen = useCallback((e: Unreadable) => setUnreadable((all) => [...all.filter((u) => u.key !== e.key), e]), []);
  // a tapped notification's record: shown once it is here, or explained after a round
  const [focus, setFocus] = useState<{ record: string; since: number } | null>(null);
  const [openExpense, setOpenExpense] = useState<string | null>(null);
  const scheduler = useRef<SyncScheduler | null>(null);
  const toastSeq = useRef(0);
  const docRef = useRef<GroupDoc | null>(null);
  docRef.current = doc;

  const env: DocEnv | null = useMemo(
    () => (factory ? { factory, store, blobs, locks: locks ?? browserLocks(), channel: browserChannel } : null),
    [factory, store, blobs, locks],
  );

  // a failed read (the database taken over by a newer version) leaves the list as it was
  const refreshGroups = useCallback(() => store.listGroups().then(setGroups, () => {}), [store]);
  const loadSaved = useCallback((key: string) => store.loadGroup(key), [store]);

  const toast = useCallback((text: string, action?: Toast["action"]) => {
    toastSeq.current += 1;
    const t: Toast = action ? { id: toastSeq.current, text, action } : { id: toastSeq.current, text };
    // one at a time: a new message replaces the last, so they never pile up over the list
    setToasts([t]);
    setTimeout(() => setToasts((all) => all.filter((x) => x.id !== t.id)), action ? 6000 : 3500);
  }, []);

  const confirm = useCallback(
    (message: string, ok: string) => new Promise<boolean>((resolve) => setConfirmState({ message, ok, resolve })),
    [],
  );

  /** Shows a group: makes it current and shows its expenses. */
  const show = useCallback(
    async (next: GroupDoc, view: View = { kind: "group" }) => {
      await store.setCurrent(next.key);
      setDoc((old) => {
        if (old && old !== next) old.close();
        return next;
      });
      setVersion((v) => v + 1);
      setTab("expenses");
      setView(view);
      await refreshGroups();
    },
    [store, refreshGroups],
  );

  /**
   * Opens the group an invite is for if this device is already in it ("You're already in
   * Lisbon trip"): joining again would add a second member of the same name.
   */
  const openIfMine = useCallback(
    async (code: string): Promise<boolean> => {
      if (!env) return false;
      let key: string | null = null;
      try {
        key = env.factory.inviteGroupKey(code);
      } catch {
        return false; // the join form says what is wrong with it
      }
      const mine = await GroupDoc.open(env, key);
      if (!mine) return false;
      clearJoinHash();
      await show(mine);
      toast(t("shell.alreadyIn", { group: isolate(mine.api.name()) }));
      return true;
    },
    [env, show, toast],
  );

  /** An invite link was opened (at start or in this open tab). */
  const openInvite = useCallback(
    async (code: string) => {
      if (!(await openIfMine(code))) setView({ kind: "onboarding", mode: "join", code });
    },
    [openIfMine],
  );

  // startup: the join link, else the current group, else onboarding
  useEffect(() => {
    askPersistence();
    if (!env) return;
    const start = async (): Promise<void> => {
      try {
        const all = await store.listGroups();
        setGroups(all);
        const code = joinCodeInHash();
        if (code) return await openInvite(code);
        // a tapped notification (public/push-sw.js): its group and record
        const target = typeof location === "undefined" ? null : notificationTarget(location.search);
        clearNotificationTarget();
        // a group whose saved copy cannot be opened here is named, and the next one opened
        const tryOpen = async (key: string): Promise<GroupDoc | null> => {
          try {
            return await GroupDoc.open(env, key);
          } catch (e) {
            if (!(e instanceof Unreadable)) throw e;
            cannotOpen(e);
            return null;
          }
        };
        const wanted = target ? await tryOpen(target.group) : null;
        if (target && !wanted) toast(t("opened.groupNotHere"));
        if (wanted) {
          await store.setCurrent(wanted.key);
          setDoc(wanted);
          setView({ kind: "group" });
          if (target?.record) setFocus({ record: target.record, since: Date.now() });
          return;
        }
        const first = (await store.getCurrent()) ?? all[0]?.key;
        const order = first === undefined ? [] : [first, ...all.map((g) => g.key).filter((k) => k !== first)];
        let opened: GroupDoc | null = null;
        for (const key of order) if ((opened = await tryOpen(key))) break;
        if (opened) {
          setDoc(opened);
          setView({ kind: "group" });
        } else {
          setView({ kind: "onboarding", mode: "welcome" });
        }
      } catch (e) {
        // an older tab keeps the database from opening: "close the other tabs" is shown
        // (<OtherVersion>), and the app starts once they are closed
        if (e instanceof Blocked) return whenUnblocked().then(start);
        setLoadError(problemText(e));
        setView({ kind: "onboarding", mode: "welcome" });
      }
    };
    void start();
  }, [env, store]);

  // an invite opened while the app is open: only the fragment changes, nothing reloads
  useEffect(() => {
    if (!env || typeof window === "undefined") return;
    const onHash = () => {
      const code = joinCodeInHash();
      if (code) void openInvite(code);
    };
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, [env, openInvite]);

  // another tab changed the open group: show its copy
  useEffect(() => {
    if (!doc) return;
    const off = doc.subscribe(() => {
      setVersion((v) => v + 1);
      void refreshGroups();
    });
    const recheck = () => void doc.refresh().catch(() => {}); // the next write meets and reports a failure
    const onVisible = () => {
      if (document.visibilityState !== "hidden") recheck();
    };
    if (typeof window !== "undefined") {
      window.addEventListener("focus", recheck);
      document.addEventListener("visibilitychange", onVisible);
    }
    return () => {
      off();
      if (typeof window !== "undefined") {
        window.removeEventListener("focus", recheck);
        document.removeEventListener("visibilitychange", onVisible);
      }
    };
  }, [doc, refreshGroups]);

  // the group removed from this phone in another tab: leave it for the group list
  useEffect(() => {
    if (!doc) return;
    return doc.onRemoved(() => {
      const name = doc.api.name();
      setDoc((old) => {
        if (old !== doc) return old;
        doc.close();
        return null;
      });
      setView({ kind: "onboarding", mode: "welcome" });
      toast(t("shell.removedElsewhere", { group: isolate(name) }));
      void store
        .listGroups()
        .then((rest) => {
          setGroups(rest);
          if (rest.length > 0) setGroupsOpen(true);
        })
        .catch(() => {});
    });
  }, [doc, store, toast]);

  // receipts no group on this phone names any more (their expense deleted, or the receipt
  // taken off it) leave it: once per start, when the phone is idle a while after (it opens
  // every group); not in tests that want no background work
  useEffect(() => {
    if (!factory || !autoSync || database.superseded) return;
    const timer = setTimeout(() => {
      const run = () => void pruneReceipts(store, factory, blobs).catch(() => {});
      const idle = (globalThis as { requestIdleCallback?: (fn: () => void, o: { timeout: number }) => number }).requestIdleCallback;
      if (idle) idle(run, { timeout: 60_000 });
      else run();
    }, PRUNE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [factory, store, blobs, autoSync, database.superseded]);

  // the open group's sync: a scheduler for when, push sockets for news, the doc for how
  // (none once a newer version took the database over: nothing could be saved)
  useEffect(() => {
    if (!doc || !autoSync || database.superseded) return;
    // the rounds' requests tell this phone's own shares, whose acks are news (core/sync/own)
    const own = new OwnShares();
    const s = new SyncScheduler((demanded, progress) => doc.sync(own.watch(fetchFn), !demanded, progress));
    const onOutbox = (id: string | null) => (id === null || own.has(id)) && s.outboxNews();
    // a pushed share's bytes: the record shows as soon as `k` of them open its batch; the
    // round each push asks for acks it behind the screen
    // (drawn once merged in memory: the save follows, and no ack leaves before it)
    const onShare = (url: string, id: string, bytes: string) => void doc.offer(url, id, bytes, () => setVersion((v) => v + 1));
    const push = new PushSockets(() => doc.api.pushEndpoints(), { onPush: (inline) => s.pushNews(inline), onShare, onOutbox, onCount: (n, total) => s.setPushOpen(n, total) });
    s.usePush(push);
    scheduler.current = s;
    // The screen refreshes when a round has merged what it received (its acks and any
    // coalesced round run behind it), and when the rounds end.
    let merged = 0;
    const off = s.subscribe((status) => {
      setSync(status);
      const m = status.progress?.merged ?? 0;
      if (!status.running || m > merged) setVersion((v) => v + 1);
      if (!status.running && status.lastReport) void announceJoin(doc.api);
      merged = m; // each round counts from 0 (the scheduler clears progress between rounds)
    });
    s.start();
    return () => {
      off();
      s.stop();
      scheduler.current = null;
      setSync(IDLE);
    };
  }, [doc, autoSync, fetchFn, database.superseded]);

  const syncNow = useCallback(async () => {
    if (scheduler.current) await scheduler.current.syncNow(true);
    else if (doc) {
      setSync((s) => ({ ...s, running: true }));
      try {
        const report = await doc.sync(fetchFn, false, (progress) => setSync((s) => ({ ...s, progress })));
        const now = Date.now();
        const reached = report?.relays.some((r) => r.health !== "down") ?? false;
        setSync((s) => ({ ...s, running: false, progress: null, lastReport: report ?? s.lastReport, lastError: null, lastMs: now, lastReachedMs: reached ? now : s.lastReachedMs }));
      } catch (e) {
        setSync((s) => ({ ...s, running: false, progress: null, lastError: problemText(e), lastMs: Date.now() }));
      }
      setVersion((v) => v + 1);
    }
  }, [doc, fetchFn]);

  const mutate = useCallback(
    async <T,>(fn: (a: GroupApi, nowMs: number) => T): Promise<T> => {
      if (!doc) throw new Error("no open group");
      step("tap: mutate");
      try {
        // once the change is durable, its round starts inside the write's hold on the
        // lock; the screen redraws once that round's upload has started (the phone's work
        // for it comes first: docs/latency.md "Tap → the other phone")
        let sending: Promise<void> = Promise.resolve();
        const out = await doc.write(fn, () => {
          if (scheduler.current) sending = scheduler.current.sendNow();
        });
        await sending;
        return out;
      } finally {
        setVersion((v) => v + 1);
        await refreshGroups();
      }
    },
    [doc, refreshGroups],
  );

  // the app closes (or the tests unmount it): stop listening to the other tabs
  useEffect(() => () => docRef.current?.close(), []);

  // a group opened: if the browser dropped this member's push subscription, subscribe
  // again or turn notifications off (../push/renew)
  useEffect(() => {
    if (!doc || !autoSync) return;
    void browserPush()
      .then((browser) => browser && renewOwnSubscription(doc.api, mutate, browser))
      .catch(() => {});
  }, [doc, autoSync]);

  const api = doc?.api ?? null;
  const state = useMemo(() => {
    if (!api) return null;
    step("draw: state asked");
    const read = api.state();
    step("draw: state read");
    return read;
  }, [api, version]);
  const showInvite = useCallback(() => setInviteOpen(true), []);

  // the notification's record: its expense, or the balances for a settle-up; not here
  // after a round: deleted, or not arrived
  useEffect(() => {
    if (!focus || !state || !api) return;
    const place = recordPlace(state, focus.record, (id) => api.history(id));
    if (place === "expense" || place === "deleted") {
      setTab("expenses");
      setOpenExpense(focus.record); // the editor, or the activity for a deleted one
      if (place === "deleted") toast(t("opened.recordDeleted"));
    } else if (place === "settlement") setTab("balances");
    else if (sync.running || sync.lastMs < focus.since) return;
    else toast(t("opened.recordGone"));
    setFocus(null);
  }, [focus, api, state, sync, toast]);

  /** Tells the user about a failure: its sentence, with its action as the toast's button. */
  const problem = useCallback(
    (e: unknown, retry?: () => void | Promise<void>) => {
      const { text, action } = explain(e);
      const run =
        action === "sync" ? () => syncNow() : action === "retry" ? retry : action === "reload" ? () => location.reload() : action === "settings" ? () => setTab("settings") : undefined;
      toast(text, action && run ? { label: actionLabel(action), run } : undefined);
    },
    [toast, syncNow],
  );

  const ctx: GroupCtx | null = useMemo(
    () => (api && state ? { api, state, version, mutate, sync, syncNow, toast, problem, confirm, showInvite, appUrl: appUrl(), blobs } : null),
    [api, state, version, mutate, sync, syncNow, toast, problem, confirm, showInvite, blobs],
  );

  const switchTo = async (choice: string) => {
    setGroupsOpen(false);
    if (choice === "new") return setView({ kind: "onboarding", mode: "create" });
    if (choice === "join") return setView({ kind: "onboarding", mode: "join" });
    if (!env) return;
    try {
      const next = await GroupDoc.open(env, choice);
      if (next) await show(next);
    } catch (e) {
      if (e instanceof Unreadable) cannotOpen(e);
      toast(problemText(e));
    }
  };

  /** After leaving: forget the group here, open another or onboarding. */
  const forget = async (key: string) => {
    if (doc?.key === key) doc.close(); // this tab leaves it as it says so; the others are told
    await store.deleteGroup(key);
    announceRemoved(browserChannel, key);
    const rest = (await store.listGroups()).filter((g) => g.key !== key);
    setGroups(rest);
    const next = rest[0] && env ? await GroupDoc.open(env, rest[0].key) : null;
    if (next) await show(next);
    else {
      setDoc((old) => {
        old?.close();
        return null;
      });
      await store.setCurrent(null);
      setView({ kind: "onboarding", mode: "welcome" });
    }
  };

  /** A group created or joined here: its first save, then show it. */
  const adopt = async (api: GroupApi, view: View) => {
    if (!env) return;
    await show(await GroupDoc.adopt(env, api), view);
  };

  // each with a way to take it off this phone's list (it holds nothing this phone can read)
  const unreadableNotes = unreadable.map(({ key, group }) => (
    <p key={key} class="error" role="alert" data-testid="unreadable">
      {tb("storage.unreadable", { group })}{" "}
      <button
        type="button"
        class="link"
        onClick={async () => {
          await store.deleteGroup(key);
          setUnreadable((all) => all.filter((u) => u.key !== key));
          await refreshGroups();
        }}
      >
        {t("settings.removeFromPhone")}
      </button>
    </p>
  ));

  let body: ComponentChildren;
  if (!factory) {
    // the core loads right after the first paint: until then the current group shows
    // read-only from the first-screen module (./FirstScreen)
    body = coreError ? (
      <main class="screen center">
        <p class="error" role="alert">
          {t("shell.coreFailed", { error: coreError })}
        </p>
      </main>
    ) : (
      <FirstScreen store={store} />
    );
  } else if (view.kind === "loading") {
    body = (
      <main class="screen center">
        <p aria-busy="true">{t("common.loading")}</p>
      </main>
    );
  } else if (view.kind === "onboarding") {
    body = (
      <main class="screen">
        {loadError && (
          <p class="error" role="alert">
            {t("shell.loadFailed", { error: loadError })}
          </p>
        )}
        {unreadableNotes}
        <Onboarding
          factory={factory}
          mode={view.mode}
          {...(view.code ? { initialCode: view.code } : {})}
          canCancel={doc !== null}
          onCancel={() => setView({ kind: "group" })}
          onAbout={() => setAboutOpen(true)}
          openIfMine={openIfMine}
          onCreated={(g) => adopt(g, { kind: "invite" })}
          onJoined={async (g) => {
            clearJoinHash();
            browserJoinMarks().mark(g.groupKey()); // "… joined", once the history is here
            offerClaim(g.groupKey());
            await adopt(g, { kind: "group" });
          }}
        />
      </main>
    );
  } else if (ctx && view.kind === "invite") {
    body = (
      <main class="screen">
        <Invite first onDone={() => setView({ kind: "group" })} />
      </main>
    );
  } else if (ctx) {
    body = (
      <>
        <main class="screen with-tabs">
          {unreadableNotes}
          <Removed onRemove={forget} onExport={() => setTab("settings")} />
          <InstallGuide env={installEnv} />
          <DuplicateName onRename={() => setTab("members")} />
          <ClaimOffer key={doc?.key} />
          {tab === "expenses" && <Expenses open={openExpense} onOpened={() => setOpenExpense(null)} />}
          {tab === "balances" && <Balances />}
          {tab === "stats" && <Stats />}
          {tab === "members" && <Members />}
          {tab === "settings" && <Settings onLeft={forget} onAbout={() => setAboutOpen(true)} />}
        </main>
        <TabBar tab={tab} onTab={setTab} />
        {syncOpen && <SyncPanel onClose={() => setSyncOpen(false)} />}
        {inviteOpen && (
          <Sheet title={t("common.invitePeople")} onClose={() => setInviteOpen(false)} testid="invite-sheet">
            <Invite onDone={() => setInviteOpen(false)} />
          </Sheet>
        )}
      </>
    );
  }
  const current = view.kind === "group" || view.kind === "invite" ? (doc?.key ?? null) : null;

  return (
    <Group.Provider value={ctx}>
      <TopBar
        groupName={current && api ? api.name() : null}
        hasGroups={groups.length > 0}
        onGroups={() => {
          setGroupsOpen(true);
          void refreshGroups(); // another tab may have added one
        }}
        onInvite={current && ctx && !readOnly(ctx.state) ? showInvite : null}
        sync={ctx && current ? sync : null}
        state={state}
        onSyncClick={() => setSyncOpen(true)}
      />
      <OtherVersion {...database} />
      {body}
      {groupsOpen && <GroupList groups={groups} current={current} factory={factory} load={loadSaved} onChoose={(c) => void switchTo(c)} onClose={() => setGroupsOpen(false)} />}
      {aboutOpen && <About kernel={kernel} onClose={() => setAboutOpen(false)} />}
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
