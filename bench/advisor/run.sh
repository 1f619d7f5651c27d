#!/usr/bin/env sh
# Detector precision/recall per class and time per diagnosis of a 1,000-point curve.
# Usage (from the repository root): bench/advisor/run.sh
set -eu
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl llm-advisor test-compile exec:java \
  -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.knobflow.advisor.bench.DiagnosticsBenchmark
