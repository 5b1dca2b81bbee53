// What the app shows of the current group before the client core is loaded (issue 12):
// its saved copy (unsealed by ./storage with WebCrypto) read by the first-screen module
// (./view). Read-only; the shell swaps in the core's group, loaded from the store, as
// soon as the core is there, and every write waits for that.
import type { Store } from "./storage";
import { openView, type ViewState } from "./view";
import type { EventId, Expense, MemberId } from "./types";

/** The current group as the first screen shows it. */
export interface FirstScreen {
  name: string;
  state: ViewState;
  expenses: [EventId, Expense][];
  balances: Record<MemberId, number>;
}

/**
 * The group the shell would open first (the current one, else the first held), read by
 * the first-screen module; null when there is none, when its saved copy cannot be read
 * here, or when only the core may open it (`needs_core`: saved before member keys, or
 * holding unread batches): the shell then waits for the core, as before the split.
 */
export async function readFirstScreen(store: Store): Promise<FirstScreen | null> {
  try {
    const key = (await store.getCurrent()) ?? (await store.listGroups())[0]?.key;
    if (key === undefined) return null;
    const stored = await store.loadGroup(key);
    if (!stored) return null;
    const view = openView(stored.saved);
    if (!view) return null;
    return { name: view.name(), state: view.state(), expenses: view.expenses({}), balances: view.balances() };
  } catch {
    // whatever the view cannot read, the core opens (and explains) once loaded
    return null;
  }
}
