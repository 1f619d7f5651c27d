#!/usr/bin/env bash
# Regenerates docs/img/mlflow-study-run*.png: headless-Chromium screenshots of a study run in
# MLflow's UI (the MLflow the tests install, target/mlflow-venv): its overview (description and
# params), its best-so-far history chart and its report artifacts.
#
# Prerequisites: Java 17+, target/mlflow-venv (the tests' MLflow; see docs/mlflow.md), and
# Chromium: apt-get install -y chromium (or set CHROMIUM=/path/to/chrome).
# Usage: scripts/mlflow-screenshot.sh [out-dir]   (default docs/img)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$repo/docs/img}"
chromium="${CHROMIUM:-chromium}"
mlflow="$repo/target/mlflow-venv/bin/mlflow"
port="${PORT:-5917}"
work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
cd "$repo"
[ -f plugin/target/knobflow.jar ] || ./mvnw -B -q -DskipTests package -pl plugin -am

"$mlflow" server --host 127.0.0.1 --port "$port" --workers 1 \
  --backend-store-uri "sqlite:///$work/mlflow.db" --artifacts-destination "$work/artifacts" \
  >"$work/server.log" 2>&1 &
server=$!
up=""
for _ in $(seq 600); do
  if curl -sf "http://127.0.0.1:$port/health" >/dev/null; then up=1; break; fi
  sleep 1
done
[ -n "$up" ] || { echo "mlflow server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }
uri="http://127.0.0.1:$port"

# A small two-parameter study on a command objective (the Branin function), tracked in MLflow.
cat >"$work/branin.py" <<'PY'
import json, math, sys
x, y = float(sys.argv[1]), float(sys.argv[2])
b = (y - 5.1 / (4 * math.pi ** 2) * x * x + 5 / math.pi * x - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x) + 10
for step in range(3):
    print(json.dumps({"step": step, "loss": b + (2 - step)}))
print(json.dumps({"loss": b}))
PY
cat >"$work/study.yaml" <<YAML
name: branin-demo
seed: 7
storage: journal:journal.jsonl
tracking: {uri: '$uri', experiment: knobflow-demo}
objectives: [{name: loss, direction: minimize}]
space:
  x: {type: float, low: -5, high: 10}
  y: {type: float, low: 0, high: 15}
sampler: {type: tpe}
trials: 30
parallelism: 2
objective: {command: [python3, branin.py, "{x}", "{y}"]}
YAML
MLFLOW_TRACKING_URI= ./knobflow tune "$work/study.yaml" --quiet

exp=$(curl -sf "$uri/api/2.0/mlflow/experiments/get-by-name?experiment_name=knobflow-demo" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["experiment"]["experiment_id"])')
run=$(curl -sf -X POST "$uri/api/2.0/mlflow/runs/search" -H 'Content-Type: application/json' \
  -d "{\"experiment_ids\": [\"$exp\"], \"filter\": \"tags.\`knobflow.kind\` = 'study'\"}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["runs"][0]["info"]["run_id"])')

shot() { # url file height
  "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1500,"$3" \
    --virtual-time-budget=60000 --run-all-compositor-stages-before-draw \
    --screenshot="$2" "$1" >/dev/null 2>&1 || echo "screenshot of $1 failed" >&2
}
# MLflow 3.17's UI picks GenAI or model-training navigation from ?workflowType= (or what the
# browser chose last); Knobflow's links carry workflowType=machine_learning.
ml="workflowType=machine_learning"
mkdir -p "$out"
shot "$uri/#/experiments/$exp/runs/$run?$ml" "$out/mlflow-study-run.png" 2300
shot "$uri/#/experiments/$exp/runs/$run/model-metrics?$ml" "$out/mlflow-study-run-history.png" 900
# The report's artifacts, opened on its history chart: report.html's interactive charts draw only
# after an asynchronous inflate of the embedded Plotly that a one-shot --screenshot does not wait for
# (its tables show, its charts stay empty). ReportUploadServerTest, run with
# -Dknobflow.screenshots=docs/img, takes report-in-mlflow.png of the drawn report through DevTools.
shot "$uri/#/experiments/$exp/runs/$run/artifacts/report/history.png?$ml" "$out/mlflow-study-run-report.png" 1100
echo "screenshots of run $run in $out"
