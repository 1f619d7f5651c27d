#!/usr/bin/env bash
# Builds the given module (and what it needs) and prints a classpath with the project's own classes
# and test classes (from target/, never stale SNAPSHOT jars from ~/.m2) and the external dependencies,
# for running benchmark sources with the java source launcher.
# Usage: CP=$(bench/lib/java-classpath.sh optimizers)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MODULE="$1"
cd "$ROOT"
CP_FILE="$ROOT/$MODULE/target/bench-classpath.txt"
# One reactor call: the modules' test-jars (test dependencies of plugin and examples) resolve from
# the reactor, never from ~/.m2. With -am every module of the chain writes CP_FILE in turn; the
# module asked for comes last.
./mvnw -B -q -pl "$MODULE" -am -DskipTests -Dspotless.check.skip=true test-compile \
  dependency:build-classpath -Dmdep.outputFile="$CP_FILE" \
  -Dmdep.includeScope=test -Dmdep.excludeGroupIds=dev.knobflow >&2
OWN=""
for m in time optimizers green-metrics llm-advisor mlflow-rest plugin examples; do
  OWN="$OWN$ROOT/$m/target/classes:$ROOT/$m/target/test-classes:"
done
echo "$OWN$(cat "$CP_FILE")"
