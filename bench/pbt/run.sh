#!/usr/bin/env bash
# PBT benchmark on the PBT paper's toy problem: Knobflow's PBT, ASHA and random search at the same
# number of surrogate steps (POPULATION x STEPS), and in the same run Ray Tune 2.60's
# PopulationBasedTraining with the same population, interval and total steps.
# Usage: bench/pbt/run.sh [SEEDS] [POPULATION] [INTERVAL] [STEPS]   (default 5 4 4 100)
# Writes bench/results/pbt/{knobflow,ray}.csv and prints the median table.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SEEDS="${1:-5}"
POPULATION="${2:-4}"
INTERVAL="${3:-4}"
STEPS="${4:-100}"
VENV="${KNOBFLOW_RAY_VENV:-$HERE/../.venv-ray}"
if ! "$VENV/bin/python" -c 'import ray, sys; sys.exit(ray.__version__ != "2.60.0")' 2>/dev/null; then
  echo "bench: installing ray[tune]==2.60.0 into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "ray[tune]==2.60.0" >&2
fi
CP="$("$HERE/../lib/java-classpath.sh" optimizers)"
OUT="$HERE/../results/pbt"
mkdir -p "$OUT"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); seeds $SEEDS, population $POPULATION, interval $INTERVAL, steps $STEPS" >&2
CLASSES="$(mktemp -d)"
trap 'rm -rf "$CLASSES"' EXIT
javac -d "$CLASSES" -cp "$CP" "$HERE/PbtBenchSupport.java" "$HERE/ToyPbtBench.java"
java -cp "$CLASSES:$CP" ToyPbtBench "$SEEDS" "$POPULATION" "$INTERVAL" "$STEPS" > "$OUT/knobflow.csv"
# Ray Tune prints its own tables to stdout: keep the CSV rows only.
PYTHONPATH="$HERE" "$VENV/bin/python" "$HERE/ray_pbt_toy.py" "$SEEDS" "$POPULATION" "$INTERVAL" "$STEPS" \
  | grep -E '^(method|ray-pbt),' > "$OUT/ray.csv"
echo "done; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 "$HERE/summarize.py" "$OUT/knobflow.csv" "$OUT/ray.csv"
