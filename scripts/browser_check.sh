#!/usr/bin/env bash
# Real-browser check of the walkthrough: start JupyterLab on 127.0.0.1 (a random one-time token, a temporary copy of the notebook
# with its outputs cleared), open it in headless Debian Chromium driven by playwright-core, run all cells, wait until
# every explorer widget has rendered, move sliders, and save screenshots to $OUT (default runs/browser_check).
# Fails when a widget does not render or an output shows an error. Prints "SKIPPED: <reason>" and exits 0 when
# Chromium or Node.js cannot be had on this machine.
#   usage: bash scripts/browser_check.sh            (env: OUT=folder NB=nbs/60_walkthrough.ipynb CHROMIUM=/usr/bin/chromium)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
NB=${NB:-nbs/60_walkthrough.ipynb}
OUT=${OUT:-$ROOT/runs/browser_check}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
DEPS=$ROOT/.cache/browser_check          # node_modules live here (git-ignored), not in the repository root
skip() { echo "SKIPPED: $*"; exit 0; }
[ -f "$NB" ] || { echo "browser_check: $NB not found — run from the repository, or set NB=path/to/notebook.ipynb" >&2; exit 1; }
mkdir -p "$OUT" "$DEPS"

# 1.–2. Chromium and playwright-core
NAME=browser_check
# shellcheck disable=SC1091
. scripts/browser_deps.sh

# 3. The project's Python environment (JupyterLab, ipywidgets and its labextension come with the dev requirements)
# shellcheck disable=SC1091
. scripts/setup_env.sh
python -c 'import jupyterlab, jupyterlab_widgets' 2>/dev/null || { echo "browser_check: jupyterlab / jupyterlab_widgets missing in .venv" >&2; exit 1; }

# 4. JupyterLab on a free loopback port, with its own settings, workspaces and runtime folders
TMP=$(mktemp -d)
SERVER_PID=
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
mkdir -p "$TMP/work" "$TMP/settings/@jupyterlab/notebook-extension" "$TMP/settings/@jupyterlab/apputils-extension"
# all cells stay in the page (no virtual scrolling), and no news/update requests to the internet
echo '{"windowingMode": "none"}' > "$TMP/settings/@jupyterlab/notebook-extension/tracker.jupyterlab-settings"
echo '{"fetchNews": "false", "checkForUpdates": false}' > "$TMP/settings/@jupyterlab/apputils-extension/notification.jupyterlab-settings"
NAME=$(basename "$NB")
python - "$NB" "$TMP/work/$NAME" <<'PY'
import sys, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
for c in nb.cells:
    if c.cell_type == 'code': c.outputs, c.execution_count = [], None
nb.metadata.pop('widgets', None)
nbformat.write(nb, sys.argv[2])
PY
PORT=$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# a random token, passed in the environment (not on a command line other users can read): no other local process can use the server
JUPYTER_TOKEN=$(python -c 'import secrets; print(secrets.token_hex(24))'); export JUPYTER_TOKEN
(
  unset MPLBACKEND   # the kernel shows figures inline, as for a user
  export JUPYTER_CONFIG_DIR="$TMP/config" JUPYTERLAB_SETTINGS_DIR="$TMP/settings" \
         JUPYTERLAB_WORKSPACES_DIR="$TMP/workspaces" JUPYTER_RUNTIME_DIR="$TMP/runtime"
  exec jupyter lab --no-browser --allow-root --ip=127.0.0.1 --port="$PORT" --ServerApp.port_retries=0 \
       --ServerApp.password='' --ServerApp.root_dir="$TMP/work" \
       --LabApp.expose_app_in_browser=True --LabApp.news_url=None
) >"$OUT/jupyterlab.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 120); do
  curl -sf -H "Authorization: token $JUPYTER_TOKEN" "http://127.0.0.1:$PORT/api/status" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "browser_check: JupyterLab did not start (see $OUT/jupyterlab.log)" >&2; tail -20 "$OUT/jupyterlab.log" >&2; exit 1; }
  sleep 1
done
curl -sf -H "Authorization: token $JUPYTER_TOKEN" "http://127.0.0.1:$PORT/api/status" >/dev/null || { echo "browser_check: JupyterLab not answering on port $PORT" >&2; exit 1; }
echo "browser_check: JupyterLab $(python -c 'import jupyterlab; print(jupyterlab.__version__)') on 127.0.0.1:$PORT, $(${CHROMIUM} --version 2>/dev/null | head -1)"

# 5. Drive it
node scripts/browser_check.mjs --url "http://127.0.0.1:$PORT/lab/tree/$NAME" --out "$OUT" \
     --chromium "$CHROMIUM" --deps "$DEPS" --timeout "${TIMEOUT_S:-900}"
