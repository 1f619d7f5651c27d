#!/usr/bin/env bash
# Builds the given module (and what it needs) and prints a classpath with its classes, test classes
# and dependencies, for running benchmark sources with the java source launcher.
# Usage: CP=$(bench/lib/java-classpath.sh optimizers)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MODULE="$1"
cd "$ROOT"
./mvnw -B -q -pl "$MODULE" -am -DskipTests -Dspotless.check.skip=true test-compile >&2
CP_FILE="$ROOT/$MODULE/target/bench-classpath.txt"
./mvnw -B -q -pl "$MODULE" dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >&2
echo "$ROOT/$MODULE/target/classes:$ROOT/$MODULE/target/test-classes:$(cat "$CP_FILE")"
