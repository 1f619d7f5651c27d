#!/usr/bin/env bash
# Framework overhead, Knobflow against Optuna 5.0.0 in the same run: trials per second with a
# trivial objective and the random sampler, in memory and on the journal file.
# Usage: bench/overhead/run.sh [TRIALS]   (default 10000)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TRIALS="${1:-10000}"
source "$HERE/../lib/optuna-venv.sh"
CP="$("$HERE/../lib/java-classpath.sh" optimizers)"
OUT="$(mktemp -d)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "knobflow (Java $(java -version 2>&1 | head -1 | cut -d'"' -f2))..."
java -cp "$CP" "$HERE/OverheadBench.java" "$TRIALS" | tee "$OUT/knobflow.jsonl"
echo "optuna..."
"$OPTUNA_PY" "$HERE/optuna_overhead.py" "$TRIALS" | tee "$OUT/optuna.jsonl"
python3 - "$OUT/knobflow.jsonl" "$OUT/optuna.jsonl" <<'PY'
import json, sys
k = {r["storage"]: r for r in map(json.loads, open(sys.argv[1]))}
o = {r["storage"]: r for r in map(json.loads, open(sys.argv[2]))}
targets = {"memory": 10.0, "journal": 3.0}
print()
print(f"{'storage':<9}{'knobflow trials/s':>19}{'optuna trials/s':>17}{'ratio':>9}{'target':>9}")
for s in ("memory", "journal"):
    ratio = k[s]["trials_per_second"] / o[s]["trials_per_second"]
    print(f"{s:<9}{k[s]['trials_per_second']:>19.0f}{o[s]['trials_per_second']:>17.0f}"
          f"{ratio:>8.1f}x{targets[s]:>8.0f}x  {'met' if ratio >= targets[s] else 'MISSED'}")
PY
