#!/usr/bin/env bash
# The local costs of a large group, without relays (client-wasm/sync/benches/load.rs):
# Group::load, Group::save, the first state() of a loaded group, one tap and a newcomer's
# merge, at 1,000 and 10,000 signed events. Replaces its section of docs/benchmarks.md
# (between its markers, placed before the sync section). Measurements, never tests.
# Opens no port: it needs no port lock.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
source scripts/lib.sh

OUT="$ROOT/target/bench"
mkdir -p "$OUT"

step "a large group's local costs (cargo bench, about half a minute once built)"
load_avg=$(cut -d' ' -f1-3 /proc/loadavg)
cargo bench -q -p gfms-sync --bench load --color never >"$OUT/state.md"

begin="<!-- bench-state: written by scripts/bench-state.sh -->"
end="<!-- /bench-state -->"
sync_marker="<!-- bench-sync: written by scripts/bench-sync.sh -->"
[ -f docs/benchmarks.md ] || die "docs/benchmarks.md is missing: run make bench"
cat >"$OUT/state-section.md" <<MD
$begin
## A large group on one device

Written by \`scripts/bench-state.sh\` on $(date -u +%Y-%m-%d) (load average $load_avg on
$(nproc) shared cores): \`client-wasm/sync/benches/load.rs\`, native (x86_64, the bench
profile), no relays. One member's group holding its 3 opening events and 1,000 or 10,000
signed expenses; the median of 5 to 9 runs. \`Group::load\` reads the saved JSON and checks
every event against its author's card; \`state()\` after a load is the first computation of
the state (every event sorted and applied); a tap is one \`add_expense\` then \`state()\`,
which the app reads for its screen after every change, on a group whose state was read
already; the merge is a newcomer taking the whole history as a snapshot brings it
(\`Authors::admit\`: every signature verified). A phone's wasm is several times slower.

$(cat "$OUT/state.md")
$end
MD
awk -v b="$begin" -v e="$end" -v s="$sync_marker" -v f="$OUT/state-section.md" '
  function section() { while ((getline line < f) > 0) print line; close(f); done = 1 }
  $0 == b { skip = 1; section(); next }
  $0 == e { skip = 0; next }
  skip { next }
  $0 == s && !done { section(); print "" }
  { print }
  END { if (!done) { print ""; section() } }
' docs/benchmarks.md >"$OUT/benchmarks.md"
mv "$OUT/benchmarks.md" docs/benchmarks.md
step "wrote the large-group section of docs/benchmarks.md"
