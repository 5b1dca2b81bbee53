// The words of history entries: field names, times no clock gives, values read from a log
// that may hold anything (Misbehaving member: text that is not JSON, values of odd shape).
import { describe, expect, it } from "vitest";
import { fieldList, values, versions, when, wroteValue } from "./history";
import type { HistoryEntry } from "./types";

describe("history words", () => {
  it("names the fields an edit changed; a field from a newer version is 'another detail'", () => {
    expect(fieldList(["amount"])).toBe("the amount");
    expect(fieldList(["amount", "payers", "note"])).toBe("the amount, who paid and the note");
    expect(fieldList(["note", "x_new_field", "y_other"])).toBe("the note and another detail");
  });

  it("Misbehaving member: a time no clock gives reads 'at an unknown time'", () => {
    expect(when(0)).toBe("at an unknown time");
    expect(when(1.8e19)).toBe("at an unknown time");
    expect(when(Number.NaN)).toBe("at an unknown time");
    expect(when(Date.UTC(2026, 0, 2, 12))).toMatch(/2026/);
  });

  it("Misbehaving member: reads values from a log with unreadable or odd events, skipping them", () => {
    const good = JSON.stringify({ id: "e1", body: { type: "expense_added", value: { amount: 100, currency: "EUR", payers: [] } } });
    const log = ["{not json", JSON.stringify({ id: 5, body: {} }), JSON.stringify({ id: "e2", body: { value: { amount: "1" } } }), good, 42];
    expect([...values(log).whole.keys()]).toEqual(["e1"]);
    expect(values("nope").whole.size).toBe(0);
  });

  it("a per-field edit applies its fields over the value before it; a patch without a value before it gives none", () => {
    const added = JSON.stringify({ id: "e1", body: { type: "expense_added", value: { amount: 100, currency: "EUR", note: "", payers: [] } } });
    const patched = JSON.stringify({ id: "e2", body: { type: "expense_patched", expense: "e1", base: "e1", changes: { amount: 250, note: "wine" } } });
    const orphan = JSON.stringify({ id: "e3", body: { type: "expense_patched", expense: "x", base: null, changes: { note: "?" } } });
    const written = values([added, patched, orphan, JSON.stringify({ id: "e4", body: { type: "expense_patched", changes: "odd" } })]);
    expect(wroteValue(written, "e2")).toBe(true);
    expect(wroteValue(written, "e4")).toBe(false);
    const at = (event: string) => ({ event }) as HistoryEntry;
    const v = versions([at("e1"), at("e2")], written);
    expect(v.get("e2")).toMatchObject({ amount: 250, currency: "EUR", note: "wine" });
    expect(v.get("e1")).toMatchObject({ amount: 100, note: "" });
    expect(versions([at("e3")], written).size).toBe(0);
  });
});
