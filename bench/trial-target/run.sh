#!/usr/bin/env bash
# The trial target's per-trial check before and after StudyStorage.trialsOccupyingTarget, in memory
# and on the journal, in CPU time (see TargetCheckBench.java). Knobflow only: Optuna has no
# study-wide target to compare with.
# Usage: bench/trial-target/run.sh [TRIALS]   (default 10000)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TRIALS="${1:-10000}"
CP="$("$HERE/../lib/java-classpath.sh" optimizers)"
echo "machine: $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$CP" "$HERE/TargetCheckBench.java" "$TRIALS"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
