#!/usr/bin/env bash
# Build the documentation site into _site/ from the notebooks, offline and without executing them: one page per
# notebook in nbs/ (prose, code, the committed outputs and figures; the index page is nbs/index.ipynb) and an API page
# per module (signatures and per-parameter comments, as nbdev's show_doc renders them).
#   bash scripts/docs.sh            build (env: SITE=folder, default _site; BUILD=folder, default docs_build)
#   bash scripts/docs.sh --check    build, then open pages in headless Chromium (scripts/docs_check.sh)
#   bash scripts/docs.sh --show-exports   keep the code of `#| export` cells on the notebook pages
# The tools (MkDocs, Material for MkDocs, mkdocs-jupyter, latex2mathml) live in their own virtual environment
# .venv-docs, pinned below and in scripts/docs_constraints.txt, so the project's .venv is never changed; the API
# pages are written in .venv (scripts/setup_env.sh), which imports fod_dadf.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
SITE=${SITE:-$ROOT/_site}
BUILD=${BUILD:-$ROOT/docs_build}
CHECK=0; NBS_ARGS=()
for a in "$@"; do
  case "$a" in
    --check) CHECK=1 ;;
    --show-exports) NBS_ARGS+=(--show-exports) ;;
    *) echo "usage: bash scripts/docs.sh [--check] [--show-exports]" >&2; exit 2 ;;
  esac
done
DOCS_PINS=(mkdocs==1.6.1 mkdocs-material==9.8.2 mkdocs-jupyter==0.26.3 latex2mathml==3.81.1)
t0=$(date +%s)

# 1. the documentation tools, in .venv-docs (installed again only when the pins change)
PY=${PYTHON:-python3}
[ -x .venv-docs/bin/python ] || "$PY" -m venv .venv-docs
stamp=.venv-docs/.docs-installed
want=$( { echo "${DOCS_PINS[*]}"; cat scripts/docs_constraints.txt; } | sha256sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "docs: installing ${DOCS_PINS[*]} into .venv-docs..."
  .venv-docs/bin/python -m pip install -q --disable-pip-version-check -c scripts/docs_constraints.txt "${DOCS_PINS[@]}"
  echo "$want" > "$stamp"
fi

# 2. API pages and the show_doc renderings, in the project's .venv (it imports fod_dadf)
rm -rf "$BUILD"; mkdir -p "$BUILD"
(
  # shellcheck disable=SC1091
  . scripts/setup_env.sh
  MPLBACKEND=Agg python scripts/docs_api.py "$BUILD"
)

# 3. notebook pages and mkdocs.yml, then the site
.venv-docs/bin/python scripts/docs_nbs.py "$BUILD" "$SITE" ${NBS_ARGS[@]+"${NBS_ARGS[@]}"}
NO_MKDOCS_2_WARNING=1 .venv-docs/bin/mkdocs build --strict --quiet -f "$BUILD/mkdocs.yml"
echo "docs: site built in $(( $(date +%s) - t0 )) s: $SITE/index.html ($(du -sh "$SITE" | cut -f1))"

[ "$CHECK" = 1 ] && exec bash scripts/docs_check.sh --no-build
exit 0
