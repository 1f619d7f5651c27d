#!/usr/bin/env bash
# Multi-fidelity benchmark: counting ones (BOHB paper), 8+8 and 16+16 parameters, budgets 9..729,
# eta 3. Knobflow's BOHB (default factorised model, and HpBandSter's joint model), Hyperband (random
# sampling), ASHA and random search at full budget, and in the same run Optuna 5.0.0's TPESampler +
# HyperbandPruner. Both sides pay the steps actually run (a promoted configuration continues its
# draws) and take the incumbent the same way (best observed loss on the largest budget so far).
# Usage: bench/multi-fidelity/run.sh [SEEDS] [TOTAL_BUDGET_IN_MAX_BUDGETS]   (default 10 50)
# Writes bench/results/multi-fidelity/curves.csv (every evaluation) and summary.csv (median regret
# per checkpoint) and anytime.svg (the anytime figure), and prints the anytime table.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SEEDS="${1:-10}"
TOTAL="${2:-50}"
SIZES=(8 16)
source "$HERE/../lib/optuna-venv.sh"
CP="$("$HERE/../lib/java-classpath.sh" optimizers)"
OUT="$HERE/../results/multi-fidelity"
mkdir -p "$OUT"
echo "machine: $(nproc) cores; seeds $SEEDS; total budget ${TOTAL} x 729 per run" >&2
echo "knobflow..." >&2
java -cp "$CP" "$HERE/CountingOnesBench.java" "$SEEDS" "$TOTAL" "${SIZES[@]}" > "$OUT/knobflow.csv"
echo "optuna..." >&2
"$OPTUNA_PY" "$HERE/optuna_counting_ones.py" "$SEEDS" "$TOTAL" "${SIZES[@]}" > "$OUT/optuna.csv"
python3 "$HERE/summarize.py" "$OUT" "$SEEDS" "$TOTAL"
