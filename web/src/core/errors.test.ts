// Every error code the core can throw has a sentence for people: the codes are read from
// the Rust sources (the facade's `js_error("…")` calls and every crate's `code()` match
// arms), so a code added there fails this test until the table explains it.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ERRORS, explain, problemText } from "./errors";

const CLIENT = join(__dirname, "../../../client-wasm");

/** The Rust files that define codes: the facade, and each crate's error module. */
function sources(): string[] {
  const files = readdirSync(join(CLIENT, "src/wasm")).map((f) => join(CLIENT, "src/wasm", f));
  for (const crate of readdirSync(CLIENT)) {
    const error = join(CLIENT, crate, "src/error.rs");
    if (existsSync(error)) files.push(error);
  }
  return files.filter((f) => f.endsWith(".rs"));
}

/** Codes a file defines: `=> "code"` arms of code functions and `js_error("code", …)`. */
function codesIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:=>\s*|js_error\(\s*)"([a-z][a-z0-9_]*)"/g)) out.push(m[1] as string);
  return out;
}

describe("error codes", () => {
  const codes = new Set(sources().flatMap((f) => codesIn(readFileSync(f, "utf8"))));

  it("are found in the Rust sources (the reader is not broken)", () => {
    for (const known of ["not_member", "not_synced", "bad_split", "bad_invite", "bad_argument", "bad_relay_url"]) expect(codes).toContain(known);
    expect(codes.size).toBeGreaterThan(25);
  });

  it("each have a sentence and never show the code", () => {
    const missing = [...codes].filter((c) => !(c in ERRORS));
    expect(missing).toEqual([]);
    for (const [code, { text }] of Object.entries(ERRORS)) {
      expect(text.length, code).toBeGreaterThan(10);
      expect(text, code).not.toMatch(/[a-z]+_[a-z_]+/);
    }
  });

  it("a thrown core error becomes its sentence and action, not `code: message`", () => {
    const e = Object.assign(new Error("you are no longer a member of this group"), { code: "not_member" });
    expect(problemText(e)).toBe(ERRORS.not_member?.text);
    expect(problemText(e)).not.toMatch(/not_member/);
    const sync = explain(Object.assign(new Error("the group's history has not arrived yet; sync first"), { code: "not_synced" }));
    expect(sync.action).toBe("sync");
  });

  it("Newer version: a code this app does not know yet is shown as a problem, never as the code", () => {
    const e = Object.assign(new Error("something new"), { code: "from_the_future" });
    expect(problemText(e)).not.toMatch(/from_the_future|something new/);
    expect(explain(e).action).toBe("retry");
  });

  it("a failed fetch is said as no connection; the app's own messages are kept", () => {
    expect(problemText(new TypeError("Failed to fetch"))).toMatch(/No connection/);
    expect(problemText(new Error("This group was removed from this device in another tab."))).toMatch(/removed/);
  });
});
