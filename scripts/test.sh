#!/usr/bin/env bash
# The README's test command: set up .venv if needed, check that the exported package and the cleaned
# notebooks match what is committed (nbdev), then run the whole test suite (every notebook is a test).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/setup_env.sh
if git rev-parse --git-dir >/dev/null 2>&1 && [ -z "${FOD_DADF_SKIP_SYNC:-}" ]; then
  before=$(git status --porcelain)
  nbdev_export
  nbdev_clean
  after=$(git status --porcelain)
  if [ "$before" != "$after" ]; then
    echo "nbdev_export / nbdev_clean changed files: export and clean the notebooks, then commit." >&2
    git status --porcelain >&2; exit 1
  fi
fi
OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} python -m pytest -q -n 2 --dist load tests "$@"
