// A translated sentence with members' words in it, for markup: each placeholder's value
// in its own <bdi>, so a right-to-left name cannot reorder the words around it (plain-text
// places use `isolate` instead).
import type { ComponentChildren } from "preact";
import { t, type Key } from "./index";

const MARK = "\u0000";

/** `t(key, params)` with each string parameter in a <bdi>; numbers stay plain text. */
export function tb(key: Key, params: Record<string, string | number>): ComponentChildren[] {
  const slots: Record<string, string | number> = {};
  const values: string[] = [];
  for (const [name, v] of Object.entries(params)) {
    if (typeof v === "number") slots[name] = v;
    else {
      slots[name] = `${MARK}${values.length}${MARK}`;
      values.push(v);
    }
  }
  return t(key, slots)
    .split(MARK)
    .map((part, i) => (i % 2 === 1 ? <bdi key={i}>{values[Number(part)]}</bdi> : part))
    .filter((part) => part !== "");
}
