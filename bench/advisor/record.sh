#!/usr/bin/env bash
# Records the curves the advisor is measured on, from the shipped examples' objectives (random
# sampling, no pruning, so every curve runs to its end): bench/advisor/curves/{command,djl,xgboost}.csv.
# Usage (from anywhere): bench/advisor/record.sh [SEEDS] [TRIALS] [DJL_TRIALS]   (default 3, 30, 12)
# Sized for a loaded 2-core machine: command (train.py, 20-40 epochs) ~1 min per seed, DJL
# (9 epochs, 12 trials) several minutes per seed under load, XGBoost (100 rounds) a minute per seed.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SEEDS="${1:-3}"
TRIALS="${2:-30}"
DJL_TRIALS="${3:-12}"
cd "$ROOT"
./mvnw -B -q -pl examples -am -DskipTests -Dspotless.check.skip=true compile >&2
./mvnw -B -q -pl examples dependency:build-classpath -Dmdep.outputFile="$ROOT/examples/target/bench-classpath.txt" \
  -Dmdep.excludeGroupIds=dev.knobflow >&2
CP=""
for m in optimizers green-metrics llm-advisor plugin examples; do CP="$CP$ROOT/$m/target/classes:"; done
CP="$CP$(cat "$ROOT/examples/target/bench-classpath.txt")"
mkdir -p "$HERE/curves"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); seeds $SEEDS, trials $TRIALS" >&2
run() { java -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 -Dorg.apache.commons.logging.Log=org.apache.commons.logging.impl.NoOpLog -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dknobflow.root="$ROOT" -cp "$CP" \
  "$HERE/RecordCurves.java" "$@"; }
run command "$SEEDS" "$TRIALS" 0 "$HERE/curves/command.csv"
run djl "$SEEDS" "$DJL_TRIALS" 9 "$HERE/curves/djl.csv"
run xgboost "$SEEDS" "$TRIALS" 100 "$HERE/curves/xgboost.csv"
