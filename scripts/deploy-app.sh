#!/usr/bin/env bash
# Publishes the app to Cloudflare Pages with the group's relays as its defaults.
#   RELAYS=https://a…,https://b…,https://c… [PROJECT=gfms] [DRY_RUN=1] scripts/deploy-app.sh
# Builds web/dist with those relays, checks it (scripts/check-dist.mjs: security headers,
# CSP, service worker, manifest, wasm, relays), then runs `wrangler pages deploy`
# (wrangler asks you to log in the first time). DRY_RUN=1 stops before publishing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
source scripts/lib.sh

relays="${RELAYS:-}"
[ -n "$relays" ] || die "set RELAYS to your group's relay URLs, comma-separated (https://…)"
IFS=',' read -r -a list <<< "$relays"
[ "${#list[@]}" -ge 2 ] || die "RELAYS names ${#list[@]} relay; a group needs at least 2 (3 is the default)"
for url in "${list[@]}"; do
  case "$url" in
    https://*) ;;
    http://127.0.0.1:*|http://localhost:*) [ "${GFMS_ALLOW_HTTP:-}" = 1 ] || die "$url is not https (GFMS_ALLOW_HTTP=1 for a local try)" ;;
    *) die "$url is not an https URL" ;;
  esac
done

VITE_GFMS_RELAYS="$relays" bash scripts/build-web.sh
node scripts/check-dist.mjs web/dist "$relays"

if [ "${DRY_RUN:-}" = 1 ]; then
  step "dry run: web/dist is ready; not published"
  exit 0
fi
step "publishing web/dist to Cloudflare Pages (project ${PROJECT:-gfms})"
npx wrangler pages deploy web/dist --project-name "${PROJECT:-gfms}" --branch main --commit-dirty=true
echo "Add the app's origin (https://${PROJECT:-gfms}.pages.dev, or your own domain) to each relay's ALLOWED_ORIGINS."
