#!/usr/bin/env bash
# PBT benchmark on a real model: the DJL MLP on the bundled digits (one hidden layer of UNITS, plain
# SGD, batch BATCH), learning rate and weight decay as the schedule, held-out accuracy as the score.
# Knobflow's PBT, ASHA and random search (DigitsPbtBench.java, one JVM) and, in the same run, Ray Tune
# 2.60's PopulationBasedTraining (ray_pbt_digits.py) train through the same Java trainer
# (MlpSegmentTrainer; Ray's side through MlpTrainServer.java) with the same population, interval and
# total epochs (POPULATION x EPOCHS: Knobflow's PBT through a study budget on the epochs trained,
# Ray's through an experiment stopper), 2 trials at a time.
# Usage: bench/pbt/run-digits.sh [SEEDS] [POPULATION] [INTERVAL] [EPOCHS] [UNITS] [BATCH]
#        (default 5 8 2 18 32 64)
# Writes bench/results/pbt/digits-{knobflow,ray}.csv and prints the median table.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SEEDS="${1:-5}"
POPULATION="${2:-8}"
INTERVAL="${3:-2}"
EPOCHS="${4:-18}"
UNITS="${5:-32}"
BATCH="${6:-64}"
VENV="${KNOBFLOW_RAY_VENV:-$HERE/../.venv-ray}"
if ! "$VENV/bin/python" -c 'import ray, sys; sys.exit(ray.__version__ != "2.60.0")' 2>/dev/null; then
  echo "bench: installing ray[tune]==2.60.0 into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "ray[tune]==2.60.0" >&2
fi
CP="$("$HERE/../lib/java-classpath.sh" examples)"
# One PyTorch thread per trial on both sides; DJL uses the engine bundled in the examples' jars.
JAVA=(java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1)
OUT="$HERE/../results/pbt"
mkdir -p "$OUT"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); seeds $SEEDS, population $POPULATION, interval $INTERVAL, epochs $EPOCHS, units $UNITS, batch $BATCH" >&2
CLASSES="$(mktemp -d)"
trap 'rm -rf "$CLASSES"' EXIT
javac -d "$CLASSES" -cp "$CP" "$HERE/PbtBenchSupport.java" "$HERE/DigitsPbtBench.java" \
  "$HERE/MlpTrainServer.java"
JAVA+=(-cp "$CLASSES:$CP")
"${JAVA[@]}" DigitsPbtBench "$SEEDS" "$POPULATION" "$INTERVAL" "$EPOCHS" "$UNITS" "$BATCH" \
  > "$OUT/digits-knobflow.csv"
echo "knobflow side done; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
# The trainer server for Ray's side: it exits when its stdin (this fifo's writer) closes.
FIFO="$(mktemp -u)"
mkfifo "$FIFO"
"${JAVA[@]}" MlpTrainServer "$UNITS" "$BATCH" < "$FIFO" > "$OUT/digits-server.out" &
SERVER=$!
exec 3> "$FIFO"
trap 'exec 3>&-; rm -f "$FIFO"; wait "$SERVER" 2>/dev/null || true; rm -rf "$CLASSES"' EXIT
until grep -q '^port ' "$OUT/digits-server.out" 2>/dev/null; do
  kill -0 "$SERVER" 2>/dev/null || { echo "bench: the trainer server died" >&2; exit 1; }
  sleep 1
done
PORT="$(awk '/^port /{print $2}' "$OUT/digits-server.out")"
# Ray Tune prints its own tables to stdout: keep the CSV rows only.
PYTHONPATH="$HERE" "$VENV/bin/python" "$HERE/ray_pbt_digits.py" "$SEEDS" "$POPULATION" "$INTERVAL" "$EPOCHS" "$PORT" \
  | grep -E '^(method|ray-pbt),' > "$OUT/digits-ray.csv"
echo "done; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 "$HERE/summarize.py" "$OUT/digits-knobflow.csv" "$OUT/digits-ray.csv"
