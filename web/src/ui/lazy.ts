// Screens loaded on first use, not in the first load's bundle: the expense editor
// (./ExpenseEditor, fetched soon after the list shows), the history screens (./History),
// forms and sections only some people open (payments, payment details, across groups).
import { useEffect, useState } from "preact/hooks";

type HistoryModule = typeof import("./History");
type EditorModule = typeof import("./ExpenseEditor");
let editor: Promise<EditorModule> | null = null;

/** Loads ./ExpenseEditor once; a failed load is tried again next time. */
export function loadEditor(): Promise<EditorModule> {
  editor ??= import("./ExpenseEditor").catch((e: unknown) => {
    editor = null;
    throw e;
  });
  return editor;
}

let loading: Promise<HistoryModule> | null = null;

/** Loads ./History once; a failed load (offline before it was cached) is tried again next time. */
export function loadHistory(): Promise<HistoryModule> {
  loading ??= import("./History").catch((e: unknown) => {
    loading = null;
    throw e;
  });
  return loading;
}

/** Loads a module once; a failed load is tried again next time. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | null = null;
  return () =>
    (p ??= load().catch((e: unknown) => {
      p = null;
      throw e;
    }));
}

/** The form for a payment of any amount (./PaymentForm). */
export const loadPaymentForm = once(() => import("./PaymentForm"));

/** "Across groups" in the group list (./Across): shown only with two groups or more. */
export const loadAcross = once(() => import("./Across"));

/** An expense read-only, on a removed member's phone (./ExpenseDetail). */
export const loadExpenseDetail = once(() => import("./ExpenseDetail"));

/** Settings' receipts section: what they use, dropping old full images (./ReceiptStorage). */
export const loadReceiptStorage = once(() => import("./ReceiptStorage"));

/** The payment details form (./PayDetails). */
export const loadPayDetails = once(() => import("./PayDetails"));

/** ./History once loaded (null until then, or when `want` is false). */
export function useHistory(want: boolean): HistoryModule | null {
  const [mod, setMod] = useState<HistoryModule | null>(null);
  useEffect(() => {
    if (!want || mod) return;
    let live = true;
    loadHistory().then(
      (m) => live && setMod(m),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [want, mod]);
  return mod;
}
