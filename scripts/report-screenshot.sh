#!/usr/bin/env bash
# Regenerates docs/img/report.png: a headless-Chromium screenshot of the HTML report that
# `knobflow report` writes for the DJL example study (examples/djl/study.yaml: an MLP on digits,
# BOHB over 1..27 epochs, seed 42), first 40 trials (one BOHB bracket: 27 + 9 + 3 + 1).
#
# Prerequisites: Java 17+, and Chromium for the screenshot:
#   Debian/Ubuntu:  apt-get install -y chromium      (or set CHROMIUM=/path/to/chrome)
# The build runs offline once ~/.m2 has the dependencies; DJL loads PyTorch from the examples jar.
# Latencies and the constant-power energy estimate are measured, so the numbers shift a little
# from run to run; accuracies do not (seeded weights, batches and BOHB).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$repo/docs/img/report.png}"
trials="${TRIALS:-40}"

chromium="${CHROMIUM:-}"
if [ -z "$chromium" ]; then
  for candidate in chromium chromium-browser google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then
      chromium="$candidate"
      break
    fi
  done
fi
if [ -z "$chromium" ]; then
  echo "report-screenshot: no Chromium found; install it (apt-get install -y chromium) or set CHROMIUM" >&2
  exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$repo"
unset MLFLOW_TRACKING_URI

./mvnw -B -q -DskipTests package -pl examples -am

# A copy of the study file, so the advisor's reports go to the scratch directory.
cp examples/djl/study.yaml "$work/study.yaml"
export DJL_OFFLINE=true
export KNOBFLOW_JAVA_OPTS="-Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1"
./knobflow tune "$work/study.yaml" --storage "journal:$work/journal.jsonl" --trials "$trials" -q
./knobflow report djl-digits --storage "journal:$work/journal.jsonl" --out "$work/report" --no-mlflow

"$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --window-size=1280,2400 --virtual-time-budget=60000 --screenshot="$work/report.png" "file://$work/report/report.html" \
  2>/dev/null
mkdir -p "$(dirname "$out")"
cp "$work/report.png" "$out"
echo "wrote $out ($(du -k "$out" | cut -f1) kB)"
