import { describe, expect, it } from "vitest";
import { currencyExponent, dayHeading, formatMoney, formatPlain, groupByDay, isoDate, parseMoney, parseRate, relativeTime } from "./format";

describe("money", () => {
  it("knows each currency's decimals", () => {
    expect(currencyExponent("EUR")).toBe(2);
    expect(currencyExponent("JPY")).toBe(0);
    expect(currencyExponent("KWD")).toBe(3);
  });

  it("takes the decimals from the core's ISO 4217 table where Intl disagrees", () => {
    // Intl (CLDR) gives HUF, COP, IDR and IQD no decimals; ISO 4217 and the ledger give
    // 2, 2, 2 and 3: the app must show what the ledger stores.
    expect(["HUF", "COP", "IDR", "IQD", "CLF"].map(currencyExponent)).toEqual([2, 2, 2, 3, 4]);
    expect(formatMoney(150, "HUF", "en-US")).toMatch(/^HUF\s1\.50$/);
    expect(formatMoney(123456, "COP", "en-US")).toMatch(/1,234\.56$/);
    expect(formatMoney(1000, "IQD", "en-US")).toMatch(/1\.000$/);
    expect(formatMoney(12345, "CLF", "en-US")).toMatch(/1\.2345$/);
    expect(formatPlain(150, "HUF")).toBe("1.50");
    expect(parseMoney("1,50", "HUF")).toEqual({ ok: true, value: 150 });
    expect(parseMoney("1.5", "IQD")).toEqual({ ok: true, value: 1500 });
  });

  it("formats minor units", () => {
    expect(formatMoney(1250, "EUR", "en-US")).toBe("€12.50");
    expect(formatMoney(-300, "USD", "en-US")).toBe("-$3.00");
    expect(formatMoney(1234, "JPY", "en-US")).toBe("¥1,234");
    expect(formatMoney(123456, "EUR", "de-DE")).toMatch(/^1\.234,56\s€$/);
    expect(formatPlain(1250, "EUR")).toBe("12.50");
    expect(formatPlain(5, "EUR")).toBe("0.05");
    expect(formatPlain(-5, "EUR")).toBe("-0.05");
    expect(formatPlain(1234, "JPY")).toBe("1234");
  });

  it("reads what people type", () => {
    const minor = (s: string, c = "EUR") => {
      const p = parseMoney(s, c);
      return p.ok ? p.value : p.error;
    };
    expect(minor("12,50")).toBe(1250);
    expect(minor("12.50")).toBe(1250);
    expect(minor("12.5")).toBe(1250);
    expect(minor("12")).toBe(1200);
    expect(minor("1 234.5")).toBe(123450);
    expect(minor("1\u00a0234,5")).toBe(123450);
    expect(minor("1,234.56")).toBe(123456);
    expect(minor("1.234,56")).toBe(123456);
    expect(minor("1,234")).toBe("at most 2 decimals");
    expect(minor("1,234,567")).toBe(123456700);
    expect(minor(",5")).toBe(50);
    expect(minor("-3")).toBe(-300);
    expect(minor("−3,10")).toBe(-310);
    expect(minor("1234", "JPY")).toBe(1234);
    expect(minor("1,234", "JPY")).toBe(1234);
  });

  it("rejects more decimals than the currency has, and junk", () => {
    expect(parseMoney("12.345", "EUR").ok).toBe(false);
    expect(parseMoney("12.5", "JPY").ok).toBe(false);
    expect(parseMoney("", "EUR").ok).toBe(false);
    expect(parseMoney("abc", "EUR").ok).toBe(false);
    expect(parseMoney("1.2.3,4", "EUR").ok).toBe(false);
    expect(parseMoney("1.234", "KWD")).toEqual({ ok: true, value: 1234 });
  });

  it("turns '1 USD = 0.92 EUR' into an exact minor-unit rate", () => {
    expect(parseRate("0.92", "USD", "EUR")).toEqual({ ok: true, numerator: 23, denominator: 25 });
    // 1 USD = 150 JPY: 1 cent = 1.5 yen
    expect(parseRate("150", "USD", "JPY")).toEqual({ ok: true, numerator: 3, denominator: 2 });
    expect(parseRate("0", "USD", "EUR").ok).toBe(false);
  });
});

describe("dates", () => {
  const now = new Date(2026, 10, 25, 10, 0);
  it("names today and yesterday, else a localized date", () => {
    expect(isoDate(now)).toBe("2026-11-25");
    expect(dayHeading("2026-11-25", now)).toBe("Today");
    expect(dayHeading("2026-11-24", now)).toBe("Yesterday");
    expect(dayHeading("2026-11-20", now, "en-US")).toBe("Fri, Nov 20");
    expect(dayHeading("2025-11-20", now, "en-US")).toBe("Thu, Nov 20, 2025");
  });

  it("groups consecutive items by day", () => {
    const g = groupByDay(["2026-11-25a", "2026-11-25b", "2026-11-24c"], (s) => s.slice(0, 10));
    expect(g).toEqual([
      ["2026-11-25", ["2026-11-25a", "2026-11-25b"]],
      ["2026-11-24", ["2026-11-24c"]],
    ]);
  });

  it("says how far away a time is", () => {
    const t = now.getTime();
    expect(relativeTime(t + 42 * 60_000, t, "en")).toBe("in 42 min.");
    expect(relativeTime(t - 3 * 60_000, t, "en")).toBe("3 min. ago");
  });
});
