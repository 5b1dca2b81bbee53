#!/usr/bin/env bash
# `make dev`: builds everything, starts three relays under workerd on 127.0.0.1:8787-8789
# (state persisted in .relays/), and serves the app on 127.0.0.1:5173 with those relays as
# its defaults. Ctrl-C stops all of it.
#   SHARE_TTL_SECONDS=N make dev   relays forget shares after N seconds (demos, tests)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/lib.sh

bash scripts/setup.sh
source scripts/env.sh
# Hot reload of the relay is what `wrangler dev` is for (scripts/relays.sh).
export GFMS_RELAYS_RUNNER=wrangler

TTL="${SHARE_TTL_SECONDS:-3600}"
WEB_PORT=5173
RELAY_DIR="$ROOT/.relays"
RELAYS="http://127.0.0.1:8787,http://127.0.0.1:8788,http://127.0.0.1:8789"

for port in 8787 8788 8789 $WEB_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port on 127.0.0.1 is already in use" "stop what runs there (an earlier make dev? try: make relays-stop)"
  fi
done

web_pid=""
stop_all() {
  # A second Ctrl-C (or a TERM or HUP) must not interrupt the cleanup.
  trap '' INT TERM HUP
  trap - EXIT
  printf '\n==> stopping\n'
  [ -n "$web_pid" ] && kill -- "-$web_pid" 2>/dev/null
  bash scripts/relays.sh stop --dir "$RELAY_DIR" || true
}
trap stop_all INT TERM HUP EXIT # HUP: the terminal was closed

step "building the app (wasm client + PWA) for relays $RELAYS"
VITE_GFMS_RELAYS="$RELAYS" bash scripts/build-web.sh

step "starting three relays (share TTL ${TTL}s, state in .relays/)"
bash scripts/relays.sh start --dir "$RELAY_DIR" --ttl "$TTL" --base-port 8787

step "serving the app"
set -m # own process group, so Ctrl-C handling can stop vite and its children together
(cd web && exec npx vite preview --host 127.0.0.1 --port "$WEB_PORT" --strictPort) &
web_pid=$!
set +m
for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "http://127.0.0.1:$WEB_PORT/" 2>/dev/null && break
  sleep 0.5
done
curl -fsS -o /dev/null "http://127.0.0.1:$WEB_PORT/" || die "the app did not start on port $WEB_PORT" "see the vite output above"

cat <<MSG

GFMS is running:
  app     http://127.0.0.1:$WEB_PORT/
  relays  http://127.0.0.1:8787  http://127.0.0.1:8788  http://127.0.0.1:8789   (share TTL ${TTL}s)
  health  curl http://127.0.0.1:8787/v1/health
Open the app in two browser profiles to try a group. Ctrl-C stops everything.
MSG
wait "$web_pid"
