// The contract between the PWA and the client library's wasm facade (`GroupClient` in
// client-wasm/src/wasm/group.rs). The shapes of the core's JSON are generated from the
// Rust types (./types.gen.ts, checked by client-wasm/tests/ts_types.rs); only the
// facade's own calls and the driver's additions are written here.
// Amounts are integer minor units (cents); currencies are ISO 4217 codes.
import type { ImportApplied, ImportWrites } from "./import";
import type { DeviceView, KeysView, RelayReport as CoreRelayReport, State, SyncReport as CoreSyncReport } from "./types.gen";

export type {
  BalanceSheet,
  DeviceView,
  EventId,
  Expense,
  Filter,
  GroupSettings,
  Member,
  MemberId,
  MemberStatus,
  MergeReport,
  PendingBatch,
  Rate,
  RelayHealth,
  Settlement,
  Split,
  Statistics,
  Transfer,
} from "./types.gen";
export type { KeptAside, KeysView, MemberKeys, Removal } from "./types.gen";
export type { HistoryEntry, Itemized, ItemizedTotal, PaymentDetails, PaymentLink, PlannedPayment } from "./types.gen";
export type { Recurring, Schedule, Series, Unit } from "./types.gen";
export type { Attached, Receipt, ReceiptsPending } from "./types.gen";
import type {
  Attached,
  EventId,
  Expense,
  Filter,
  GroupSettings,
  HistoryEntry,
  Itemized,
  ItemizedTotal,
  MemberId,
  MergeReport,
  PaymentDetails,
  PlannedPayment,
  PendingBatch,
  PushSubscription,
  ReceiptsPending,
  Recurring,
  Settlement,
  Statistics,
  Transfer,
} from "./types.gen";

/** A recurring instance's series and day (`state().instances`). */
export interface InstanceOf {
  series: EventId;
  date: string;
}

/** What the ledger adds up to (`GroupClient.state()`): the ledger's `State`, with the
 * recurring instances due today among its expenses (`instances` names their series and
 * day), and what this device still has to deliver (`device`: leaving, events from a
 * newer version, …). */
export type GroupState = State & { device: DeviceView; instances?: Record<EventId, InstanceOf> };

/** One relay in a round's report, with what the app's driver measured. */
export type RelayReport = CoreRelayReport & {
  /** round-trip of the slowest request to it in the round, ms (set by the driver) */
  slowest_ms?: number;
};

/** What one sync round did (the engine's report, relays as the driver saw them). */
export type SyncReport = Omit<CoreSyncReport, "relays"> & { relays: RelayReport[] };

/** One HTTP request the sans-IO engine wants made. */
export interface HttpRequest {
  id: number;
  method: "GET" | "POST" | "PUT" | "DELETE";
  url: string;
  headers: [string, string][];
  body?: Uint8Array;
}

export type SyncStep =
  | { kind: "requests"; requests: HttpRequest[] }
  /** save `client.save()` durably, then call `round.persisted()` */
  | { kind: "persist" }
  | { kind: "done"; report: SyncReport };

/** A sync round in progress (sans-IO: the driver makes the requests). */
export interface SyncRoundApi {
  next(): SyncStep;
  /** the response to request `id` (status and body bytes) */
  handle(id: number, status: number, body: Uint8Array): void;
  /** request `id` failed at the network level (relay down, timeout) */
  fail(id: number, message: string): void;
  /** the state was saved durably (answer to a "persist" step) */
  persisted(): void;
}

/**
 * One group on this device, as the wasm facade exposes it. Mutating calls append events
 * to the ledger and mark them unsent; `save()` gives the JSON to keep in IndexedDB.
 * Errors are thrown as `Error` with a string `code` property.
 */
export interface GroupApi {
  /** stable local id of the group (hex), for storage keys */
  groupKey(): string;
  /** the group's name: from its settings, or the invite's until the history arrives */
  name(): string;
  me(): MemberId;
  state(): GroupState;
  save(): string;
  inviteCode(): string;
  /** `${appUrl}#join=${code}`: the secret only in the fragment */
  inviteLink(appUrl: string): string;

  addExpense(expense: Expense, nowMs: number): EventId;
  editExpense(id: EventId, expense: Expense, nowMs: number): void;
  deleteExpense(id: EventId, nowMs: number): void;
  recordSettlement(settlement: Settlement, nowMs: number): EventId;
  deleteSettlement(id: EventId, nowMs: number): void;
  renameMember(member: MemberId, name: string, nowMs: number): void;
  removeMember(member: MemberId, nowMs: number): void;
  leave(nowMs: number): void;
  changeSettings(settings: GroupSettings, nowMs: number): void;
  changeRelays(relays: string[], k: number, nowMs: number): void;
  /** adds someone by name only (a placeholder); returns their member id */
  addPlaceholder(name: string, nowMs: number): MemberId;
  /** this device's member says it is the unclaimed placeholder `placeholder` */
  claimPlaceholder(placeholder: MemberId, nowMs: number): void;
  /** brings an expense back: to the value event `to` wrote, or (no `to`) to its last value */
  restoreExpense(id: EventId, to: EventId | null, nowMs: number): void;
  /** one expense's history, oldest first */
  history(id: EventId): HistoryEntry[];
  /** the group's activity, newest first, at most `limit`; only `member`'s when given */
  activity(member: MemberId | null, limit: number): HistoryEntry[];
  /** the event log: each event's exact JSON text, oldest first (for history's values) */
  eventLog(): unknown;
  /** what an itemized bill comes to: total, each extra, each member's exact part */
  itemizedTotal(bill: Itemized): ItemizedTotal;
  /** the expense with a new amount, its payers and exact parts scaled in proportion */
  rescale(expense: Expense, amount: number): Expense;
  /** how to pay `member` (this device's own member, or a name-only member nobody claimed) */
  setPaymentDetails(member: MemberId, details: PaymentDetails, nowMs: number): void;
  /** the settle-up plan with each recipient's payment details and links */
  settleUpWithDetails(): PlannedPayment[];
  /** notifications on with this device's Web Push subscription, or off (null) */
  setPush(subscription: PushSubscription | null, nowMs: number): void;

  /** sets up a recurring expense (client-wasm/ledger/src/recurring); returns the series id */
  addRecurring(recurring: Recurring, nowMs: number): EventId;
  /** the whole series takes `template` from day `from` on ("this and later") */
  editRecurring(series: EventId, from: string, template: Expense, nowMs: number): void;
  /** the series' instance on `date` gets its own value ("this one only"), or with null is skipped */
  setRecurringInstance(series: EventId, date: string, value: Expense | null, nowMs: number): void;
  /** stops the series: no instances on or after `from` */
  stopRecurring(series: EventId, from: string, nowMs: number): void;

  /** expenses matching the filter, newest date first: [id, expense] (recurring instances due today among them) */
  expenses(filter: Filter): [EventId, Expense][];
  /** net balance per member in the group currency (positive: is owed) */
  balances(): Record<MemberId, number>;
  settleUp(): Transfer[];
  /** from the reports module, loaded on first use */
  statistics(filter: Filter): Promise<Statistics>;
  /** the expense split as computed (parts sum to the amount), or throws with a code */
  splitParts(expense: Expense): [MemberId, number][];

  /** from the reports module, loaded on first use */
  exportCsv(): Promise<string>;
  exportJson(): Promise<string>;
  importJson(json: string): MergeReport;
  /**
   * writes an import (`planImport`'s `writes`) all or nothing: new placeholders, then the
   * expenses and payments the group does not have yet; a refusal's message starts with
   * the refused record's import id
   */
  applyImport(writes: ImportWrites, nowMs: number): ImportApplied;

  /**
   * Attaches a receipt (a photo already downscaled, or a PDF) to expense `expenseId`, with
   * its thumbnail if any: both travel as their own batches. Throws `too_large` over 4 MiB,
   * `not_found` for an unknown expense. The host keeps the bytes (../core/blobs).
   */
  attachReceipt(expenseId: EventId, bytes: Uint8Array, mime: string, name: string, thumb: Uint8Array | undefined, nowMs: number): Attached;
  /** takes receipt `hash` off the expense, for everyone */
  removeReceipt(expenseId: EventId, hash: string, nowMs: number): void;
  /**
   * Receipts' bytes received completely since the last call, each handed over once: the
   * host stores them. Called after each sync round.
   */
  takeReceivedBlobs(): [string, Uint8Array][];
  /** receipts' pieces still to send and being received */
  receiptsPending(): ReceiptsPending;
  /** asks the other members to send receipt `hash` again (this phone joined after it was sent) */
  requestReceipt(hash: string, nowMs: number): void;
  /** receipts others asked for that this phone has not sent again yet */
  wantedReceipts(): string[];
  /** sends a receipt's bytes again, for those who asked */
  resendReceipt(hash: string, bytes: Uint8Array, nowMs: number): void;

  /** outgoing batches not yet complete, as last assessed */
  pending(): PendingBatch[];
  /**
   * Per member, the time (unix ms, by that member's clock) of the latest change of theirs
   * this device holds: when they were last active in the group, as far as it knows.
   */
  lastActive(): Record<MemberId, number>;
  /** member keys: whether the group is signed, each member's safety code, this device's */
  keys(): KeysView;
  /** unix ms of the last finished sync round, 0 if never */
  lastSyncMs(): number;
  /** relay WebSocket endpoints for push: [url, subprotocols] */
  pushEndpoints(): [string, string[]][];
  /**
   * A relay pushed a share with its bytes (`share_put` with `bytes`, base64url), on the
   * socket `socketUrl`: "merged" when its batch opened (save, then show it; the acks go
   * with the next round). Never throws.
   */
  offerShare(socketUrl: string, shareId: string, bytes: string, nowMs: number): "merged" | "held" | "ignored" | "refused";
  syncRound(nowMs: number): SyncRoundApi;
}

/** Static entry points of the facade. */
export interface GroupFactory {
  create(opts: {
    name: string;
    memberName: string;
    currency: string;
    relays: string[];
    k: number;
    nowMs: number;
    /** registration keys of friends-only relays, by URL */
    registrationKeys?: Record<string, string>;
  }): GroupApi;
  join(code: string, memberName: string, nowMs: number): GroupApi;
  load(saved: string): GroupApi;
  /** decode an invite code or link without joining (for a preview) */
  peekInvite(codeOrLink: string): { name: string; relays: string[]; k: number };
  /** the `groupKey()` of the group an invite is for (is this device already in it?) */
  inviteGroupKey(codeOrLink: string): string;
}
