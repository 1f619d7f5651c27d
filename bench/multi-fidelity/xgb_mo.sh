#!/usr/bin/env bash
# Multi-objective multi-fidelity XGBoost (accuracy, latency_ms; boosting rounds 10..270 as budget):
# Hyperband with Pareto rung ranking (multi-objective pruning) and with rungs ranked by accuracy
# alone (single-objective pruning), both with checkpoint continuation, vs random search at 270 rounds.
# Usage: bench/multi-fidelity/xgb_mo.sh [SEEDS] [TOTAL_IN_R]   (default 3 seeds, 26 R = 2 cycles)
# Writes bench/results/multi-fidelity/xgb_mo.csv and prints median hypervolume vs budget spent, of
# all evaluated models and of the full-budget (270-round) models only.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SEEDS="${1:-3}"
TOTAL="${2:-26}"
ROOT="$(cd "$HERE/../.." && pwd)"
# The reactor's own classes first: the dependency classpath may name stale snapshot jars.
CP="$ROOT/optimizers/target/classes:$ROOT/plugin/target/classes:$("$HERE/../lib/java-classpath.sh" examples)"
OUT="$HERE/../results/multi-fidelity"
mkdir -p "$OUT"
echo "machine: $(nproc) cores; seeds $SEEDS; total budget ${TOTAL} x 270 rounds per run" >&2
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" "$HERE/XgbMoBench.java" "$SEEDS" "$TOTAL" > "$OUT/xgb_mo.csv"
python3 - "$OUT/xgb_mo.csv" "$TOTAL" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
total = float(sys.argv[2])
arms = sorted({r["arm"] for r in rows})
seeds = sorted({r["seed"] for r in rows})
marks = [m for m in (1, 2, 4, 6, 8, 13, 20, 26, 40, 52) if m <= total]
def hv_at(arm, seed, b, column):
    best = 0.0
    for r in rows:
        if r["arm"] == arm and r["seed"] == seed and float(r["spent_r"]) <= b + 1e-9:
            best = float(r[column])
    return best
def table(column, what):
    print("hypervolume (median over %d seeds, min-max) of %s vs boosting rounds spent (R = 270)" % (len(seeds), what))
    print("%8s  " % "budget/R" + "  ".join("%26s" % a for a in arms))
    for b in marks:
        cells = []
        for a in arms:
            v = [hv_at(a, s, b, column) for s in seeds]
            cells.append("%10.4f (%.4f-%.4f)" % (statistics.median(v), min(v), max(v)))
        print("%8g  " % b + "  ".join("%26s" % c for c in cells))
table("hv", "all evaluated models")
print()
table("hv_full", "full-budget (270-round) models only")
print()
for a in arms:
    n = sum(1 for r in rows if r["arm"] == a) / len(seeds)
    full = sum(1 for r in rows if r["arm"] == a and int(r["rounds"]) >= 270) / len(seeds)
    print("%s: %.0f models evaluated per run, %.1f of them at 270 rounds" % (a, n, full))
PY
