#!/usr/bin/env bash
# The advisor on curves recorded from the shipped examples (bench/advisor/curves/, written by
# record.sh): replays every curve through the diagnostics as the plugin does (diagnosed at every
# step, stopped at the first DIVERGING) and prints, per example, how many top-10% trials it stops
# (target 0) and how many bad trials it stops early. Offline, seconds; extra arguments go to
# Replay.java (--old: the thresholds before issue 18; key=value: a threshold; -v: every stop;
# --straightforward: median stopping over the list of completed curves instead of the index).
# Usage (from the repository root): bench/advisor/run.sh [--old] [key=value ...] [-v]
#        bench/advisor/run.sh detectors   (precision/recall on labelled synthetic curves, timing)
#        bench/advisor/run.sh scale [PROBES] [SIZES...]   (CPU time per report at 100, 1,000 and
#          10,000 completed trials, list vs index; Scale.java)
set -eu
cd "$(dirname "$0")/../.."
if [ "${1:-}" = scale ]; then
  shift
  ./mvnw -B -q -pl llm-advisor compile -Dspotless.check.skip=true >&2
  # The peer first (Optuna 5.0.0's MedianPruner on the same sizes), unless SKIP_OPTUNA=1.
  PEER="$(mktemp)"
  trap 'rm -f "$PEER"' EXIT
  if [ "${SKIP_OPTUNA:-0}" != 1 ]; then
    . bench/lib/optuna-venv.sh
    "$OPTUNA_PY" bench/advisor/optuna_median.py "$@" > "$PEER"
  fi
  java -cp llm-advisor/target/classes bench/advisor/Scale.java --peer "$PEER" "$@"
  exit
fi
if [ "${1:-}" = detectors ]; then
  exec ./mvnw -B -q -pl llm-advisor test-compile exec:java \
    -Dexec.classpathScope=test \
    -Dexec.mainClass=dev.knobflow.advisor.bench.DiagnosticsBenchmark
fi
./mvnw -B -q -pl llm-advisor compile -Dspotless.check.skip=true >&2
exec java -cp llm-advisor/target/classes bench/advisor/Replay.java bench/advisor/curves "$@"
