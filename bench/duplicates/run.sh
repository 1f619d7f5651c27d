#!/usr/bin/env bash
# Duplicates per 100 trials on the shipped examples, before and after the repeat guard (issue 18):
# each example's study file as shipped (its sampler, space and scheduler), with a fixed seed, a
# fresh journal and small training settings, run twice through the CLI: once with
# `objective: {noisy: true}`, which switches the guard off and is exactly the code path from
# before it ("before"), and once as shipped ("after"). A duplicate is a sampled trial whose
# parameters (floats to 12 significant digits) equal an earlier trial's; Hyperband/BOHB children,
# which continue their parent's configuration at a larger budget on purpose, are not counted.
#
# Then the same count for each model-based sampler on a small mixed space (10 x 10 integers, a log
# float, 3 choices) whose optimum sits on a corner, 100 trials per run (DuplicatesBench.java).
#
# Usage (from anywhere): bench/duplicates/run.sh [SEEDS] [EXAMPLES] [SYNTHETIC_SEEDS]
#   defaults: SEEDS="1 2 3", EXAMPLES="command xgboost djl" ("" skips them), SYNTHETIC_SEEDS=5 (0 skips it);
#   SKIP_BUILD=1 reuses the built jars; KNOBFLOW_XGB_ROUNDS (default 20) sets XGBoost's rounds.
#   Trials per run: command 30 (as shipped), xgboost 60 (as shipped), djl 40 (BOHB, max budget 9;
#   DJL_TRIALS and DJL_MAX_BUDGET change them: on a loaded 2-core machine a 9-epoch DJL trial can
#   take minutes, so `DJL_TRIALS=30 DJL_MAX_BUDGET=3` keeps a run under half an hour).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SEEDS="${1:-1 2 3}"
EXAMPLES="${2-command xgboost djl}"
SYNTHETIC_SEEDS="${3:-5}"
export DJL_TRIALS="${DJL_TRIALS:-40}" DJL_MAX_BUDGET="${DJL_MAX_BUDGET:-9}"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  (cd "$ROOT" && ./mvnw -B -q -o -DskipTests -Dspotless.check.skip=true package -pl examples -am) >&2
fi
OUT="$ROOT/bench/results/duplicates-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) at start; seeds: $SEEDS; results in $OUT" >&2
# Small, fast training: the samplers see the same spaces, only each trial is cheaper.
export KNOBFLOW_XGB_ROUNDS="${KNOBFLOW_XGB_ROUNDS:-20}" KNOBFLOW_XGB_LATENCY_ROWS=100 KNOBFLOW_XGB_LATENCY_WARMUPS=0 \
  KNOBFLOW_XGB_LATENCY_REPEATS=1
export KNOBFLOW_DJL_LATENCY_ROWS=10 KNOBFLOW_DJL_LATENCY_WARMUPS=0 KNOBFLOW_DJL_LATENCY_REPEATS=1
export KNOBFLOW_JAVA_OPTS="-Dorg.slf4j.simpleLogger.defaultLogLevel=error"

for example in $EXAMPLES; do
  for seed in $SEEDS; do
    for mode in before after; do
      dir="$OUT/$example-$seed-$mode"
      mkdir -p "$dir"
      src="$ROOT/examples/$example/study.yaml"
      if [ "$example" = command ]; then
        cp "$ROOT/examples/command/train.py" "$ROOT/examples/command/iris.csv" "$dir/"
      fi
      python3 - "$src" "$dir/study.yaml" "$seed" "$mode" "$example" <<'PY'
import os, re, sys
src, dst, seed, mode, example = sys.argv[1:]
out = []
for line in open(src):
    if re.match(r"^name:", line): line = f"name: dup-{example}\n"
    elif re.match(r"^seed:", line): line = f"seed: {seed}\n"
    elif re.match(r"^storage:", line): line = "storage: journal:journal.jsonl\n"
    elif re.match(r"^trials:", line) and example == "djl": line = f"trials: {os.environ['DJL_TRIALS']}\n"
    elif re.match(r"^scheduler:", line):
        line = line.replace("max_budget: 27", f"max_budget: {os.environ['DJL_MAX_BUDGET']}")
    out.append(line)
    if re.match(r"^objective:", line) and mode == "before":
        out.append("  noisy: true\n")
open(dst, "w").write("".join(out))
PY
      (cd "$dir" && "$ROOT/knobflow" tune study.yaml > tune.log 2>&1 || true)
      (cd "$dir" && "$ROOT/knobflow" show "dup-$example" --storage journal:journal.jsonl \
        --format json > show.json 2> show.err || true)
    done
  done
done
if [ "$SYNTHETIC_SEEDS" -gt 0 ]; then
  CP="$("$HERE/../lib/java-classpath.sh" optimizers)"
  java -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$CP" "$HERE/DuplicatesBench.java" \
    "$SYNTHETIC_SEEDS" 100 > "$OUT/synthetic.csv" 2> "$OUT/synthetic.log"
fi
python3 "$HERE/count.py" "$OUT" | tee "$OUT/report.md"
echo "machine: load $(cut -d' ' -f1-3 /proc/loadavg) at the end" | tee -a "$OUT/report.md"
