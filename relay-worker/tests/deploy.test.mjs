// Every relay in wrangler.toml would deploy: wrangler bundles it for Cloudflare with its
// own Durable Object binding and SQLite migration (no account needed), and no KV: share
// bytes live in the Durable Object's SQLite.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

for (const relay of ["relay-a", "relay-b", "relay-c"]) {
  test(`wrangler deploy --dry-run succeeds for ${relay}`, () => {
    const out = mkdtempSync(join(tmpdir(), `gfms-${relay}-`));
    const log = execFileSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", out, "--env", relay], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    assert.doesNotMatch(log, /KV Namespace/, "no KV binding: bytes live in SQLite");
    assert.match(log, /env\.GROUPS \(GroupRelay\)/, "Durable Object binding");
    assert.ok(readdirSync(out).some((f) => f.endsWith(".wasm")), "the relay's wasm is bundled");
  });
}
