import { describe, expect, it } from "vitest";
import { hasWasmSimd } from "./wasm";

describe("wasm SIMD detection", () => {
  it("recognises an engine with SIMD (Node's V8 has it)", () => {
    expect(hasWasmSimd()).toBe(true);
  });
});
