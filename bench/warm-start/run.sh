#!/usr/bin/env bash
# Warm start, leave one dataset out: cold vs warm start (the plan enqueued, and the plan as prior
# observations) best-so-far at 3, 5 and 10 trials, medians over seeds, with seed-dependent sources.
# Usage (from anywhere): bench/warm-start/run.sh [SEEDS] [TRIALS] [SOURCE_TRIALS]
#   defaults: 5 seeds, 10 trials per study, 20 trials per source study
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SEEDS="${1:-5}"
TRIALS="${2:-10}"
SOURCE_TRIALS="${3:-20}"
DATASETS="iris digits breast_cancer wine diabetes_binary"
CP="$("$HERE/../lib/java-classpath.sh" examples)"
OUT="$HERE/../results/warm-start-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $SEEDS seeds, $TRIALS trials, $SOURCE_TRIALS source trials; results in $OUT" >&2
java -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$CP" "$HERE/WarmStartBench.java" \
  "$HERE/data" "$SEEDS" "$TRIALS" "$SOURCE_TRIALS" $DATASETS > "$OUT/best.csv"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 "$HERE/summarize.py" "$OUT/best.csv" | tee "$OUT/report.md"
