// What an error means to the person holding the phone. The core throws `Error`s with a
// stable snake_case `code` (client-wasm/src/wasm/error.rs and the crates' `code()`
// functions); the screen never shows the code: each has a sentence here and, where there
// is one, something to do about it. ./errors.test.ts reads the Rust sources and fails when
// the core defines a code this table does not explain.

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

/** The label of the button for an action. */
export const ACTION_LABELS: Record<ProblemAction, string> = {
  sync: "Sync now",
  retry: "Try again",
  reload: "Reload",
  settings: "Open settings",
};

const BUG: Explanation = {
  text: "Something went wrong inside the app. Your data on this phone is safe; try again, and if it keeps happening, export a backup in Settings.",
  action: "retry",
};
const BAD_SHARE: Explanation = { text: "A piece of a change could not be read. It will be fetched again.", action: "sync" };

/**
 * Every code the core (and this app) can throw, by code. A code missing here is shown as
 * a bug, never as the code; the unit test keeps the table complete.
 */
export const ERRORS: Record<string, Explanation> = {
  // gfms-ledger (client-wasm/ledger/src/error.rs)
  bad_currency: { text: "That is not a currency this app knows. Pick one from the list." },
  bad_amount: { text: "That amount cannot be read. Type digits, with at most one decimal point." },
  bad_split: { text: "The split does not add up to the amount. Check each person's part." },
  payers_mismatch: { text: "What the payers paid does not add up to the amount." },
  bad_rate: { text: "Enter the exchange rate: how much one unit of that currency is worth in the group's currency." },
  bad_id: BUG,
  bad_import: { text: "That file is not a backup from this app. Choose a file saved with “Export JSON”." },
  no_group: { text: "The group has not arrived on this phone yet. Sync, then try again.", action: "sync" },
  not_found: { text: "That was deleted in the meantime, perhaps by someone else in the group.", action: "sync" },
  bad_input: { text: "A name needs 1 to 80 characters." },
  out_of_bounds: { text: "That amount is too large for this app. Split it into smaller expenses." },
  bad_event: BUG,
  wrong_group: { text: "That backup belongs to another group. Open that group to import it, or choose this group's backup." },
  currency_in_use: {
    text: "The group already has expenses in its currency, so it cannot change: balances would silently leave them out. Start a new group for the new currency.",
  },
  bad_items: { text: "The items of this bill do not add up. Check each item's price and who had it." },
  bad_payment_details: { text: "Those payment details cannot be used. Check the IBAN or the user name, without links." },
  not_allowed: { text: "Only that person can change this, from their own phone." },
  // gfms-sync (client-wasm/sync/src/error.rs)
  bad_invite: { text: "This is not a complete invite. Ask for the link again, or scan the QR code." },
  seal: { text: "This change is too large to send. Split it into smaller ones." },
  bad_state: { text: "The saved copy of this group on this phone cannot be read. Reload the app; if that does not help, join the group again with an invite.", action: "reload" },
  not_synced: { text: "The group's history has not arrived yet. It comes as soon as someone else in the group opens the app.", action: "sync" },
  not_member: { text: "You are no longer a member of this group, so you cannot change it." },
  bad_relays: { text: "This list of servers cannot work: it needs at least two different ones, and no more needed to read than there are.", action: "settings" },
  rng: { text: "This phone's random number generator failed, so nothing could be encrypted. Restart the app.", action: "reload" },
  keys: { text: "This phone could not use the group members' keys for this change. Sync, then try again.", action: "sync" },
  // gfms-reports (client-wasm/reports/src/error.rs) and the facade's own
  bad_argument: BUG,
  internal: BUG,
  bad_relay_url: { text: "That is not a web address. It should start with https://." },
  // the facade's low-level sharing and sealing (client-wasm/src/wasm/error.rs, sealing.rs)
  invalid_threshold: { text: "The number needed to read must be at least 2 and at most the number of servers.", action: "settings" },
  no_shares: BAD_SHARE,
  bad_share: BAD_SHARE,
  duplicate_share: BAD_SHARE,
  share_length_mismatch: BAD_SHARE,
  rng_failed: { text: "This phone's random number generator failed, so nothing could be encrypted. Restart the app.", action: "reload" },
  invalid_relay_url: { text: "That is not a web address. It should start with https://." },
  not_enough_shares: { text: "Not enough of the group's servers answered to read a change. It will be tried again.", action: "sync" },
  not_authentic: { text: "A change arrived damaged or tampered with and was refused. It will be fetched again.", action: "sync" },
  // (also a share header that cannot be opened, in the low-level sealing API the app does not use)
  bad_header: { text: "The first line of the file is not what a Splitwise or Tricount export has." },
  mixed_batches: BAD_SHARE,
  too_large: { text: "This is too large. Split it into smaller parts." },
  // a recurring expense's rule (client-wasm/ledger/src/recurring): the editor checks the end first
  bad_recurring: { text: "This repeating expense cannot work as set: check how often it repeats and when it ends." },
  // gfms-import (client-wasm/import/src/error.rs): reading another app's export
  encoding: { text: "The file is not plain text (UTF-8). Export it again from the other app." },
  not_recognised: { text: "This file is not a Splitwise or Tricount export." },
  cell_count: { text: "A line of the file has the wrong number of columns. Export it again from the other app." },
  bad_date: { text: "A date in the file cannot be read." },
  unknown_member: { text: "The file names someone who is not in the group." },
  does_not_add_up: { text: "The amounts on a line of the file do not add up." },
  bad_row: { text: "A line of the file cannot be read." },
  bad_mapping: { text: "Two people in the file cannot be the same member of the group. Choose someone else for one of them." },
  too_many_rows: { text: "This file has more than 10,000 expenses and payments, more than one import takes." },
  // the app's own
  network: { text: "No connection. Connect to the internet once, then try again.", action: "retry" },
  stale_write: { text: "This group was changed in another window at the same moment. Try again.", action: "retry" },
  removed_elsewhere: { text: "This group was removed from this phone in another window.", action: "reload" },
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
