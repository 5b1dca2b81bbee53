// Times the wasm sharing benchmark under Node (V8, the engine of Chromium) and prints a
// markdown table. usage: node run.mjs <dir of the wasm-bindgen --target nodejs output>
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";

const require = createRequire(import.meta.url);
const bench = require(`${process.argv[2]}/gfms_bench_wasm.js`);
const SIZES = [[64, "64 B"], [1024, "1 KiB"], [64 * 1024, "64 KiB"], [1024 * 1024, "1 MiB"]];
const PARAMS = [[3, 2], [5, 3], [10, 3]];
const BUDGET_MS = 200;

/** MiB/s of one operation, run until the budget is spent (at least twice). */
function measure(cell, impl, op, size) {
  cell.run(impl, op, 1); // warm up
  let runs = 0;
  const start = performance.now();
  while (runs < 2 || performance.now() - start < BUDGET_MS) {
    cell.run(impl, op, 1);
    runs += 1;
  }
  const perOp = (performance.now() - start) / runs;
  return size / (perOp / 1000) / (1024 * 1024);
}

const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
console.log(`| size | n, k | op | ours (${bench.kernel()}) MiB/s | sharks MiB/s | blahaj MiB/s | ours ÷ sharks | ours ÷ blahaj |`);
console.log("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |");
for (const [size, label] of SIZES) {
  for (const [n, k] of PARAMS) {
    const cell = new bench.Bench(size, n, k);
    for (const op of ["split", "combine"]) {
      const ours = measure(cell, "ours", op, size);
      const sharks = measure(cell, "sharks", op, size);
      const blahaj = measure(cell, "blahaj", op, size);
      console.log(`| ${label} | ${n}, ${k} | ${op} | ${fmt(ours)} | ${fmt(sharks)} | ${fmt(blahaj)} | ${(ours / sharks).toFixed(0)}× | ${(ours / blahaj).toFixed(0)}× |`);
    }
  }
}
