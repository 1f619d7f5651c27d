#!/usr/bin/env bash
# Regenerates docs/img/pareto.png: tunes the example command study (examples/command/study.yaml,
# seed 42, 30 trials) into a scratch journal and copies the Pareto chart of its `knobflow report`.
# (No headless browser is assumed, so the docs show the report's chart, not a page screenshot.)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$repo"
unset MLFLOW_TRACKING_URI
./knobflow tune examples/command/study.yaml --storage "journal:$work/journal.jsonl" -q
./knobflow report iris-command --storage "journal:$work/journal.jsonl" --out "$work/report"
mkdir -p docs/img
cp "$work/report/pareto.png" docs/img/pareto.png
echo "wrote docs/img/pareto.png"
