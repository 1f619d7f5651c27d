#!/usr/bin/env bash
# Framework overhead, Knobflow against Optuna 5.0.0 in the same run: trials per second with a
# trivial objective and the random sampler, in memory and on the journal file.
# Usage: bench/overhead/run.sh [TRIALS] [JOURNAL_TRIALS]   (defaults 10000 and TRIALS)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TRIALS="${1:-10000}"
JOURNAL_TRIALS="${2:-$TRIALS}"
source "$HERE/../lib/optuna-venv.sh"
CP="$("$HERE/../lib/java-classpath.sh" optimizers)"
OUT="$(mktemp -d)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "knobflow (Java $(java -version 2>&1 | head -1 | cut -d'"' -f2))..."
java -cp "$CP" "$HERE/OverheadBench.java" "$TRIALS" "$JOURNAL_TRIALS" | tee "$OUT/knobflow.jsonl"
echo "optuna..."
"$OPTUNA_PY" "$HERE/optuna_overhead.py" "$TRIALS" "$JOURNAL_TRIALS" | tee "$OUT/optuna.jsonl"
python3 - "$OUT/knobflow.jsonl" "$OUT/optuna.jsonl" <<'PY'
import json, sys
k = {r["storage"]: r for r in map(json.loads, open(sys.argv[1]))}
o = {r["storage"]: r for r in map(json.loads, open(sys.argv[2]))}
targets = {"memory": 10.0, "journal": 3.0}
# Wall-clock trials/s is the figure; on a loaded machine it mostly measures the scheduler, so the
# CPU-time rate (process CPU, GC/JIT threads included) is printed beside it.
cpu = lambda r: r["trials"] / r["cpu_seconds"]
print()
print(f"{'storage':<9}{'knobflow trials/s':>19}{'optuna trials/s':>17}{'ratio':>9}{'target':>9}"
      f"{'knobflow/cpu-s':>16}{'optuna/cpu-s':>14}{'cpu ratio':>11}")
for s in ("memory", "journal"):
    ratio = k[s]["trials_per_second"] / o[s]["trials_per_second"]
    print(f"{s:<9}{k[s]['trials_per_second']:>19.0f}{o[s]['trials_per_second']:>17.0f}"
          f"{ratio:>8.1f}x{targets[s]:>8.0f}x  {'met' if ratio >= targets[s] else 'MISSED':<6}"
          f"{cpu(k[s]):>14.0f}{cpu(o[s]):>14.0f}{cpu(k[s]) / cpu(o[s]):>10.1f}x")
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
