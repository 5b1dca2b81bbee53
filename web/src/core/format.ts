// Money, dates and times as the user reads and types them. Amounts are integer minor
// units; the number of decimals of a currency is the core's (ISO 4217, ./rules), never
// Intl's: Intl only places separators and the symbol.
import { intlLocale, t } from "../i18n";
import { currencyExponent } from "./rules";

export { currencyExponent };

/** "€12.50", "¥1,234": minor units in `currency`, localized. */
export function formatMoney(minor: number, currency: string, locale: string = intlLocale()): string {
  const exp = currencyExponent(currency);
  const value = minor / 10 ** exp;
  try {
    return new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: exp,
      maximumFractionDigits: exp,
    }).format(value);
  } catch {
    return `${formatPlain(minor, currency)} ${currency}`;
  }
}

/** "12.50", "-3", "1234.5" → plain decimal text (for input fields), no grouping. */
export function formatPlain(minor: number, currency: string): string {
  const exp = currencyExponent(currency);
  const negative = minor < 0;
  const digits = String(Math.abs(Math.trunc(minor))).padStart(exp + 1, "0");
  const whole = exp === 0 ? digits : digits.slice(0, -exp);
  const frac = exp === 0 ? "" : digits.slice(-exp);
  return `${negative ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
}

export type Parsed = { ok: true; value: number } | { ok: false; error: string };

/**
 * Reads a decimal the user typed: "12,50", "12.50", "1 234.5", "1.234,56", "-3".
 * Returns the digits and the number of decimals; the last "." or "," is the decimal
 * point, except for a currency with no decimals where a separator followed by exactly
 * three digits groups thousands ("1,234" yen). Repeated separators group thousands.
 */
export function parseDecimal(input: string, maxDecimals: number): { ok: true; int: bigint; decimals: number } | { ok: false; error: string } {
  let text = input.trim().replace(/[\s\u00a0\u202f'’_]/g, "");
  let negative = false;
  if (/^[-−]/.test(text)) {
    negative = true;
    text = text.slice(1);
  } else if (text.startsWith("+")) {
    text = text.slice(1);
  }
  if (text === "") return { ok: false, error: t("parse.enterAmount") };
  if (!/^[0-9.,]+$/.test(text)) return { ok: false, error: t("parse.onlyDigits") };
  const lastDot = text.lastIndexOf(".");
  const lastComma = text.lastIndexOf(",");
  let whole = text;
  let frac = "";
  const sepAt = Math.max(lastDot, lastComma);
  if (sepAt >= 0) {
    const sep = text[sepAt] as string;
    const other = sep === "." ? "," : ".";
    const sameCount = text.split(sep).length - 1;
    const after = text.slice(sepAt + 1);
    const grouping = !text.includes(other) && (sameCount > 1 || (after.length === 3 && maxDecimals === 0));
    const ungroup = (part: string, by: string): string | null => {
      const groups = part.split(by);
      return groups.slice(1).every((g) => g.length === 3) ? groups.join("") : null;
    };
    const w = grouping ? ungroup(text, sep) : ungroup(text.slice(0, sepAt), other);
    if (w === null) return { ok: false, error: t("parse.thousands") };
    whole = w;
    if (!grouping) {
      if (whole.includes(sep)) return { ok: false, error: t("parse.twoPoints") };
      frac = after;
    }
  }
  if (whole === "" && frac === "") return { ok: false, error: t("parse.enterAmount") };
  if (!/^[0-9]*$/.test(whole) || !/^[0-9]*$/.test(frac)) return { ok: false, error: t("parse.notNumber") };
  if (frac.length > maxDecimals) {
    return { ok: false, error: maxDecimals === 0 ? t("parse.noDecimals") : t("parse.atMostDecimals", { n: maxDecimals }) };
  }
  const digits = `${whole || "0"}${frac}`;
  const int = BigInt(digits) * (negative ? -1n : 1n);
  return { ok: true, int, decimals: frac.length };
}

/** Parses an amount in `currency` into minor units; never rounds. */
export function parseMoney(input: string, currency: string): Parsed {
  const exp = currencyExponent(currency);
  const d = parseDecimal(input, exp);
  if (!d.ok) return d;
  const minor = d.int * 10n ** BigInt(exp - d.decimals);
  if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < -BigInt(Number.MAX_SAFE_INTEGER)) {
    return { ok: false, error: t("parse.tooLarge") };
  }
  return { ok: true, value: Number(minor) };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

/**
 * "1 USD = 0.92 EUR" typed as "0.92": the exact rate in minor units of the group
 * currency per minor unit of the expense currency, reduced.
 */
export function parseRate(input: string, from: string, to: string): { ok: true; numerator: number; denominator: number } | { ok: false; error: string } {
  const d = parseDecimal(input, 8);
  if (!d.ok) return d;
  if (d.int <= 0n) return { ok: false, error: t("parse.ratePositive") };
  let num = d.int * 10n ** BigInt(currencyExponent(to));
  let den = 10n ** BigInt(d.decimals + currencyExponent(from));
  const g = gcd(num, den);
  num /= g;
  den /= g;
  if (num > BigInt(Number.MAX_SAFE_INTEGER) || den > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, error: t("parse.rateTooLarge") };
  return { ok: true, numerator: Number(num), denominator: Number(den) };
}

/** The decimal text of a rate (inverse of parseRate), for editing. */
export function formatRate(rate: { numerator: number; denominator: number }, from: string, to: string): string {
  const value = (rate.numerator * 10 ** currencyExponent(from)) / (rate.denominator * 10 ** currencyExponent(to));
  return String(Number(value.toPrecision(10)));
}

/** "12.50" → "12,50" where the reader's decimal separator is a comma (parseDecimal reads both). */
export function localDecimal(plain: string, locale: string = intlLocale()): string {
  const sep = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === "decimal")?.value ?? ".";
  return plain.replace(".", sep);
}

/** `formatPlain` with the reader's decimal separator: an amount in an input field. */
export function formatInput(minor: number, currency: string, locale: string = intlLocale()): string {
  return localDecimal(formatPlain(minor, currency), locale);
}

/** "0.00" or "0,00": a number as the reader types it, for a field's placeholder (no grouping). */
export function sampleDecimal(value = 0, digits = 2, locale: string = intlLocale()): string {
  return new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false }).format(value);
}

/** Today (or `now`) as local YYYY-MM-DD. */
export function isoDate(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, "0");
  const d = String(now.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

/** A local YYYY-MM-DD day as a Date (an unreadable one is an invalid Date). */
export function fromIso(date: string): Date {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1);
}

/** "Today", "Yesterday", or the localized date of a YYYY-MM-DD day. */
export function dayHeading(date: string, now: Date = new Date(), locale: string = intlLocale()): string {
  if (date === isoDate(now)) return t("when.today");
  const y = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  if (date === isoDate(y)) return t("when.yesterday");
  const day = fromIso(date);
  const opts: Intl.DateTimeFormatOptions = { weekday: "short", day: "numeric", month: "short" };
  if (day.getFullYear() !== now.getFullYear()) opts.year = "numeric";
  return new Intl.DateTimeFormat(locale, opts).format(day);
}

/** Items grouped by consecutive equal day, order kept: [day, items][]. */
export function groupByDay<T>(items: T[], dayOf: (item: T) => string): [string, T[]][] {
  const out: [string, T[]][] = [];
  for (const item of items) {
    const day = dayOf(item);
    const last = out[out.length - 1];
    if (last && last[0] === day) last[1].push(item);
    else out.push([day, [item]]);
  }
  return out;
}

/** "Nov 2026" for "2026-11". */
export function monthLabel(month: string, locale: string = intlLocale()): string {
  const [y, m] = month.split("-").map(Number);
  if (!y || !m) return month;
  return new Intl.DateTimeFormat(locale, { month: "short", year: "numeric" }).format(new Date(y, m - 1, 1));
}

/** "in 42 min", "3 min ago", "now": `ms` relative to `nowMs`. */
export function relativeTime(ms: number, nowMs: number, locale: string = intlLocale()): string {
  const diff = ms - nowMs;
  const abs = Math.abs(diff);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto", style: "short" });
  if (abs < 45_000) return diff > 0 ? t("when.underAMinute") : t("when.justNow");
  if (abs < 3_600_000) return rtf.format(Math.round(diff / 60_000), "minute");
  if (abs < 86_400_000) return rtf.format(Math.round(diff / 3_600_000), "hour");
  return rtf.format(Math.round(diff / 86_400_000), "day");
}

/** Common ISO 4217 codes for the currency selects. */
export const CURRENCIES = [
  "EUR", "USD", "GBP", "CHF", "JPY", "CNY", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK",
  "HUF", "RON", "BGN", "TRY", "INR", "BRL", "MXN", "ZAR", "KRW", "SGD", "HKD", "THB", "ILS", "AED",
];

/** "today", "yesterday", "on Tuesday" (this past week), "on 3 Dec": the day of `ms`. */
export function dayWhen(ms: number, now: Date = new Date(), locale: string = intlLocale()): string {
  const day = new Date(ms);
  const diff = Math.round((new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime() - new Date(day.getFullYear(), day.getMonth(), day.getDate()).getTime()) / 86_400_000);
  if (diff <= 0) return t("when.todayLower");
  if (diff === 1) return t("when.yesterdayLower");
  if (diff < 7) return t("when.onWeekday", { day: new Intl.DateTimeFormat(locale, { weekday: "long" }).format(day) });
  const opts: Intl.DateTimeFormatOptions = { day: "numeric", month: "short" };
  if (day.getFullYear() !== now.getFullYear()) opts.year = "numeric";
  return t("when.onDate", { date: new Intl.DateTimeFormat(locale, opts).format(day) });
}
