// The facade throws `Error`s with a string `code`; this turns any throw into a line to show.

export interface Problem {
  code: string;
  message: string;
}

export function problem(e: unknown): Problem {
  if (e instanceof Error) {
    const code = (e as Error & { code?: unknown }).code;
    return { code: typeof code === "string" ? code : "error", message: e.message };
  }
  return { code: "error", message: String(e) };
}

/** "bad_split: exact parts do not add up to the amount" */
export function problemText(e: unknown): string {
  const p = problem(e);
  return p.code === "error" ? p.message : `${p.code}: ${p.message}`;
}
