// Named moments on a record's way through this phone, for the latency benchmark
// (web/e2e/bench-latency.mjs): it sets `globalThis.gfmsTrace` to an array before the app
// loads and reads back where each tap's milliseconds went. In the app nobody sets it and a
// step costs one property read: nothing is kept, nothing grows.

/** One moment: its name and `performance.now()`. */
export interface Step {
  name: string;
  at: number;
}

declare global {
  var gfmsTrace: Step[] | undefined;
}

/** Notes that the step `name` is reached (only while the benchmark listens). */
export function step(name: string): void {
  const trace = globalThis.gfmsTrace;
  if (trace) trace.push({ name, at: performance.now() });
}
