import { describe, expect, it } from "vitest";
import type { Expense, GroupState } from "../core/types";
import { formatBytes, fullImagesBefore, monthsBefore, receiptsOf } from "./receipts";

const expense = (date: string, receipts: unknown[]): Expense =>
  ({ amount: 100, currency: "EUR", category: "", shop: "", account: "", payers: [["a", 100]], split: { kind: "equal", members: ["a"] }, date, note: "", receipts }) as unknown as Expense;

describe("receipts on this phone", () => {
  it("says sizes as people read them", () => {
    expect(formatBytes(3_400_000)).toBe("3.4 MB");
    expect(formatBytes(182_300)).toBe("182 KB");
    expect(formatBytes(12)).toBe("12 B");
  });

  it("counts months back, at a short month's end", () => {
    expect(monthsBefore("2026-12-01", 3)).toBe("2026-09-01");
    expect(monthsBefore("2026-05-31", 3)).toBe("2026-02-28");
    expect(monthsBefore("2026-01-15", 1)).toBe("2025-12-15");
    expect(monthsBefore("2026-03-10", 12)).toBe("2025-03-10");
  });

  it("drops only full images of old expenses that have a small image; PDFs stay", () => {
    const state = {
      expenses: {
        old: expense("2026-01-02", [
          { hash: "h1", mime: "image/jpeg", size: 200_000, name: "a.jpg", thumb: "t1" },
          { hash: "h2", mime: "application/pdf", size: 90_000, name: "b.pdf" },
        ]),
        recent: expense("2026-11-20", [{ hash: "h3", mime: "image/jpeg", size: 200_000, name: "c.jpg", thumb: "t3" }]),
        none: expense("2025-01-01", []),
      },
    } as unknown as GroupState;
    expect(fullImagesBefore(state, "2026-09-01")).toEqual(["h1"]);
    expect(receiptsOf(undefined)).toEqual([]);
  });
});
