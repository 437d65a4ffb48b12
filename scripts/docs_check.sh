#!/usr/bin/env bash
# Real-browser check of the documentation site: build it (scripts/docs.sh), serve _site/ with python -m http.server on
# a free loopback port, open pages in headless Debian Chromium driven by playwright-core (the same machinery as
# scripts/browser_check.sh), save screenshots to $OUT (default runs/docs_check) and fail on console errors, failed or
# off-machine requests, a missing sidebar, code or figure. Prints "SKIPPED: <reason>" and exits 0 when Chromium or
# Node.js cannot be had on this machine.
#   usage: bash scripts/docs_check.sh [--no-build]
#          (env: OUT=folder SITE=_site CHROMIUM=/usr/bin/chromium PAGES="index.html 14_fod.html:figures api/fod.html")
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
OUT=${OUT:-$ROOT/runs/docs_check}
SITE=${SITE:-$ROOT/_site}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
PAGES=${PAGES:-index.html 14_fod.html:figures api/fod.html}
DEPS=$ROOT/.cache/browser_check          # node_modules live here (git-ignored), shared with scripts/browser_check.sh
skip() { echo "SKIPPED: $*"; exit 0; }
case "${1:-}" in
  --no-build) ;;
  "") bash scripts/docs.sh ;;
  *) echo "usage: bash scripts/docs_check.sh [--no-build]" >&2; exit 2 ;;
esac
[ -f "$SITE/index.html" ] || { echo "docs_check: $SITE/index.html not found — build the site with bash scripts/docs.sh" >&2; exit 1; }
rm -rf "$OUT"; mkdir -p "$OUT" "$DEPS"

# 1.–2. Chromium and playwright-core
NAME=docs_check
# shellcheck disable=SC1091
. scripts/browser_deps.sh

# 3. the site on a free loopback port
PY=$(command -v python3 || echo "$ROOT/.venv-docs/bin/python")
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$PY" -m http.server "$PORT" --bind 127.0.0.1 --directory "$SITE" >"$OUT/http.log" 2>&1 &
SERVER_PID=$!
cleanup() { { kill "$SERVER_PID" && wait "$SERVER_PID"; } 2>/dev/null || true; }   # the server ends by SIGTERM (status 143): not a failure
trap cleanup EXIT
for _ in $(seq 50); do
  curl -sf "http://127.0.0.1:$PORT/index.html" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "docs_check: http.server did not start (see $OUT/http.log)" >&2; exit 1; }
  sleep 0.2
done
echo "docs_check: serving $SITE on 127.0.0.1:$PORT, $("$CHROMIUM" --version 2>/dev/null | head -1)"

# 4. open the pages
node scripts/docs_check.mjs --base "http://127.0.0.1:$PORT/" --out "$OUT" --chromium "$CHROMIUM" --deps "$DEPS" \
     --pages "$PAGES"
