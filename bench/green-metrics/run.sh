#!/usr/bin/env bash
# CPU cost of the nvidia-smi sampler (reader thread: read + parse + align + store) per second of
# sampling, at -lms 10, 100 and 1000, for 1 and 8 GPUs, against the fake nvidia-smi.
#
# Usage (from the repository root):  bench/green-metrics/run.sh [secondsPerCase]
# Needs: JDK 17, Maven, python3 (for the fake nvidia-smi). Results are also saved under
# bench/results/green-metrics-<timestamp>.txt (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-10}"
mkdir -p bench/results
out="bench/results/green-metrics-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
  echo "# green-metrics sampler benchmark, $(date -u +%FT%TZ), $(nproc) CPUs, $(java -version 2>&1 | head -1)"
  mvn -B -q -Dstyle.color=never -pl green-metrics test-compile exec:java \
    -Dexec.mainClass=dev.knobflow.greenmetrics.bench.NvidiaSmiSamplerBench \
    -Dexec.classpathScope=test \
    -Dexec.args="$seconds"
} 2>&1 | sed 's/\x1b\[[0-9;]*m//g' | tee "$out"
echo "saved $out"
