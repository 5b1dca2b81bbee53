// The words of history entries: field names, times no clock gives, values read from a log
// that may hold anything (Misbehaving member: text that is not JSON, values of odd shape).
import { describe, expect, it } from "vitest";
import { fieldList, values, when } from "./history";

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
    expect([...values(log).keys()]).toEqual(["e1"]);
    expect(values("nope").size).toBe(0);
  });
});
