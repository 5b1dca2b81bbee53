// What an error means to the person holding the phone. The core throws `Error`s with a
// stable snake_case `code` (client-wasm/src/wasm/error.rs and the crates' `code()`
// functions); the screen never shows the code: each has a sentence here and, where there
// is one, something to do about it, in the reader's language (../i18n). ./errors.test.ts reads the Rust sources and fails when
// the core defines a code this table does not explain.
import { t, type Key } from "../i18n";

/** Something the app can offer to do about a problem (the screen decides how). */
export type ProblemAction =
  /** run a sync round now */
  | "sync"
  /** try the same thing again */
  | "retry"
  /** reload the app */
  | "reload"
  /** open the group's settings */
  | "settings";

export interface Explanation {
  /** the sentence to show */
  text: string;
  action?: ProblemAction;
}

/** The label of the button for an action, in the current language. */
export function actionLabel(action: ProblemAction): string {
  return t(`action.${action}`);
}

/** An explanation whose text is read in the current language when shown. */
function ex(key: Key, action?: ProblemAction): Explanation {
  const out = {
    get text() {
      return t(key);
    },
  } as Explanation;
  if (action) out.action = action;
  return out;
}

const BUG: Explanation = ex("err.bug", "retry");
const BAD_SHARE: Explanation = ex("err.badShare", "sync");

/**
 * Every code the core (and this app) can throw, by code. A code missing here is shown as
 * a bug, never as the code; the unit test keeps the table complete.
 */
export const ERRORS: Record<string, Explanation> = {
  // gfms-ledger (client-wasm/ledger/src/error.rs)
  bad_currency: ex("err.bad_currency"),
  bad_amount: ex("err.bad_amount"),
  bad_split: ex("err.bad_split"),
  payers_mismatch: ex("err.payers_mismatch"),
  bad_rate: ex("err.bad_rate"),
  bad_id: BUG,
  bad_import: ex("err.bad_import"),
  no_group: ex("err.no_group", "sync"),
  not_found: ex("err.not_found", "sync"),
  bad_input: ex("err.bad_input"),
  out_of_bounds: ex("err.out_of_bounds"),
  bad_event: BUG,
  wrong_group: ex("err.wrong_group"),
  currency_in_use: ex("err.currency_in_use"),
  bad_items: ex("err.bad_items"),
  bad_payment_details: ex("err.bad_payment_details"),
  bad_recurring: ex("err.bad_recurring"),
  not_allowed: ex("err.not_allowed"),
  // gfms-sync (client-wasm/sync/src/error.rs)
  bad_invite: ex("err.bad_invite"),
  seal: ex("err.seal"),
  bad_state: ex("err.bad_state", "reload"),
  not_synced: ex("err.not_synced", "sync"),
  not_member: ex("err.not_member"),
  bad_relays: ex("err.bad_relays", "settings"),
  rng: ex("err.rng", "reload"),
  keys: ex("err.keys", "sync"),
  // gfms-reports (client-wasm/reports/src/error.rs) and the facade's own
  bad_argument: BUG,
  internal: BUG,
  bad_relay_url: ex("err.bad_url"),
  // the facade's low-level sharing and sealing (client-wasm/src/wasm/error.rs, sealing.rs)
  invalid_threshold: ex("err.invalid_threshold", "settings"),
  no_shares: BAD_SHARE,
  bad_share: BAD_SHARE,
  duplicate_share: BAD_SHARE,
  share_length_mismatch: BAD_SHARE,
  rng_failed: ex("err.rng", "reload"),
  invalid_relay_url: ex("err.bad_url"),
  not_enough_shares: ex("err.not_enough_shares", "sync"),
  not_authentic: ex("err.not_authentic", "sync"),
  // (also a share header that cannot be opened, in the low-level sealing API the app does not use)
  bad_header: ex("err.bad_header"),
  mixed_batches: BAD_SHARE,
  too_large: ex("err.too_large"),
  // gfms-view (client-wasm/view/src/error.rs): the first-screen module; ./view turns
  // needs_core into "open it with the core", so it reaches no one but by a bug
  needs_core: BUG,
  // gfms-import (client-wasm/import/src/error.rs): reading another app's export
  encoding: ex("err.encoding"),
  not_recognised: ex("err.not_recognised"),
  cell_count: ex("err.cell_count"),
  bad_date: ex("err.bad_date"),
  unknown_member: ex("err.unknown_member"),
  does_not_add_up: ex("err.does_not_add_up"),
  bad_row: ex("err.bad_row"),
  bad_mapping: ex("err.bad_mapping"),
  too_many_rows: ex("err.too_many_rows"),
  // the app's own
  network: ex("err.network", "retry"),
  stale_write: ex("err.stale_write", "retry"),
  removed_elsewhere: ex("err.removed_elsewhere", "reload"),
  // ./db: another tab runs a newer version of the app, or an older one is in its way
  updated_elsewhere: ex("err.updated_elsewhere", "reload"),
  blocked_by_other_tab: ex("err.blocked_by_other_tab", "retry"),
  unreadable_here: ex("err.unreadable_here"),
};

/** The code of a thrown value, or null when it carries none. */
export function codeOf(e: unknown): string | null {
  if (typeof e !== "object" || e === null) return null;
  const code = (e as { code?: unknown }).code;
  return typeof code === "string" ? code : null;
}

/** A failed `fetch` or dynamic import: the browser could not reach anything. */
function isNetworkFailure(e: unknown): boolean {
  return e instanceof TypeError && /fetch|network|load failed|import/i.test(e.message);
}

/**
 * What to tell the user about `e`: the table's sentence for a code; for an error without
 * one (the app's own, written for people) its message; never a code.
 */
export function explain(e: unknown): Explanation {
  const code = codeOf(e);
  if (code !== null) return ERRORS[code] ?? BUG;
  if (isNetworkFailure(e)) return ERRORS.network as Explanation;
  if (e instanceof Error && e.message) return { text: e.message };
  return BUG;
}

/** The sentence for `e` (see `explain`). */
export function problemText(e: unknown): string {
  return explain(e).text;
}
