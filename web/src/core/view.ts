// The first-screen module (client-wasm/view, issue 12's split): a saved group's ledger
// read without the sync engine or any key (the saved state is unsealed by WebCrypto
// first, ./seal), so the group can show while the client core loads. Read-only; the
// views are the core's own (same ledger code, same JSON), without `device`, which only
// the core knows. Tested against the core (view.test.ts); the app instantiates it before
// its first render and shows the current group from it until the core is loaded
// (./firstScreen, docs/architecture.md).
import init, { ViewGroup } from "../wasm/gfms_view.js";
import { isoDate } from "./format";
import type { EventId, Expense, Filter, GroupState, MemberId, PlannedPayment, Transfer } from "./types";

/** What the first screen shows of a group: the core's state without `device`. */
export type ViewState = Omit<GroupState, "device">;

/** A saved group as the first screen reads it. */
export interface ViewApi {
  me(): MemberId;
  name(): string;
  lastSyncMs(): number;
  state(): ViewState;
  expenses(filter: Filter): [EventId, Expense][];
  balances(): Record<MemberId, number>;
  settleUp(): Transfer[];
  settleUpWithDetails(): PlannedPayment[];
}

let ready: Promise<unknown> | null = null;

/** Instantiates the module once (from `bytes` where nothing can be fetched: Node). */
export function initView(bytes?: BufferSource): Promise<unknown> {
  ready ??= bytes ? init({ module_or_path: bytes }) : init();
  return ready;
}

function parse<T>(json: string): T {
  return JSON.parse(json) as T;
}

class View implements ViewApi {
  constructor(private readonly raw: ViewGroup) {}

  /** Recurring instances count up to the device's calendar day, as in the core. */
  private today(): ViewGroup {
    this.raw.setToday(isoDate());
    return this.raw;
  }
  me(): MemberId {
    return this.raw.me();
  }
  name(): string {
    return this.raw.name();
  }
  lastSyncMs(): number {
    return this.raw.lastSyncMs();
  }
  state(): ViewState {
    return parse<ViewState>(this.today().state());
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
  settleUpWithDetails(): PlannedPayment[] {
    return parse<PlannedPayment[]>(this.today().settleUpWithDetails());
  }
}

/**
 * The saved group (`GroupApi.save()`'s JSON, unsealed) for the first screen, or null when
 * only the core may open it (saved before member keys, or holding batches kept unread:
 * the core changes those on load). Any other error is thrown, with its `code`.
 */
export function openView(saved: string): ViewApi | null {
  try {
    return new View(ViewGroup.load(saved));
  } catch (e) {
    if ((e as { code?: unknown }).code === "needs_core") return null;
    throw e;
  }
}
