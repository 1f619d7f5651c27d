#!/usr/bin/env bash
# CMA-ES side by side: Knobflow's CmaEsSampler and Optuna 5.0.0's CmaEsSampler (cmaes library) on
# Rosenbrock-10, a rotated ellipsoid-20 (condition 1e6) and a mixed-integer ellipsoid-20 (10 floats,
# 10 integers, off-grid optimum), run at the same time, summarised as ratios (summarize.py).
#
# Usage (from anywhere): bench/cmaes/run.sh [SEEDS] [TRIALS] [PROBLEMS]
#   defaults: 10 seeds, 500 trials, rosenbrock10,ellipsoid20,mixed20; quick check: run.sh 2 100
#   SEEDS is a count N (seeds 0..N-1) or a range A-B (seeds A..B), e.g. run.sh 10-39 to develop on
#   seeds other than the reported 0-9.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SEEDS="${1:-10}"
TRIALS="${2:-500}"
PROBLEMS="${3:-rosenbrock10,ellipsoid20,mixed20}"
source "$HERE/../lib/optuna-venv.sh"
if ! "$OPTUNA_PY" -c 'import cmaes' 2>/dev/null; then
  "$(dirname "$OPTUNA_PY")/pip" install -q --disable-pip-version-check cmaes >&2
fi
CP="$("$HERE/../lib/java-classpath.sh" optimizers)"
OUT="$HERE/../results/cmaes-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); seeds $SEEDS; $TRIALS trials; results in $OUT" >&2
# Knobflow's default (margin on), then, on mixed20, with_margin: false (Optuna's default rounding).
( java -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$CP" "$HERE/CmaEsBench.java" \
    "$SEEDS" "$TRIALS" "$PROBLEMS" > "$OUT/knobflow.csv"
  if [[ ",$PROBLEMS," == *",mixed20,"* ]]; then
    java -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$CP" "$HERE/CmaEsBench.java" \
      "$SEEDS" "$TRIALS" mixed20 no-margin > "$OUT/knobflow-no-margin.csv"
  fi ) & JAVA_PID=$!
"$OPTUNA_PY" "$HERE/optuna_cmaes.py" "$SEEDS" "$TRIALS" "$PROBLEMS" > "$OUT/optuna.csv" & PY_PID=$!
wait "$JAVA_PID"
wait "$PY_PID"
"$OPTUNA_PY" "$HERE/summarize.py" "$OUT" | tee "$OUT/report.md"
