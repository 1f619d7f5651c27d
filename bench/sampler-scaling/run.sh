#!/usr/bin/env bash
# Sampler scaling: how each sampler's time per ask() and memory grow over a long study, Knobflow
# against Optuna 5.0.0 in the same run, on one fixed space (5 floats, a log float, an int and a
# categorical) with a cheap analytic objective, in memory. See docs/sampler-scaling.md.
#
# Usage (from the repository root):
#   bench/sampler-scaling/run.sh [--trials N] [--cap-seconds S] [--samplers a,b,...] [--seed K]
#                                [--sequential] [--no-optuna]
#     --trials N        trials per sampler (default 10000)
#     --cap-seconds S   wall-time cap per sampler and side (default 120): a sampler whose cost grows
#                       too fast stops there and the table shows how far it got
#     --samplers LIST   subset of random,grid,sobol,tpe,tpe-mv,gp,nsga2,auto,tpe-mo,nsga2-mo,auto-mo
#                       (the -mo ones have two objectives); default all
#     --seed K          sampler seed (default 0)
#     --sequential      run the Java and the Optuna side one after the other (cleaner timings,
#                       twice the wall time); by default they run side by side
#     --no-optuna       Knobflow only
#   KNOBFLOW_BENCH_NO_TORCH=1 skips installing torch (Optuna's GPSampler is then skipped).
# Each sampler runs in a fresh process (JVM or Python), so its peak memory is its own.
# Results: bench/results/sampler-scaling-<time>/{knobflow,optuna}.jsonl and report.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."

TRIALS=10000
CAP=120
SAMPLERS=random,grid,sobol,tpe,tpe-mv,gp,nsga2,auto,tpe-mo,nsga2-mo,auto-mo
SEED=0
SEQUENTIAL=0
OPTUNA=1
while [ $# -gt 0 ]; do
  case "$1" in
    --trials) TRIALS="$2"; shift 2 ;;
    --cap-seconds) CAP="$2"; shift 2 ;;
    --samplers) SAMPLERS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --sequential) SEQUENTIAL=1; shift ;;
    --no-optuna) OPTUNA=0; shift ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done

if [ "$OPTUNA" = 1 ]; then
  source bench/lib/optuna-venv.sh
  source bench/lib/optuna-torch.sh
fi
echo "== building the optimizers test classes" >&2
CP="$(bench/lib/java-classpath.sh optimizers)"

OUT="bench/results/sampler-scaling-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "knobflow: Java $(java -version 2>&1 | head -1 | cut -d'"' -f2); trials $TRIALS, cap ${CAP}s per sampler, seed $SEED"
} | tee "$OUT/report.txt" >&2
echo "== results in $OUT" >&2

summary() {
  python3 bench/sampler-scaling/report.py --last "$1"
}
java_side() {
  for s in ${SAMPLERS//,/ }; do
    java -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$CP" \
      dev.knobflow.optimizers.bench.SamplerScalingBench "$s" "$TRIALS" "$CAP" "$SEED" >>"$OUT/knobflow.jsonl"
    echo "knobflow $s: $(summary "$OUT/knobflow.jsonl")" >&2
  done
}
optuna_side() {
  for s in ${SAMPLERS//,/ }; do
    OMP_NUM_THREADS=1 "$OPTUNA_PY" bench/sampler-scaling/optuna_scaling.py "$s" "$TRIALS" "$CAP" "$SEED" \
      >>"$OUT/optuna.jsonl"
    echo "optuna $s: $(summary "$OUT/optuna.jsonl")" >&2
  done
}

START=$(date +%s)
touch "$OUT/optuna.jsonl"
if [ "$OPTUNA" = 0 ]; then
  java_side
elif [ "$SEQUENTIAL" = 1 ]; then
  java_side
  optuna_side
else
  java_side & JAVA_PID=$!
  optuna_side & PY_PID=$!
  wait "$JAVA_PID"
  wait "$PY_PID"
fi
END=$(date +%s)
python3 bench/sampler-scaling/report.py "$OUT/knobflow.jsonl" "$OUT/optuna.jsonl" | tee -a "$OUT/report.txt"
echo "(wall time $((END - START)) s)" | tee -a "$OUT/report.txt"
