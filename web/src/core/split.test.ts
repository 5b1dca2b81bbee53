import { describe, expect, it } from "vitest";
import { buildSplit, formatBasisPoints, formFromSplit, initialForm, parsePercent, remainder } from "./split";
import { formatPlain } from "./format";

const A = "a".repeat(32);
const B = "b".repeat(32);
const C = "c".repeat(32);
const members = [A, B, C];

describe("split editor", () => {
  it("splits equally among the checked members", () => {
    const form = { ...initialForm(members), selected: { [A]: true, [B]: false, [C]: true } };
    expect(buildSplit(form, members, 1000, "EUR")).toEqual({ ok: true, split: { kind: "equal", members: [A, C] } });
    expect(buildSplit({ ...form, selected: {} }, members, 1000, "EUR").ok).toBe(false);
  });

  it("uses share weights, skipping zeros", () => {
    const form = { ...initialForm(members), mode: "shares" as const, shares: { [A]: "2", [B]: "0", [C]: "1" } };
    expect(buildSplit(form, members, 900, "EUR")).toEqual({ ok: true, split: { kind: "shares", weights: [[A, 2], [C, 1]] } });
    expect(buildSplit({ ...form, shares: { [A]: "1.5" } }, members, 900, "EUR").ok).toBe(false);
  });

  it("shows what is left of the amount for exact parts", () => {
    const form = { ...initialForm(members), mode: "exact" as const, exact: { [A]: "5,00", [B]: "3.5" } };
    expect(remainder(form, members, 1000, "EUR")).toBe(150);
    expect(buildSplit(form, members, 1000, "EUR").ok).toBe(false);
    const full = { ...form, exact: { ...form.exact, [C]: "1.50" } };
    expect(remainder(full, members, 1000, "EUR")).toBe(0);
    expect(buildSplit(full, members, 1000, "EUR")).toEqual({ ok: true, split: { kind: "exact", amounts: [[A, 500], [B, 350], [C, 150]] } });
    expect(remainder({ ...form, exact: { [A]: "11" } }, members, 1000, "EUR")).toBe(-100);
    expect(remainder({ ...form, exact: { [A]: "x" } }, members, 1000, "EUR")).toBeNull();
  });

  it("turns percentages with 2 decimals into basis points", () => {
    expect(parsePercent("33.33")).toEqual({ ok: true, value: 3333 });
    expect(parsePercent("12,5")).toEqual({ ok: true, value: 1250 });
    expect(parsePercent("33.333").ok).toBe(false);
    expect(parsePercent("101").ok).toBe(false);
    const form = { ...initialForm(members), mode: "percent" as const, percent: { [A]: "33.33", [B]: "33.33" } };
    expect(remainder(form, members, 1000, "EUR")).toBe(3334);
    expect(formatBasisPoints(3334)).toBe("33.34");
    const full = { ...form, percent: { ...form.percent, [C]: "33.34" } };
    expect(buildSplit(full, members, 1000, "EUR")).toEqual({ ok: true, split: { kind: "percent", basis_points: [[A, 3333], [B, 3333], [C, 3334]] } });
  });

  it("has no remainder in equal and shares mode", () => {
    expect(remainder(initialForm(members), members, 1000, "EUR")).toBeNull();
  });

  it("shows an existing split for editing", () => {
    const f = formFromSplit({ kind: "exact", amounts: [[A, 250]] }, members, "EUR", formatPlain);
    expect(f.mode).toBe("exact");
    expect(f.exact[A]).toBe("2.50");
    const p = formFromSplit({ kind: "percent", basis_points: [[A, 5000], [B, 5000]] }, members, "EUR", formatPlain);
    expect(p.percent).toEqual({ [A]: "50", [B]: "50" });
    const e = formFromSplit({ kind: "equal", members: [B] }, members, "EUR", formatPlain);
    expect(e.selected).toEqual({ [A]: false, [B]: true, [C]: false });
  });
});
