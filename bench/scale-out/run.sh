#!/usr/bin/env bash
# Scale-out: W worker processes share one study stored on one MLflow tracking server, for W in
# 1 2 4 8, next to Optuna 5.0.0 with W processes on one JournalStorage file. Same 200 ms objective
# (a sleep: the workers measure coordination, not compute), random sampler, TRIALS trials in all
# per W (each process runs TRIALS/W of them).
#
# Usage (from the repository root):
#   bench/scale-out/run.sh [--trials N] [--workers "1 2 4 8"] [--server-workers K]
#                          [--no-optuna] [--no-journal] [--no-build]
#   --trials N          trials per study, in all (default 400; must divide by every W)
#   --workers LIST      worker counts to run, space- or comma-separated (default "1 2 4 8")
#   --server-workers K  the MLflow server's --workers (default 4, MLflow's own default)
#   --no-optuna         no Optuna runs
#   --no-journal        no Knobflow runs on its journal file (the like-for-like peer of Optuna's)
#   --no-build          use plugin/target/knobflow.jar as it is
# Quick run: bench/scale-out/run.sh --trials 40 --workers 1,4
#
# Requests are counted from the server's own access log (uvicorn logs one line per answered
# request): every /api/ line written while a W's workers ran, also broken down by endpoint
# (method and path: a table of requests per trial per endpoint). Results: bench/results/scale-out.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/scale-out"
cd "$ROOT"

TRIALS=400
WORKERS="1 2 4 8"
SERVER_WORKERS=4
OPTUNA=1
JOURNAL_TOO=1
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --trials) TRIALS="$2"; shift 2 ;;
    --workers) WORKERS="${2//,/ }"; shift 2 ;;
    --server-workers) SERVER_WORKERS="$2"; shift 2 ;;
    --no-optuna) OPTUNA=0; shift ;;
    --no-journal) JOURNAL_TOO=0; shift ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option '$1' (allowed: --trials, --workers, --server-workers, --no-optuna, --no-journal, --no-build)" >&2; exit 2 ;;
  esac
done
case "$TRIALS" in ''|*[!0-9]*) echo "run.sh: --trials must be a whole number, got '$TRIALS'" >&2; exit 2 ;; esac
for w in $WORKERS; do
  case "$w" in ''|*[!0-9]*|0) echo "run.sh: --workers must list whole numbers >= 1, got '$w'" >&2; exit 2 ;; esac
  if [ $((TRIALS % w)) -ne 0 ]; then
    echo "run.sh: --trials ($TRIALS) must divide by every worker count; $w does not" >&2; exit 2
  fi
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/knobflow-scale-out.XXXXXX")"
SERVER_PID=""
WORKER_PIDS=()
kill_tree() { # pid: its descendants first, then itself
  local child
  for child in $(pgrep -P "$1" 2>/dev/null); do kill_tree "$child"; done
  kill "$1" 2>/dev/null || true
}
cleanup() {
  local status=$?
  for pid in "${WORKER_PIDS[@]}"; do kill_tree "$pid"; done
  if [ -n "$SERVER_PID" ]; then
    # The server was started in its own process group (setsid): stop it and its uvicorn workers.
    kill -TERM -- "-$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
  fi
  # The scratch folder (server database, worker logs) is kept only when something failed.
  if [ "$status" = 0 ]; then
    rm -rf "$WORK"
  else
    echo "scratch files (server and worker logs) kept in $WORK" >&2
  fi
}
trap cleanup EXIT INT TERM

# --- build and compile --------------------------------------------------------------------------
JAR="$ROOT/plugin/target/knobflow.jar"
if [ "$BUILD" = 1 ] || [ ! -f "$JAR" ]; then
  echo "building $JAR (./mvnw -q -DskipTests package -pl plugin -am)..." >&2
  ./mvnw -q -DskipTests package -pl plugin -am >&2
fi
mkdir -p "$WORK/classes"
javac -d "$WORK/classes" -cp "$JAR" "$HERE/SleepObjective.java" "$HERE/ScaleOutSetup.java"
SETUP=(java -cp "$JAR:$WORK/classes" dev.knobflow.bench.scaleout.ScaleOutSetup)

# --- the MLflow server (the pinned release the tests use) ---------------------------------------
MLFLOW_VERSION=3.17.2
VENV="$ROOT/target/mlflow-venv"
if ! "$VENV/bin/mlflow" --version 2>/dev/null | grep -q "version $MLFLOW_VERSION\$"; then
  echo "installing mlflow==$MLFLOW_VERSION into $VENV..." >&2
  mkdir -p "$ROOT/target"
  python3 -m venv --clear "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "mlflow==$MLFLOW_VERSION" >&2
fi
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
URI="http://127.0.0.1:$PORT"
LOG="$WORK/server.log"
# MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false: no Huey job consumers (GenAI scoring, trace archival),
# which tracking does not use and which would take CPU from the server on a small machine.
PYTHONUNBUFFERED=1 MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false setsid "$VENV/bin/mlflow" server --host 127.0.0.1 --port "$PORT" \
  --backend-store-uri "sqlite:///$WORK/mlflow.db" --artifacts-destination "$WORK/artifacts" \
  --workers "$SERVER_WORKERS" >"$LOG" 2>&1 &
SERVER_PID=$!
for _ in $(seq 240); do
  if curl -sf "$URI/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then echo "mlflow server died:" >&2; tail -20 "$LOG" >&2; exit 1; fi
  sleep 0.5
done
curl -sf "$URI/health" >/dev/null || { echo "mlflow server did not start; see $LOG" >&2; exit 1; }

# Warm every server worker process (each imports lazily on its first requests) before measuring.
for _ in $(seq 32); do echo; done | xargs -P 8 -I{} curl -sf -o /dev/null -X POST \
  -H 'Content-Type: application/json' -d '{"experiment_ids": ["0"], "max_results": 1}' \
  "$URI/api/2.0/mlflow/runs/search" || true

RESULTS="$WORK/results.jsonl"
RUN_ID="$(date +%s)"
api_requests() { grep -c '"\(GET\|POST\|PATCH\|DELETE\) /api/' "$LOG" || true; }
# The /api/ requests by endpoint (method and path, query left out) in the log past line $1, as JSON;
# answers other than 200 count apart, with their status (e.g. a number claim another worker won is
# a refused `log-batch`: "POST runs/log-batch 400").
api_breakdown() {
  tail -n "+$(($1 + 1))" "$LOG" | python3 -c '
import collections, json, re, sys
def key(m):
    endpoint = m.group(1) + " " + m.group(2).split("?")[0].replace("/api/2.0/mlflow/", "")
    return endpoint if m.group(3) in (None, "200") else endpoint + " " + m.group(3)
counts = collections.Counter(
    key(m)
    for m in (re.search(r"\"(GET|POST|PATCH|DELETE) (/api/\S+)[^\"]*\"(?: (\d{3}))?", line)
              for line in sys.stdin) if m)
print(json.dumps(dict(counts.most_common())))'
}
now() { date +%s.%N; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "mlflow $MLFLOW_VERSION server at $URI (--workers $SERVER_WORKERS, SQLite); $TRIALS trials per study, workers: $WORKERS"

# CPU seconds (user + system) the server's processes have used so far.
server_cpu() {
  python3 - "$SERVER_PID" <<'PY'
import os, sys
pgid, ticks, total = int(sys.argv[1]), os.sysconf("SC_CLK_TCK"), 0
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        continue
    if int(fields[2]) == pgid:  # fields[2]: process group; [11], [12]: utime, stime
        total += int(fields[11]) + int(fields[12])
print(total / ticks)
PY
}

# Starts W processes of a command (a function name), each under /usr/bin/time, and waits for all;
# sets START, END, FAILED and WORKER_CPU (user + system seconds of them all).
run_workers() {
  local w="$1" fn="$2" tag="$3" i pid
  WORKER_PIDS=()
  START=$(now)
  for i in $(seq "$w"); do
    /usr/bin/time -f "%U %S" -o "$WORK/$tag-worker$i.time" bash -c "$fn" >"$WORK/$tag-worker$i.log" 2>&1 &
    WORKER_PIDS+=($!)
  done
  FAILED=0
  for pid in "${WORKER_PIDS[@]}"; do wait "$pid" || FAILED=$((FAILED + 1)); done
  END=$(now)
  WORKER_PIDS=()
  WORKER_CPU=$(cat "$WORK/$tag"-worker*.time | awk '/^[0-9.]+ [0-9.]+$/ {s += $1 + $2} END {print s + 0}')
  if [ "$FAILED" -gt 0 ]; then
    echo "$tag: $FAILED worker(s) failed; logs in $WORK" >&2
    tail -20 "$WORK/$tag-worker1.log" >&2
  fi
}

record() { # tool storage W requests server_cpu verify-json [by-endpoint-json]
  python3 - "$1" "$2" "$3" "$START" "$END" "$4" "$5" "$WORKER_CPU" "$TRIALS" "$6" "${7:-}" >>"$RESULTS" <<'PY'
import json, sys
tool, storage, w, start, end, requests, server_cpu, worker_cpu, trials, verify, by = sys.argv[1:]
try:
    checked = json.loads(verify)
except ValueError:
    checked = {"ok": False, "error": verify or "verify printed nothing"}
print(json.dumps({"tool": tool, "storage": storage, "workers": int(w),
                  "wall_s": float(end) - float(start),
                  "requests": int(requests) if requests else None,
                  "server_cpu_s": float(server_cpu) if server_cpu else None,
                  "worker_cpu_s": float(worker_cpu), "trials": int(trials), "verify": checked,
                  "by_endpoint": json.loads(by) if by else None}))
PY
  tail -1 "$RESULTS"
}

study_file() { # name
  cat >"$WORK/$1.yaml" <<EOF
name: $1
objectives: [{name: loss, direction: minimize}]
space:
  x: {type: float, low: -5, high: 5}
  y: {type: float, low: -5, high: 5}
sampler: random
trials: $TRIALS
objective: {class: dev.knobflow.bench.scaleout.SleepObjective}
EOF
}

# --- Knobflow: W `knobflow worker` processes on one MLflow-stored study -------------------------
for W in $WORKERS; do
  STUDY="scale-w$W"
  EXPERIMENT="scale-out-$RUN_ID-w$W" # one experiment per W: every W searches an equally big one
  STORAGE="mlflow:$URI"
  study_file "$STUDY"
  "${SETUP[@]}" create "$STORAGE" "$EXPERIMENT" "$WORK/$STUDY.yaml" "$TRIALS"
  sleep 1
  requests_before=$(api_requests)
  lines_before=$(wc -l <"$LOG")
  cpu_before=$(server_cpu)
  run_workers "$W" "KNOBFLOW_CLASSPATH='$WORK/classes' '$ROOT/knobflow' worker $STUDY \
    --storage '$STORAGE' --experiment $EXPERIMENT --trials $((TRIALS / W)) --parallelism 1 --quiet" \
    "knobflow-mlflow-w$W"
  sleep 1 # the access log line is written after the answer
  requests=$(( $(api_requests) - requests_before ))
  cpu=$(python3 -c "print(round($(server_cpu) - $cpu_before, 2))")
  by_endpoint="$(api_breakdown "$lines_before")"
  verify="$("${SETUP[@]}" verify "$STORAGE" "$EXPERIMENT" "$STUDY" "$TRIALS" || true)"
  record knobflow mlflow "$W" "$requests" "$cpu" "$verify" "$by_endpoint"
done

# --- Knobflow on its journal file: the like-for-like peer of Optuna's JournalFileBackend --------
if [ "$JOURNAL_TOO" = 1 ]; then
  for W in $WORKERS; do
    STUDY="scale-w$W"
    STORAGE="journal:$WORK/knobflow-$STUDY.jsonl"
    study_file "$STUDY"
    "${SETUP[@]}" create "$STORAGE" - "$WORK/$STUDY.yaml" "$TRIALS"
    run_workers "$W" "KNOBFLOW_CLASSPATH='$WORK/classes' '$ROOT/knobflow' worker $STUDY \
      --storage '$STORAGE' --trials $((TRIALS / W)) --parallelism 1 --quiet" \
      "knobflow-journal-w$W"
    verify="$("${SETUP[@]}" verify "$STORAGE" - "$STUDY" "$TRIALS" || true)"
    record knobflow journal "$W" "" "" "$verify"
  done
fi

# --- Optuna 5.0.0: W processes of study.optimize on one JournalStorage file ---------------------
if [ "$OPTUNA" = 1 ]; then
  source "$ROOT/bench/lib/optuna-venv.sh"
  for W in $WORKERS; do
    STUDY="scale-w$W"
    JOURNAL="$WORK/optuna-$STUDY.journal"
    "$OPTUNA_PY" "$HERE/optuna_scale_out.py" create "$JOURNAL" "$STUDY"
    run_workers "$W" "'$OPTUNA_PY' '$HERE/optuna_scale_out.py' worker '$JOURNAL' $STUDY \
      $((TRIALS / W))" "optuna-w$W"
    verify="$("$OPTUNA_PY" "$HERE/optuna_scale_out.py" verify "$JOURNAL" "$STUDY" "$TRIALS" || true)"
    record optuna journal "$W" "" "" "$verify"
  done
fi

mkdir -p "$ROOT/bench/results"
python3 "$HERE/summarize.py" "$RESULTS" | tee "$ROOT/bench/results/scale-out.md"
echo "raw results and logs: $WORK" >&2
