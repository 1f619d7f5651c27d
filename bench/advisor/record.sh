#!/usr/bin/env bash
# Records the curves the advisor is measured on, from the shipped examples' objectives (random
# sampling, no pruning, so every curve runs to its end): bench/advisor/curves/{command,djl,xgboost}.csv.
# Usage (from anywhere): bench/advisor/record.sh [SEEDS] [TRIALS] [DJL_TRIALS] [EXAMPLES]
#   (default 3, 30, 12, "command djl xgboost"; EXAMPLES re-records only those curves)
# Sized for a loaded 2-core machine: command (train.py, 20-40 epochs) ~1 min per seed, DJL
# (9 epochs, 12 trials) several minutes per seed under load, XGBoost (100 rounds) a minute per seed.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SEEDS="${1:-3}"
TRIALS="${2:-30}"
DJL_TRIALS="${3:-12}"
EXAMPLES=" ${4:-command djl xgboost} "
cd "$ROOT"
# The project's own classes from target/ and every external dependency (never stale jars from ~/.m2).
CP="$("$HERE/../lib/java-classpath.sh" examples)"
mkdir -p "$HERE/curves"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); seeds $SEEDS, trials $TRIALS" >&2
run() { java -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 -Dorg.apache.commons.logging.Log=org.apache.commons.logging.impl.NoOpLog -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dknobflow.root="$ROOT" -cp "$CP" \
  "$HERE/RecordCurves.java" "$@"; }
[[ $EXAMPLES != *" command "* ]] || run command "$SEEDS" "$TRIALS" 0 "$HERE/curves/command.csv"
[[ $EXAMPLES != *" djl "* ]] || run djl "$SEEDS" "$DJL_TRIALS" 9 "$HERE/curves/djl.csv"
# XGBoost: latency is not part of the curve, so it is timed once, without warm-ups.
[[ $EXAMPLES != *" xgboost "* ]] || KNOBFLOW_XGB_LATENCY_WARMUPS=0 KNOBFLOW_XGB_LATENCY_REPEATS=1 run xgboost "$SEEDS" "$TRIALS" 100 "$HERE/curves/xgboost.csv"
