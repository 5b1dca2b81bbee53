// The contract between the PWA and the client library's wasm facade (`GroupClient` in
// client-wasm/src/wasm/group.rs). Every shape here is what the Rust side serialises
// with serde; the names match the ledger crate (client-wasm/ledger).
// Amounts are integer minor units (cents); currencies are ISO 4217 codes.

/** 32 lowercase hex characters: a member's group-wide id. */
export type MemberId = string;
/** A UUIDv7 string: the id of an expense or settlement (the event that created it). */
export type EventId = string;

export type Split =
  | { kind: "equal"; members: MemberId[] }
  | { kind: "shares"; weights: [MemberId, number][] }
  | { kind: "exact"; amounts: [MemberId, number][] }
  /** basis points: 1 % = 100, they sum to 10,000 */
  | { kind: "percent"; basis_points: [MemberId, number][] };

export interface Rate {
  numerator: number;
  denominator: number;
}

export interface Expense {
  amount: number;
  currency: string;
  /** group-currency amount = amount × numerator / denominator (when currency differs) */
  rate?: Rate;
  category: string;
  shop: string;
  account: string;
  payers: [MemberId, number][];
  split: Split;
  /** YYYY-MM-DD */
  date: string;
  note: string;
}

export interface Settlement {
  from: MemberId;
  to: MemberId;
  amount: number;
  currency: string;
  rate?: Rate;
  date: string;
}

export interface GroupSettings {
  name: string;
  currency: string;
  categories: string[];
  accounts: string[];
}

export type MemberStatus = "active" | "left" | "removed";

export interface Member {
  name: string;
  status: MemberStatus;
}

/** What the ledger adds up to (`GroupClient.state()`). */
export interface GroupState {
  settings: GroupSettings | null;
  members: Record<MemberId, Member>;
  expenses: Record<EventId, Expense>;
  settlements: Record<EventId, Settlement>;
  /** current relay URLs and threshold k */
  relays: [string[], number] | null;
}

export interface Filter {
  category?: string;
  shop?: string;
  account?: string;
  member?: MemberId;
  /** YYYY-MM-DD, inclusive */
  from?: string;
  to?: string;
  /** case-insensitive search in shop, category, account and note */
  text?: string;
}

export interface Transfer {
  from: MemberId;
  to: MemberId;
  amount: number;
}

export interface Statistics {
  by_category: Record<string, number>;
  /** "YYYY-MM" */
  by_month: Record<string, number>;
  by_shop: Record<string, number>;
  by_account: Record<string, number>;
  /** keyed by member id */
  by_payer: Record<string, number>;
  total: number;
}

export interface MergeReport {
  added: number;
  duplicates: number;
}

/** One outgoing batch still on its way (`GroupClient.pending()`). */
export interface PendingBatch {
  batch_id: string;
  events: number;
  created_ms: number;
  /** the paper's counter Σ s_i over the relays that answered */
  sum_s: number;
  /** (m − 1)·k */
  target: number;
  /** recipients with no ack at any relay yet */
  missing: MemberId[];
  /** latest expiry over the relays' copies (unix ms); 0 when unknown */
  expires_at: number;
  /** relays whose copy is gone and will be re-sent */
  reput: string[];
}

export type RelayHealth = "up" | "down" | "tampering";

export interface RelayReport {
  url: string;
  health: RelayHealth;
  /** what went wrong, if anything */
  error?: string;
  /** round-trip of the slowest request to it in the round, ms (set by the driver) */
  slowest_ms?: number;
}

/** What one sync round did. */
export interface SyncReport {
  sent_batches: number;
  received_batches: number;
  received_events: number;
  completed_batches: number;
  reput_shares: number;
  relays: RelayReport[];
  pending: PendingBatch[];
}

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

  /** expenses matching the filter, newest date first: [id, expense] */
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

  /** outgoing batches not yet complete, as last assessed */
  pending(): PendingBatch[];
  /** unix ms of the last finished sync round, 0 if never */
  lastSyncMs(): number;
  /** relay WebSocket endpoints for push: [url, subprotocols] */
  pushEndpoints(): [string, string[]][];
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
}
