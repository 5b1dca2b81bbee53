// The real facade: the client library compiled to wasm (client-wasm/src/wasm/group.rs),
// wrapped into the typed `GroupApi` of ./types; statistics and exports come from the
// reports module (./reports), loaded on first use. Values cross the boundary as JSON; share
// bytes as Uint8Array. Errors thrown by the wasm side are `Error`s with a `code`.
// The core is not in the first load (issue 12): its glue is imported dynamically, so it is
// a chunk of its own that the service worker precaches; the first screen reads the saved
// group from the first-screen module (./view) while it loads.
import type { GroupClient, SyncRound } from "../wasm/gfms_client.js";
import { lazyWasm } from "./lazyWasm";
import { provideCoreRules } from "./rules";
import { isoDate } from "./format";
import type { ImportApplied, ImportWrites } from "./import";
import * as reports from "./reports";
import type {
  Attached,
  EventId,
  Expense,
  Filter,
  GroupApi,
  GroupFactory,
  GroupSettings,
  GroupState,
  HistoryEntry,
  HttpRequest,
  Itemized,
  ItemizedTotal,
  KeysView,
  PaymentDetails,
  PlannedPayment,
  MemberId,
  MergeReport,
  PendingBatch,
  ReceiptsPending,
  Recurring,
  Settlement,
  Statistics,
  SyncRoundApi,
  SyncStep,
  Transfer,
} from "./types";
import type { PushSubscription } from "./types.gen";
import { t } from "../i18n";

const coreModule = lazyWasm(() => import("../wasm/gfms_client.js"));
let glue: typeof import("../wasm/gfms_client.js") | null = null;

/**
 * Instantiates the wasm core once: fetched beside this module in the app, or from
 * `bytes` where there is nothing to fetch from (the unit tests read the file in Node).
 * A failed load is tried again on the next call.
 */
export async function initWasm(bytes?: BufferSource): Promise<void> {
  if (bytes) coreModule.useBytes(bytes);
  const m = await coreModule.get();
  glue = m;
  provideCoreRules(m);
}

/** The core's glue, once `initWasm` has resolved (every caller below runs after it). */
function core(): typeof import("../wasm/gfms_client.js") {
  if (!glue) throw new Error("the client core is not loaded yet");
  return glue;
}

/** Which Shamir kernel the loaded core runs ("simd128" as the app builds it). */
export function sharingKernel(): string {
  return core().sharingKernel();
}

function parse<T>(json: string): T {
  return JSON.parse(json) as T;
}

interface WireRequest {
  id: number;
  method: HttpRequest["method"];
  url: string;
  headers: [string, string][];
  has_body: boolean;
}

type WireStep =
  | { kind: "requests"; requests: WireRequest[] }
  | { kind: "persist" }
  | { kind: "done"; report: Extract<SyncStep, { kind: "done" }>["report"] };

class WasmRound implements SyncRoundApi {
  constructor(private readonly raw: SyncRound) {}

  next(): SyncStep {
    const step = parse<WireStep>(this.raw.next());
    if (step.kind !== "requests") return step;
    return {
      kind: "requests",
      requests: step.requests.map((r) => {
        const req: HttpRequest = { id: r.id, method: r.method, url: r.url, headers: r.headers };
        if (r.has_body) {
          const body = this.raw.body(r.id);
          if (body) req.body = body;
        }
        return req;
      }),
    };
  }

  handle(id: number, status: number, body: Uint8Array): void {
    this.raw.handle(id, status, body);
  }

  fail(id: number, message: string): void {
    this.raw.fail(id, message);
  }

  persisted(): void {
    this.raw.persisted();
  }
}

class WasmGroup implements GroupApi {
  constructor(private readonly raw: GroupClient) {}

  /** The core counts the recurring instances due by the device's calendar day: told before each read (the day turns at midnight). */
  private today(): GroupClient {
    this.raw.setToday(isoDate());
    return this.raw;
  }

  groupKey(): string {
    return this.raw.groupKey();
  }
  name(): string {
    return this.raw.name();
  }
  me(): MemberId {
    return this.raw.me();
  }
  state(): GroupState {
    return parse<GroupState>(this.today().state());
  }
  save(): string {
    return this.raw.save();
  }
  inviteCode(): string {
    return this.raw.inviteCode();
  }
  inviteLink(appUrl: string): string {
    return this.raw.inviteLink(appUrl);
  }
  addExpense(expense: Expense, nowMs: number): EventId {
    return this.raw.addExpense(JSON.stringify(expense), nowMs);
  }
  editExpense(id: EventId, expense: Expense, nowMs: number): void {
    this.raw.editExpense(id, JSON.stringify(expense), nowMs);
  }
  deleteExpense(id: EventId, nowMs: number): void {
    this.raw.deleteExpense(id, nowMs);
  }
  recordSettlement(settlement: Settlement, nowMs: number): EventId {
    return this.raw.recordSettlement(JSON.stringify(settlement), nowMs);
  }
  deleteSettlement(id: EventId, nowMs: number): void {
    this.raw.deleteSettlement(id, nowMs);
  }
  renameMember(member: MemberId, name: string, nowMs: number): void {
    this.raw.renameMember(member, name, nowMs);
  }
  removeMember(member: MemberId, nowMs: number): void {
    this.raw.removeMember(member, nowMs);
  }
  leave(nowMs: number): void {
    this.raw.leave(nowMs);
  }
  changeSettings(settings: GroupSettings, nowMs: number): void {
    this.raw.changeSettings(JSON.stringify(settings), nowMs);
  }
  changeRelays(relays: string[], k: number, nowMs: number): void {
    this.raw.changeRelays(JSON.stringify(relays), k, nowMs);
  }
  expenses(filter: Filter): [EventId, Expense][] {
    return parse<[EventId, Expense][]>(this.today().expenses(JSON.stringify(filter)));
  }
  balances(): Record<MemberId, number> {
    return parse<Record<MemberId, number>>(this.today().balances());
  }
  settleUp(): Transfer[] {
    return parse<Transfer[]>(this.today().settleUp());
  }
  statistics(filter: Filter): Promise<Statistics> {
    return reports.statistics(this.today().state(), filter);
  }
  splitParts(expense: Expense): [MemberId, number][] {
    return parse<[MemberId, number][]>(this.raw.splitParts(JSON.stringify(expense)));
  }
  exportCsv(): Promise<string> {
    return reports.exportCsv(this.today().state());
  }
  exportJson(): Promise<string> {
    return reports.exportJson(this.raw.backupEvents());
  }
  importJson(json: string): MergeReport {
    return parse<MergeReport>(this.raw.importJson(json));
  }
  applyImport(w: ImportWrites, nowMs: number): ImportApplied {
    return parse<ImportApplied>(this.raw.applyImport(w.members, w.names, w.expenses, w.settlements, nowMs));
  }
  attachReceipt(expenseId: EventId, bytes: Uint8Array, mime: string, name: string, thumb: Uint8Array | undefined, nowMs: number): Attached {
    return parse<Attached>(this.raw.attachReceipt(expenseId, bytes, mime, name, thumb, nowMs));
  }
  removeReceipt(expenseId: EventId, hash: string, nowMs: number): void {
    this.raw.removeReceipt(expenseId, hash, nowMs);
  }
  takeReceivedBlobs(): [string, Uint8Array][] {
    const out: [string, Uint8Array][] = [];
    for (const hash of parse<string[]>(this.raw.takeReceivedBlobs())) {
      const bytes = this.raw.receivedBlob(hash);
      if (bytes) out.push([hash, bytes]);
    }
    return out;
  }
  receiptsPending(): ReceiptsPending {
    return parse<ReceiptsPending>(this.raw.receiptsPending());
  }
  requestReceipt(hash: string, nowMs: number): void {
    this.raw.requestReceipt(hash, nowMs);
  }
  wantedReceipts(): string[] {
    return parse<string[]>(this.raw.wantedReceipts());
  }
  resendReceipt(hash: string, bytes: Uint8Array, nowMs: number): void {
    this.raw.resendReceipt(hash, bytes, nowMs);
  }
  pending(): PendingBatch[] {
    return parse<PendingBatch[]>(this.raw.pending());
  }
  keys(): KeysView {
    return parse<KeysView>(this.raw.keys());
  }
  lastActive(): Record<MemberId, number> {
    return lastActiveOf(parse<unknown>(this.raw.events()));
  }
  lastSyncMs(): number {
    return this.raw.lastSyncMs();
  }
  addPlaceholder(name: string, nowMs: number): MemberId {
    return this.raw.addPlaceholder(name, nowMs);
  }
  claimPlaceholder(placeholder: MemberId, nowMs: number): void {
    this.raw.claimPlaceholder(placeholder, nowMs);
  }
  restoreExpense(id: EventId, to: EventId | null, nowMs: number): void {
    this.raw.restoreExpense(id, to ?? "", nowMs);
  }
  history(id: EventId): HistoryEntry[] {
    return parse<HistoryEntry[]>(this.today().history(id));
  }
  activity(member: MemberId | null, limit: number): HistoryEntry[] {
    return parse<HistoryEntry[]>(this.raw.activity(member ?? "", limit));
  }
  addRecurring(recurring: Recurring, nowMs: number): EventId {
    return this.raw.addRecurring(JSON.stringify(recurring), nowMs);
  }
  editRecurring(series: EventId, from: string, template: Expense, nowMs: number): void {
    this.raw.editRecurring(series, from, JSON.stringify(template), nowMs);
  }
  setRecurringInstance(series: EventId, date: string, value: Expense | null, nowMs: number): void {
    this.raw.setRecurringInstance(series, date, value ? JSON.stringify(value) : "", nowMs);
  }
  stopRecurring(series: EventId, from: string, nowMs: number): void {
    this.raw.stopRecurring(series, from, nowMs);
  }
  itemizedTotal(bill: Itemized): ItemizedTotal {
    return parse<ItemizedTotal>(core().itemizedTotal(JSON.stringify(bill)));
  }
  eventLog(): unknown {
    return parse<unknown>(this.raw.events());
  }
  rescale(expense: Expense, amount: number): Expense {
    return parse<Expense>(core().rescaleExpense(JSON.stringify(expense), amount));
  }
  setPaymentDetails(member: MemberId, details: PaymentDetails, nowMs: number): void {
    this.raw.setPaymentDetails(member, JSON.stringify(details), nowMs);
  }
  settleUpWithDetails(): PlannedPayment[] {
    return parse<PlannedPayment[]>(this.today().settleUpWithDetails());
  }
  setPush(subscription: PushSubscription | null, nowMs: number): void {
    this.raw.setPush(subscription ? JSON.stringify(subscription) : "", nowMs);
  }
  pushEndpoints(): [string, string[]][] {
    return parse<[string, string[]][]>(this.raw.pushEndpoints());
  }
  offerShare(socketUrl: string, shareId: string, bytes: string, nowMs: number): "merged" | "held" | "ignored" | "refused" {
    return this.raw.offerShare(socketUrl, shareId, bytes, nowMs) as "merged" | "held" | "ignored" | "refused";
  }
  syncRound(nowMs: number): SyncRoundApi {
    return new WasmRound(this.raw.syncRound(nowMs));
  }
}

/** One event's JSON text from the core's `events()`, read; `null` if it cannot be. */
function readEvent(text: unknown): { author?: unknown; at_ms?: unknown } | null {
  if (typeof text !== "string") return null;
  try {
    return JSON.parse(text) as { author?: unknown; at_ms?: unknown };
  } catch {
    return null;
  }
}

/** Each author's latest `at_ms` in the core's event log (the exact text of each event, as
 * `events()` gives it; events it cannot read are skipped). */
export function lastActiveOf(events: unknown): Record<MemberId, number> {
  const out: Record<MemberId, number> = {};
  if (!Array.isArray(events)) return out;
  for (const e of events.map(readEvent)) {
    if (typeof e?.author !== "string" || typeof e.at_ms !== "number") continue;
    out[e.author] = Math.max(out[e.author] ?? 0, e.at_ms);
  }
  return out;
}

const factory: GroupFactory = {
  create(opts) {
    return new WasmGroup(core().GroupClient.create(JSON.stringify(opts)));
  },
  join(code, memberName, nowMs) {
    return new WasmGroup(core().GroupClient.join(code, memberName, nowMs));
  },
  load(saved) {
    return new WasmGroup(core().GroupClient.load(saved));
  },
  peekInvite(codeOrLink) {
    return parse<{ name: string; relays: string[]; k: number }>(core().GroupClient.peekInvite(codeOrLink));
  },
  inviteGroupKey(codeOrLink) {
    return core().inviteGroupKey(codeOrLink);
  },
};

// A module whose one function uses a v128 instruction (as wasm-feature-detect checks):
// the core is built with wasm SIMD, which Safari has run since iOS 16.4.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

/** Whether this browser runs wasm SIMD. */
export function hasWasmSimd(): boolean {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** Loads the wasm core and returns the group factory. */
export async function loadCore(): Promise<GroupFactory> {
  if (!hasWasmSimd()) {
    throw new Error(t("shell.tooOld"));
  }
  await initWasm();
  return factory;
}
