// The relay must fit Cloudflare's free plan comfortably: its wasm under 1 MB gzipped
// (the plan allows 3 MB). A size budget, checked on the build the other tests ran.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

test("the relay's wasm is under 1 MB gzipped", () => {
  const wasm = readFileSync(new URL("../build/index_bg.wasm", import.meta.url));
  const gzipped = gzipSync(wasm, { level: 9 }).length;
  console.log(`relay wasm: ${wasm.length} bytes, ${gzipped} gzipped`);
  assert.ok(gzipped < 1_000_000, `${gzipped} bytes gzipped`);
});
