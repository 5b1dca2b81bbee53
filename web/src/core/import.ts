// The import module (client-wasm/import, its own small wasm): reads a Splitwise or
// Tricount export and plans writing it into the group. Loaded only when the user opens
// Import, so the parsers never weigh on the first load; the service worker precaches it
// like the reports module. It holds no group and no secret: it takes the file's bytes and
// the core's state as JSON, and returns a plan the core applies (`applyImport`), all or
// nothing.
import { lazyWasm } from "./lazyWasm";
import type { MemberId, Rate } from "./types";

type ImportModule = typeof import("../wasm/gfms_import.js");

const lazy = lazyWasm(() => import("../wasm/gfms_import.js"));

/** Where the module comes from when nothing can be fetched (Node): its bytes. */
export function useImportBytes(bytes: BufferSource): void {
  lazy.useBytes(bytes);
}

/** The module, instantiated once; a failed load is retried on the next call. */
function module(): Promise<ImportModule> {
  return lazy.get();
}

export type ImportSource = "splitwise" | "tricount";

/** A person in the file and who they will be in the group (`gfms_import::PlannedMember`). */
export interface PlannedMember {
  name: string;
  member: MemberId | null;
  matched: "mapped" | "same_name" | "new";
}

/** What the import will write (`gfms_import::Plan`), for the preview and the check. */
export interface ImportPlan {
  source: ImportSource;
  currency: string;
  members: PlannedMember[];
  expenses: { import_id: string; present: boolean; line: number; title: string; amount: number; currency: string }[];
  transfers: { import_id: string; present: boolean; line: number; amount: number; currency: string }[];
  /** per currency, each person's balance (by index into `members`) as the other app shows it */
  expected: Record<string, number[]>;
  differences: { currency: string; member: number; expected: number; rebuilt: number }[];
  /** currencies other than the group's that still need a rate */
  missing_rates: string[];
  warnings: { line: number | null; kind: string; message: string }[];
}

/** What the user chose: people mapped to members, rates of other currencies. */
export interface ImportChoices {
  mapping?: Record<string, MemberId>;
  rates?: Record<string, Rate>;
}

/** What `applyImport` wrote (`gfms_client::import_plan::Applied`). */
export interface ImportApplied {
  /** each person's member id in the group, in the plan's order */
  members: MemberId[];
  placeholders: number;
  expenses: number;
  payments: number;
  skipped: number;
}

/** The check after applying (`gfms_import::Checked`). */
export interface ImportChecked {
  /** per currency, each member's balance from the group's records of this file */
  balances: Record<string, Record<MemberId, number>>;
  /** where those differ from the other app's; empty when the import is exact */
  disagreements: { currency: string; member: MemberId; expected: number; actual: number }[];
}

/** The four parts of `gfms_import::Writes`, each JSON, as `applyImport` takes them. */
export interface ImportWrites {
  members: string;
  names: string;
  expenses: string;
  settlements: string;
}

/** A plan and what the core writes for it. */
export interface Planned {
  plan: ImportPlan;
  writes: ImportWrites;
}

/**
 * Reads `bytes` (a Splitwise or Tricount CSV) and plans it against the group's state (the
 * core's `state()` JSON). Throws an `Error` with a `code` and, for a bad row, its `line`.
 */
export async function planImport(bytes: Uint8Array, from: ImportSource, stateJson: string, choices: ImportChoices = {}): Promise<Planned> {
  const m = await module();
  const out = JSON.parse(m.planImport(bytes, from, stateJson, JSON.stringify({ mapping: choices.mapping ?? {}, rates: choices.rates ?? {} }))) as {
    plan: ImportPlan;
    writes: Record<keyof ImportWrites, unknown>;
  };
  const w = out.writes;
  return {
    plan: out.plan,
    writes: { members: JSON.stringify(w.members), names: JSON.stringify(w.names), expenses: JSON.stringify(w.expenses), settlements: JSON.stringify(w.settlements) },
  };
}

/** After `applyImport`: each person's balance from the file's records, against the other app's. */
export async function checkImport(plan: ImportPlan, applied: ImportApplied, stateJson: string): Promise<ImportChecked> {
  const m = await module();
  return JSON.parse(m.checkImport(JSON.stringify(plan), JSON.stringify(applied.members), stateJson)) as ImportChecked;
}

/** The group (the core's `state()` JSON) as a Splitwise-shaped CSV. */
export async function exportSplitwise(stateJson: string): Promise<string> {
  return (await module()).exportSplitwise(stateJson);
}

/** The line of the file an import id (as a refusal from `applyImport` names it) came from. */
export function lineOf(plan: ImportPlan, importId: string): number | null {
  return plan.expenses.find((e) => e.import_id === importId)?.line ?? plan.transfers.find((t) => t.import_id === importId)?.line ?? null;
}

/** New expenses and payments in a plan (those the group does not have yet). */
export function newRecords(plan: ImportPlan): { expenses: number; payments: number; skipped: number } {
  const expenses = plan.expenses.filter((e) => !e.present).length;
  const payments = plan.transfers.filter((t) => !t.present).length;
  return { expenses, payments, skipped: plan.expenses.length + plan.transfers.length - expenses - payments };
}
