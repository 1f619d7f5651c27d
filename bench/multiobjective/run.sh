#!/usr/bin/env bash
# Multi-objective benchmark, Knobflow and Optuna 5.0.0 side by side in one run.
# Usage (from the repository root): bench/multiobjective/run.sh [--seeds N] [--budgets 200,1000]
#        [--tpe-seeds-at-1000 K] [--quick]
# Defaults: 10 seeds, budgets 200 and 1000, Optuna TPE at 1000 trials with 1 seed (it needs
# seconds per trial late in a run; see docs/nsga2.md). --quick: 3 seeds, no Optuna TPE at 1000
# trials (K = 0), for checking that a change left the NSGA-II figures where they were.
set -euo pipefail
cd "$(dirname "$0")/../.."

SEEDS=10
BUDGETS=200,1000
TPE_SEEDS_AT_1000=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seeds) SEEDS="$2"; shift 2 ;;
    --budgets) BUDGETS="$2"; shift 2 ;;
    --tpe-seeds-at-1000) TPE_SEEDS_AT_1000="$2"; shift 2 ;;
    --quick) SEEDS=3; TPE_SEEDS_AT_1000=0; shift ;;
    *) echo "unknown argument: $1 (allowed: --seeds N --budgets A,B --tpe-seeds-at-1000 K --quick)" >&2; exit 2 ;;
  esac
done

VENV=bench/.venv-optuna
OUT=bench/results/multiobjective
mkdir -p "$OUT"

if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c 'import optuna, sys; sys.exit(optuna.__version__ != "5.0.0")' 2>/dev/null; then
  echo "== creating $VENV with optuna==5.0.0" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "optuna==5.0.0"
fi

echo "== building the Java side" >&2
CP="$(bench/lib/java-classpath.sh optimizers)"

START=$(date +%s)
echo "== Knobflow NSGA-II and Random" >&2
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" \
  dev.knobflow.optimizers.samplers.nsga2.MultiObjectiveBenchmark \
  --seeds "$SEEDS" --budgets "$BUDGETS" --out "$OUT/knobflow.jsonl"
echo "== Optuna $("$VENV/bin/python" -c 'import optuna; print(optuna.__version__)') NSGA-II, TPE and Random" >&2
"$VENV/bin/python" bench/multiobjective/optuna_bench.py \
  --seeds "$SEEDS" --budgets "$BUDGETS" --tpe-seeds-at-1000 "$TPE_SEEDS_AT_1000" \
  --out "$OUT/optuna.jsonl"
END=$(date +%s)

echo "== scoring (one hypervolume implementation for all runs)" >&2
"$VENV/bin/python" bench/multiobjective/score.py "$OUT/knobflow.jsonl" "$OUT/optuna.jsonl" \
  --markdown "$OUT/table.md"
echo
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); benchmark wall time $((END - START)) s"
