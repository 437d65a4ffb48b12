#!/usr/bin/env bash
# Create (or reuse) the project's virtual environment in .venv and install fod_dadf into it.
# Sourced by scripts/demo.sh and scripts/test.sh; safe to run again (it only reinstalls when settings.ini changed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
  echo "fod_dadf needs Python >= 3.10 (found: $("$PY" --version 2>&1)); set PYTHON=/path/to/python3.11" >&2; exit 1
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv
# shellcheck disable=SC1091
. .venv/bin/activate
stamp=.venv/.fod_dadf-installed
want=$(cat settings.ini setup.py | sha256sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "Installing fod_dadf and its pinned dependencies into .venv (first run: a few minutes)..."
  python -m pip install -q --upgrade pip
  # timm needs torchvision; this pair installs together (see README)
  python -m pip install -q "torch==2.14.1" "torchvision==0.29.1"
  python -m pip install -q -e ".[dev]"
  echo "$want" > "$stamp"
fi
