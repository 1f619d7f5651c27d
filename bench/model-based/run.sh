#!/usr/bin/env bash
# Side-by-side benchmark of Knobflow's model-based samplers (TPE, GP, Auto) against Optuna 5.0.0's
# TPESampler and GPSampler, scored by one hypervolume/regret code (ModelBasedReport).
#
# Usage (from the repository root):
#   bench/model-based/run.sh [--seeds N] [--quick] [--problems zdt1,branin,...] [--sequential]
#     --seeds N      seeds per sampler and problem (default 10)
#     --quick        3 seeds (same trial counts)
#     --problems     subset of zdt1,zdt2,dtlz2,branin,hartmann6,rosenbrock10
#     --sequential   run the Java and Python sides one after the other (cleaner timings)
#     --shared-startup both sides enqueue the same 10 uniform start-up points per problem and seed
#                    (startup_design.py): on multimodal problems the start-up draw decides which
#                    basin a GP settles in, and this pairs the runs so only the samplers differ
set -euo pipefail
cd "$(dirname "$0")/../.."

SEEDS=10
PROBLEMS=zdt1,zdt2,dtlz2,branin,hartmann6,rosenbrock10
SEQUENTIAL=0
SHARED_STARTUP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) SEEDS="$2"; shift 2 ;;
    --quick) SEEDS=3; shift ;;
    --problems) PROBLEMS="$2"; shift 2 ;;
    --sequential) SEQUENTIAL=1; shift ;;
    --shared-startup) SHARED_STARTUP=1; shift ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
MO_TRIALS=200
SO_TRIALS=100

VENV=bench/.venv-optuna
if ! "$VENV/bin/python" -c 'import optuna, sys; sys.exit(optuna.__version__ != "5.0.0")' 2>/dev/null; then
  echo "== creating $VENV with optuna==5.0.0" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q optuna==5.0.0
fi
OPTUNA_SAMPLERS=tpe,gp
if ! "$VENV/bin/python" -c 'import torch, scipy, greenlet' 2>/dev/null; then
  # GPSampler needs torch and scipy. PyPI has only the CUDA build of torch for Linux, which does
  # not import without its nvidia-* libraries: a download of several GB (a few minutes, once).
  # It runs on the CPU.
  echo "== installing torch from PyPI for Optuna's GPSampler" >&2
  "$VENV/bin/pip" install -q torch scipy greenlet || true
  if ! "$VENV/bin/python" -c 'import torch, scipy' 2>/dev/null; then
    echo "== torch or scipy could not be installed: Optuna's GPSampler column is skipped" >&2
    OPTUNA_SAMPLERS=tpe
  fi
fi

echo "== building the optimizers test classes" >&2
CP="$(bench/lib/java-classpath.sh optimizers)"

OUT="bench/results/model-based-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
echo "== results in $OUT (seeds=$SEEDS, $MO_TRIALS multi-objective / $SO_TRIALS single-objective trials)" >&2
STARTUP_ARG=()
if [ "$SHARED_STARTUP" = 1 ]; then
  "$VENV/bin/python" bench/model-based/startup_design.py "$OUT/startup.json" "$SEEDS" 10 "$PROBLEMS"
  STARTUP_ARG=("$OUT/startup.json")
  echo "== shared start-up design: $OUT/startup.json" >&2
fi
START=$(date +%s)
JAVA_CMD=(java -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$CP"
  dev.knobflow.optimizers.bench.ModelBasedBench "$OUT/knobflow.jsonl" "$SEEDS" "$MO_TRIALS" "$SO_TRIALS" "$PROBLEMS" tpe,gp,auto
  "${STARTUP_ARG[@]}")
PY_CMD=("$VENV/bin/python" bench/model-based/optuna_bench.py "$OUT/optuna.jsonl" "$SEEDS" "$MO_TRIALS" "$SO_TRIALS" "$PROBLEMS" "$OPTUNA_SAMPLERS"
  "${STARTUP_ARG[@]}")
if [ "$SEQUENTIAL" = 1 ]; then
  "${JAVA_CMD[@]}"
  "${PY_CMD[@]}"
else
  "${JAVA_CMD[@]}" & JAVA_PID=$!
  "${PY_CMD[@]}" & PY_PID=$!
  wait "$JAVA_PID"
  wait "$PY_PID"
fi
END=$(date +%s)
java -cp "$CP" dev.knobflow.optimizers.bench.ModelBasedReport "$OUT/knobflow.jsonl" "$OUT/optuna.jsonl" \
  | tee "$OUT/report.txt"
echo "(wall time $((END - START)) s)" | tee -a "$OUT/report.txt"
