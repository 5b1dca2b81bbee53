#!/usr/bin/env bash
# Supply-chain checks for `make lint`, each ending in one of three ways, said in words:
# exit 0 passed, exit 1 failed (a finding, or the tool broke), exit 77 skipped (the data it
# needs cannot be had from this machine; what was skipped and why is printed, and a skip
# is never counted as a pass).
#   scripts/audit.sh deny          cargo deny: licenses, bans and sources (deny.toml)
#   scripts/audit.sh advisories    cargo deny: the RustSec advisories, when their database can be had
#   scripts/audit.sh npm DIR       npm audit --omit=dev of DIR's lockfile
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh

SKIP=77

deny() {
  cargo deny --color never --log-level warn check --hide-inclusion-graph licenses bans sources
}

advisories() {
  local rc=0
  # The advisory database is a git repository on GitHub (rustsec/advisory-db); no crates.io,
  # npm, PyPI or Debian package carries it. Fetch it when the network allows; else use a
  # copy already on this machine (its age said); else say the advisories went unchecked.
  local dbs="${CARGO_HOME:-$HOME/.cargo}/advisory-dbs"
  if cargo deny --color never --log-level error fetch db >/dev/null 2>&1; then
    echo "cargo deny advisories: with the RustSec database fetched just now"
    cargo deny --color never --log-level warn check --hide-inclusion-graph advisories || rc=1
  elif compgen -G "$dbs/*/crates" >/dev/null; then
    local db; db=$(dirname "$(compgen -G "$dbs/*/crates" | head -1)")
    local age; age=$(git -C "$db" log -1 --format=%cs 2>/dev/null || echo "unknown date")
    echo "cargo deny advisories: the RustSec database could not be fetched; checking against the copy in $db (last change $age)"
    cargo deny --color never --log-level warn check --hide-inclusion-graph --disable-fetch advisories || rc=1
  else
    echo "SKIPPED cargo deny advisories (and its yanked-crate check): the RustSec advisory database"
    echo "  (a git repository on GitHub) cannot be fetched from this machine and no copy is in $dbs."
    echo "  Known vulnerabilities in Rust dependencies were NOT checked. Run 'cargo deny fetch db' where"
    echo "  GitHub is reachable (or copy the database into $dbs), then 'make lint' again."
    rc=$SKIP
  fi
  return "$rc"
}

npm_audit() {
  local dir="$1" out
  out=$(cd "$dir" && npm audit --omit=dev --json 2>/dev/null)
  # npm prints a report with metadata.vulnerabilities, or the registry's refusal.
  AUDIT_JSON="$out" AUDIT_DIR="$dir" node --input-type=module -e '
    const dir = process.env.AUDIT_DIR;
    let r;
    try { r = JSON.parse(process.env.AUDIT_JSON); } catch { r = null; }
    const v = r?.metadata?.vulnerabilities;
    if (!v) {
      const why = r?.message ?? r?.error?.summary ?? "no report";
      console.log(`SKIPPED npm audit --omit=dev in ${dir}: the registry did not answer the audit request (${why}).`);
      console.log("  Known vulnerabilities in its production dependencies were NOT checked.");
      process.exit(77);
    }
    if (v.total > 0) {
      console.log(`npm audit --omit=dev in ${dir}: ${v.total} known vulnerabilities (critical ${v.critical}, high ${v.high}, moderate ${v.moderate}, low ${v.low}); run npm audit there for details`);
      process.exit(1);
    }
    const prod = (r.metadata.dependencies?.prod ?? 1) - 1;
    console.log(`npm audit --omit=dev in ${dir}: no known vulnerabilities in ${prod} production dependencies`);
  '
}

case "${1:-}" in
  deny) deny ;;
  advisories) advisories ;;
  npm) npm_audit "${2:?usage: audit.sh npm DIR}" ;;
  *) echo "usage: audit.sh deny | advisories | npm DIR" >&2; exit 2 ;;
esac
