// Receipts as the screens read them: an expense's list, how much room they take, and
// which full images are old enough to drop to save space (their thumbnails stay).
import type { Expense, GroupState, Receipt } from "../core/types";
import { intlLocale } from "../i18n";

/** An expense's receipts (none from a core or a record without them). */
export function receiptsOf(e: Expense | undefined): Receipt[] {
  return e?.receipts ?? [];
}

export const isImage = (r: { mime: string }) => r.mime.startsWith("image/");

/** "3.4 MB", "180 KB", "12 bytes"… in the reader's locale (1 MB = 1,000,000 bytes). */
export function formatBytes(n: number): string {
  const fmt = (x: number, unit: string) => `${new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: 1 }).format(x)} ${unit}`;
  if (n >= 1e9) return fmt(n / 1e9, "GB");
  if (n >= 1e6) return fmt(n / 1e6, "MB");
  if (n >= 1e3) return fmt(Math.round(n / 1e3), "KB");
  return fmt(n, "B");
}

/** The day `months` months before `today` (YYYY-MM-DD), clamped to the month's end. */
export function monthsBefore(today: string, months: number): string {
  const [y, m, d] = today.split("-").map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) - months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const pad = (x: number) => String(x).padStart(2, "0");
  return `${year}-${pad(month)}-${pad(Math.min(d, last))}`;
}

/**
 * The full images (receipts that have a thumbnail) of the expenses dated before `before`:
 * what "keep only small images" drops. PDFs and receipts without a thumbnail stay.
 */
export function fullImagesBefore(state: GroupState, before: string): string[] {
  const out: string[] = [];
  for (const e of Object.values(state.expenses)) {
    if (e.date >= before) continue;
    for (const r of receiptsOf(e)) if (r.thumb && isImage(r)) out.push(r.hash);
  }
  return out;
}
