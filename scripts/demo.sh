#!/usr/bin/env bash
# The README's demo: set up .venv if needed, then train knn, FOD and DADF on the embedded
# battery-weld data, print a metrics table and write anomaly-map figures to ${OUT:-demo_out}/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/setup_env.sh
fod-dadf demo --out "${OUT:-demo_out}" "$@"
