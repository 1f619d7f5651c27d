#!/usr/bin/env bash
# Batched vs one-call-per-value MLflow logging against a real MLflow server.
# Usage (from anywhere): bench/mlflow-logging/run.sh [TRIALS] [STEPS]
set -euo pipefail
cd "$(dirname "$0")/../.."
TRIALS="${1:-10}"
STEPS="${2:-50}"
mvn -B -q -pl plugin -am test \
  -Dknobflow.test.excludedGroups=none -Dgroups=benchmark \
  -Dtest=MlflowLoggingBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.trials="$TRIALS" -Dbench.steps="$STEPS"
cat bench/results/mlflow-logging.md
