#!/usr/bin/env bash
# Starts and stops local GFMS relays: real workerd with local KV and SQLite Durable Objects,
# each with its own persisted state.
#
#   scripts/relays.sh start --dir DIR [--ttl SECONDS] [--base-port 8787] [--only a|b|c]
#                           [--origins URL,URL] [--var NAME:VALUE ...]
#   scripts/relays.sh stop  --dir DIR [--only a|b|c]
#
# Relay a listens on base-port, b on base-port+1, c on base-port+2. State lives in DIR/X,
# logs in DIR/X.log, process ids in DIR/X.pid. `start` waits until every relay answers
# GET /v1/health; `stop` ends what `start` started, and is safe to run twice.
#
# GFMS_RELAYS_RUNNER picks what runs each relay (the same Worker, bindings, vars and state):
#   wrangler  (default) `wrangler dev --env relay-X`: two workerd processes, wrangler's proxy
#             worker in front of the relay's (2-6 ms and several ms of CPU more per request here);
#   miniflare scripts/relay-mf.mjs: one workerd through Miniflare's API, no dev proxy, so
#             closer to Cloudflare's own path (what the latency benches use: docs/latency.md).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/env.sh"
source "$ROOT/scripts/lib.sh"

cmd="${1:-}"; shift || true
dir="" ttl="" base=8787 only="a b c" origins="" extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --ttl) ttl="$2"; shift 2 ;;
    --base-port) base="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --origins) origins="$2"; shift 2 ;;
    --var) extra+=(--var "$2"); shift 2 ;;
    *) die "relays.sh: unknown option $1" "see the usage at the top of scripts/relays.sh" ;;
  esac
done
[ -n "$dir" ] || die "relays.sh: --dir is required"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
runner="${GFMS_RELAYS_RUNNER:-wrangler}"
case "$runner" in
  wrangler|miniflare) ;;
  *) die "relays.sh: GFMS_RELAYS_RUNNER=$runner" "use wrangler (the default) or miniflare" ;;
esac

port_of() { case "$1" in a) echo "$base" ;; b) echo $((base + 1)) ;; c) echo $((base + 2)) ;; esac; }

stop_one() {
  local r="$1" pidfile="$dir/$1.pid"
  [ -f "$pidfile" ] || return 0
  local pid
  pid=$(cat "$pidfile")
  # Either runner runs workerd as a child: end the whole process group.
  kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 -- "-$pid" 2>/dev/null || true
  rm -f "$pidfile"
  printf 'stopped relay %s\n' "$r"
}

start_one() {
  local r="$1" port
  port=$(port_of "$r")
  stop_one "$r" >/dev/null
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port is in use; cannot start relay $r" "stop what listens there (make relays-stop?)"
  fi
  local vars=("${extra[@]}")
  [ -n "$ttl" ] && vars+=(--var "SHARE_TTL_SECONDS:$ttl")
  [ -n "$origins" ] && vars+=(--var "ALLOWED_ORIGINS:$origins")
  # setsid: its own process group, so stop_one can end the runner and workerd together.
  if [ "$runner" = miniflare ]; then
    (cd "$ROOT" && exec setsid node scripts/relay-mf.mjs --env "relay-$r" --port "$port" \
        --persist-to "$dir/$r" "${vars[@]}" >"$dir/$r.log" 2>&1 < /dev/null) &
    echo $! >"$dir/$r.pid"
    return 0
  fi
  (cd "$ROOT" && exec setsid npx wrangler dev --env "relay-$r" --ip 127.0.0.1 --port "$port" \
      --inspector-port $((port + 1000)) --persist-to "$dir/$r" --show-interactive-dev-session=false \
      --log-level warn "${vars[@]}" >"$dir/$r.log" 2>&1 < /dev/null) &
  echo $! >"$dir/$r.pid"
}

wait_healthy() {
  local r="$1" port
  port=$(port_of "$r")
  for _ in $(seq 1 240); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/v1/health" 2>/dev/null; then
      printf 'relay %s ready: http://127.0.0.1:%s\n' "$r" "$port"
      return 0
    fi
    if ! kill -0 "$(cat "$dir/$r.pid")" 2>/dev/null; then break; fi
    sleep 0.5
  done
  tail -n 30 "$dir/$r.log" >&2 || true
  die "relay $r did not answer GET /v1/health on port $port" "read $dir/$r.log"
}

case "$cmd" in
  start)
    # Build once here; the [build] command each wrangler runs then finds it up to date.
    bash "$ROOT/scripts/build-relay.sh"
    for r in $only; do start_one "$r"; done
    for r in $only; do wait_healthy "$r"; done
    ;;
  stop)
    for r in $only; do stop_one "$r"; done
    ;;
  *) die "usage: relays.sh start|stop --dir DIR [...]" ;;
esac
