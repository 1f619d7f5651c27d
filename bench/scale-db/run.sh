#!/usr/bin/env bash
# Scale on one PostgreSQL: W workers on one study, for W in 1 8 32 64 128, Knobflow's PostgreSQL
# storage next to Optuna 5.0.0's RDBStorage (psycopg2) on the same server in the same run. The
# objective sleeps 1 s (the workers measure coordination, not the 2 cores), random sampler, two
# float parameters; ask and tell are timed around the API calls in each harness.
#
# Usage (from the repository root):
#   bench/scale-db/run.sh [--trials N] [--w1-trials N] [--rounds R] [--workers "1 8 32 64 128"]
#                         [--process-workers "8 32"] [--pool P] [--heap 64m] [--no-optuna]
#                         [--worker-opts "..."] [--no-cds] [--no-build] [--keep]
#                         [--side-by-side] [--out NAME] [--merge EARLIER.jsonl]
#   --trials N           trials per study (default 2000)
#   --w1-trials N        trials at W = 1 (default 200: 2,000 would take 33 min; W = 1 is a
#                        sequential loop, so its trials/s does not depend on N beyond warm-up)
#   --rounds R           at most R trials per worker (trials = min(N, R x W)): a quicker run
#   --workers LIST       W for the threads runs (all in one JVM / one Python process)
#   --process-workers L  W for the process runs (one JVM / Python process per worker; default
#                        "1 8 32 64 128": 128 worker JVMs take about 15 GB, so on a machine shared
#                        with other jobs leave 128 out)
#   --pool P             Knobflow's connections in the threads runs' one process (default 16,
#                        like SQLAlchemy's default 5 + 10 overflow that Optuna's threads share);
#                        the process runs keep the storage's default of 4 per process
#   --heap SIZE          -Xmx of each worker JVM in the process runs (default 64m)
#   --worker-opts OPTS   the other JVM options of each worker JVM in the process runs (default
#                        "-Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1",
#                        docs/deploy.md's options for many workers per machine) plus, unless --no-cds, -XX:SharedArchiveFile=<an AppCDS archive
#                        of the worker's classes that this script dumps first from a 3-trial run>
#   --no-cds             no AppCDS archive for the worker JVMs (the JDK's default CDS only)
#   --no-optuna          Knobflow only
#   --no-build           use the classes as built (plugin/target/scale-db-deps.txt from a former run)
#   --keep               keep the scratch folder (server log, each run's statements by time)
#   --side-by-side       run Knobflow and Optuna at the same time at each W (each in its own
#                        database on the one server): for the long W = 1 run; the server's CPU
#                        time is then shared, so DB CPU per trial is left out of those rows
#   --out NAME           results in bench/results/NAME.md and .jsonl (default scale-db)
#   --merge FILE         rows of an earlier run (its .jsonl, e.g. the long W = 1 run made with
#                        --side-by-side) printed in this run's table and model before its own
#
# The server: PostgreSQL from the system's binaries (Debian's postgresql package, as the tests
# use; KNOBFLOW_PG_BIN overrides), a fresh cluster in a temporary directory, loopback only, run as
# `nobody` when this script runs as root (PostgreSQL refuses root), with pg_stat_statements
# loaded; durability settings are PostgreSQL's defaults (fsync on). Each run gets its own database;
# the per-trial database cost comes from pg_stat_statements (statements, execution time) and
# pg_stat_database (transactions), and the server's CPU time from /proc (the postmaster, its
# reaped children and its live children). Results: bench/results/scale-db.md and .jsonl.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/scale-db"
cd "$ROOT"

TRIALS=2000
W1_TRIALS=200
ROUNDS=0
WORKERS="1 8 32 64 128"
PROCESS_WORKERS="1 8 32 64 128"
POOL=16
PROCESS_POOL=4
HEAP=64m
# docs/deploy.md, "Many workers on one machine": C1 only, one compiler thread, the serial GC, small
# thread stacks; these cut a worker's CPU per trial and at start-up (docs/scale-db.md).
DEFAULT_WORKER_OPTS="-Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1"
WORKER_OPTS="$DEFAULT_WORKER_OPTS"
CDS=1
OPTUNA=1
BUILD=1
KEEP=0
SIDE_BY_SIDE=0
OUT=scale-db
MERGE=()
while [ $# -gt 0 ]; do
  case "$1" in
    --trials) TRIALS="$2"; shift 2 ;;
    --w1-trials) W1_TRIALS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --workers) WORKERS="${2//,/ }"; shift 2 ;;
    --process-workers) PROCESS_WORKERS="${2//,/ }"; shift 2 ;;
    --pool) POOL="$2"; shift 2 ;;
    --heap) HEAP="$2"; shift 2 ;;
    --worker-opts) WORKER_OPTS="$2"; shift 2 ;;
    --no-cds) CDS=0; shift ;;
    --no-optuna) OPTUNA=0; shift ;;
    --no-build) BUILD=0; shift ;;
    --keep) KEEP=1; shift ;;
    --side-by-side) SIDE_BY_SIDE=1; shift ;;
    --out) OUT="$2"; shift 2 ;;
    --merge) [ -f "$2" ] || { echo "run.sh: --merge takes a results file, '$2' is not one" >&2; exit 2; }
      MERGE+=("$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"); shift 2 ;;
    -h|--help) sed -n '2,45p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option '$1' (allowed: --trials, --w1-trials, --rounds, --workers, --process-workers, --pool, --heap, --worker-opts, --no-cds, --no-optuna, --no-build, --keep, --side-by-side, --out, --merge)" >&2; exit 2 ;;
  esac
done
case "$OUT" in ''|*[!A-Za-z0-9_-]*) echo "run.sh: --out takes a name of letters, digits, - and _, got '$OUT'" >&2; exit 2 ;; esac
for v in "$TRIALS" "$W1_TRIALS" "$ROUNDS" "$POOL" $WORKERS $PROCESS_WORKERS; do
  case "$v" in ''|*[!0-9]*) echo "run.sh: counts must be whole numbers, got '$v'" >&2; exit 2 ;; esac
done

trials_for() { # W -> trials for that W
  local n="$TRIALS"
  [ "$1" = 1 ] && n="$W1_TRIALS"
  if [ "$ROUNDS" -gt 0 ] && [ $((ROUNDS * $1)) -lt "$n" ]; then n=$((ROUNDS * $1)); fi
  echo "$n"
}

WORK="$(mktemp -d "${TMPDIR:-/tmp}/knobflow-scale-db.XXXXXX")"
PG_PID=""
cleanup() {
  local status=$?
  if [ -n "$PG_PID" ]; then
    kill -INT "$PG_PID" 2>/dev/null || true # fast shutdown
    for _ in $(seq 100); do kill -0 "$PG_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$PG_PID" 2>/dev/null || true
  fi
  if [ "$status" = 0 ] && [ "$KEEP" = 0 ]; then
    rm -rf "$WORK"
  else
    echo "scratch files (server log, per-run statements) kept in $WORK" >&2
  fi
}
trap cleanup EXIT INT TERM

# --- build --------------------------------------------------------------------------------------
# The project's classes from target/ (never SNAPSHOT jars from ~/.m2) and the runtime dependencies.
# test-compile: the reactor then resolves the modules' test-jars (test scope) to target/test-classes.
DEPS="$ROOT/plugin/target/scale-db-deps.txt"
if [ "$BUILD" = 1 ] || [ ! -f "$DEPS" ]; then
  echo "building (plugin and what it needs)..." >&2
  nice ./mvnw -B -q -pl plugin -am -DskipTests -Dspotless.check.skip=true test-compile \
    dependency:build-classpath -Dmdep.outputFile="$DEPS" -Dmdep.includeScope=runtime \
    -Dmdep.excludeGroupIds=dev.knobflow >&2
fi
# A copy of the classes as jars, so a rebuild while this (long) run goes on does not change what it
# runs; jars, not folders, because an AppCDS archive accepts only jars on the class path.
CP=""
mkdir -p "$WORK/cp"
for d in "$ROOT"/*/target/classes; do
  m="$(basename "$(dirname "$(dirname "$d")")")"
  jar cf "$WORK/cp/$m.jar" -C "$d" .
  CP="$CP$WORK/cp/$m.jar:"
done
# Only the jars of the list: in a reactor build it also names the modules' target/classes and
# target/test-classes folders (copied as jars above), and a folder on the class path makes the JVM
# refuse to write the workers' AppCDS archive ("non-empty directory").
CP="$CP$(tr ':' '\n' <"$DEPS" | grep '\.jar$' | paste -sd: -)"
mkdir -p "$WORK/classes"
javac -d "$WORK/classes" -cp "$CP" "$HERE/ScaleDbBench.java"
jar cf "$WORK/cp/bench.jar" -C "$WORK/classes" .
KF=(java -Xmx1g -cp "$WORK/cp/bench.jar:$CP" dev.knobflow.bench.scaledb.ScaleDbBench)

if [ "$OPTUNA" = 1 ]; then
  source "$ROOT/bench/lib/optuna-venv.sh"
  if ! "$OPTUNA_PY" -c 'import psycopg2' 2>/dev/null; then
    echo "bench: installing psycopg2-binary into the Optuna venv" >&2
    "$OPTUNA_PY" -m pip install -q --disable-pip-version-check psycopg2-binary==2.9.10 >&2
  fi
fi

# --- the server ---------------------------------------------------------------------------------
PG_BIN="${KNOBFLOW_PG_BIN:-}"
if [ -z "$PG_BIN" ]; then
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
fi
[ -x "$PG_BIN/postgres" ] || { echo "run.sh: no PostgreSQL binaries (apt-get install -y postgresql, or set KNOBFLOW_PG_BIN)" >&2; exit 1; }
AS_SERVER=()
if [ "$(id -u)" = 0 ]; then
  AS_SERVER=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
  chown nobody:nogroup "$WORK"
fi
export PGPASSWORD="scale-db-$RANDOM$RANDOM"
PGUSER=knobflow
printf '%s\n' "$PGPASSWORD" >"$WORK/pwfile"
chmod 644 "$WORK/pwfile"
"${AS_SERVER[@]}" "$PG_BIN/initdb" -D "$WORK/data" -U "$PGUSER" --pwfile="$WORK/pwfile" \
  --auth=scram-sha-256 -E UTF8 --locale=C >"$WORK/initdb.log" 2>&1
rm -f "$WORK/pwfile"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"${AS_SERVER[@]}" "$PG_BIN/postgres" -D "$WORK/data" -p "$PORT" -c listen_addresses=127.0.0.1 \
  -c unix_socket_directories="$WORK" -c max_connections=500 \
  -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.max=5000 \
  -c pg_stat_statements.track_utility=on >"$WORK/server.log" 2>&1 &
PG_PID=$!
PSQL=(psql -X -q -t -A -h 127.0.0.1 -p "$PORT" -U "$PGUSER" -v ON_ERROR_STOP=1)
for _ in $(seq 300); do
  "${PSQL[@]}" -d postgres -c 'select 1' >/dev/null 2>&1 && break
  kill -0 "$PG_PID" 2>/dev/null || { echo "postgres exited:" >&2; tail -20 "$WORK/server.log" >&2; exit 1; }
  sleep 0.2
done
"${PSQL[@]}" -d postgres -c 'CREATE EXTENSION pg_stat_statements' >/dev/null
PG_VERSION="$("${PSQL[@]}" -d postgres -c 'show server_version')"

# CPU seconds (user + system) of the server: the postmaster, its reaped children, its live children.
server_cpu() {
  python3 - "$PG_PID" <<'PY'
import os, sys
root, ticks = int(sys.argv[1]), os.sysconf("SC_CLK_TCK")
def stat(pid):
    return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
f = stat(root)
total = int(f[11]) + int(f[12]) + int(f[13]) + int(f[14])  # utime stime cutime cstime
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        g = stat(pid)
    except OSError:
        continue
    if int(g[1]) == root:  # ppid
        total += int(g[11]) + int(g[12])
print(total / ticks)
PY
}

db_counters() { # db -> "statements exec_ms xacts rows"
  "${PSQL[@]}" -d postgres -F ' ' -c "
    SELECT coalesce(sum(s.calls), 0), round(coalesce(sum(s.total_exec_time), 0)::numeric, 3),
           (SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '$1'),
           coalesce(sum(s.rows), 0)
    FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '$1'"
}

# The worker JVMs' AppCDS archive (JDK 13+ dynamic archive): one worker runs 3 trials in a scratch
# database and writes the classes it loaded at exit; the measured workers map them instead of
# parsing and verifying them again. Same JDK and same classpath, or the JVM ignores the archive
# (with a warning, never a wrong class).
WORKER_OPTS_ALL="$WORKER_OPTS"
if [ "$CDS" = 1 ] && [ -n "$PROCESS_WORKERS" ]; then
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE cds_training" >/dev/null
  "${KF[@]}" processes "postgresql://$PGUSER@127.0.0.1:$PORT/cds_training" cds 1 3 1 "$HEAP" \
    "$WORKER_OPTS -XX:ArchiveClassesAtExit=$WORK/worker.jsa" >"$WORK/cds.out" 2>"$WORK/cds.err" || true
  if [ -s "$WORK/worker.jsa" ]; then
    WORKER_OPTS_ALL="$WORKER_OPTS -XX:SharedArchiveFile=$WORK/worker.jsa"
    echo "worker AppCDS archive: $(du -k "$WORK/worker.jsa" | cut -f1) KiB" >&2
  else
    # Stop rather than measure process runs that would pass for runs with the archive.
    echo "run.sh: the AppCDS archive was not written (see $WORK/cds.err); fix that, or rerun with --no-cds to measure without it" >&2
    exit 1
  fi
fi

RESULTS="$WORK/results.jsonl"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
MACHINE="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/^Mem:/ {print $2}') GB"
echo "machine: $MACHINE; load $LOAD_BEFORE" >&2
echo "PostgreSQL $PG_VERSION on 127.0.0.1:$PORT; Knobflow pool $POOL (threads), $PROCESS_POOL per process; threads W: $WORKERS; processes W: $PROCESS_WORKERS" >&2

# prepare TOOL MODE W: its own database (Knobflow's tables created outside the measured window).
prepare() {
  local tool="$1" db="$1_$2_w$3"
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE $db" >/dev/null
  if [ "$tool" = knobflow ]; then
    "${KF[@]}" verify "postgresql://$PGUSER@127.0.0.1:$PORT/$db" none 0 >/dev/null 2>&1 || true
  fi
}

# launch TOOL MODE W: the measured run; its last output line goes to $WORK/DB.out.
launch() {
  local tool="$1" mode="$2" w="$3" n db
  n="$(trials_for "$w")"
  db="${tool}_${mode}_w${w}"
  if [ "$tool" = knobflow ]; then
    local extra=("$POOL")
    [ "$mode" = processes ] && extra=("$PROCESS_POOL" "$HEAP" "$WORKER_OPTS_ALL")
    "${KF[@]}" "$mode" "postgresql://$PGUSER@127.0.0.1:$PORT/$db" scale "$w" "$n" \
      "${extra[@]}" 2>"$WORK/$db.err" | tail -1 >"$WORK/$db.out" || true
  else
    "$OPTUNA_PY" "$HERE/optuna_scale_db.py" "$mode" \
      "postgresql+psycopg2://$PGUSER@127.0.0.1:$PORT/$db" scale "$w" "$n" 2>"$WORK/$db.err" \
      | tail -1 >"$WORK/$db.out" || true
  fi
}

# run TOOL MODE W: one measured run in its own database; appends one JSON line to $RESULTS.
run() {
  local tool="$1" mode="$2" w="$3" cpu0 cpu1 before load
  prepare "$tool" "$mode" "$w"
  "${PSQL[@]}" -d postgres -c "SELECT pg_stat_statements_reset()" >/dev/null
  sleep 1
  cpu0="$(server_cpu)"
  before="$(db_counters "${tool}_${mode}_w${w}")"
  launch "$tool" "$mode" "$w"
  load="$(cut -d' ' -f1 /proc/loadavg)"
  sleep 1 # idle backends report their transaction counters within a second of going idle
  cpu1="$(server_cpu)"
  finish "$tool" "$mode" "$w" "$before" "$cpu0" "$cpu1" "$load"
}

# run_pair MODE W: Knobflow and Optuna at the same time, each in its own database; the server's
# CPU time is shared by the two, so it is recorded as db_cpu_shared_s, not per tool.
run_pair() {
  local mode="$1" w="$2" cpu0 cpu1 bk bo load
  prepare knobflow "$mode" "$w"
  prepare optuna "$mode" "$w"
  "${PSQL[@]}" -d postgres -c "SELECT pg_stat_statements_reset()" >/dev/null
  sleep 1
  cpu0="$(server_cpu)"
  bk="$(db_counters "knobflow_${mode}_w${w}")"
  bo="$(db_counters "optuna_${mode}_w${w}")"
  launch knobflow "$mode" "$w" &
  local kpid=$!
  launch optuna "$mode" "$w" &
  local opid=$!
  wait "$kpid" "$opid" || true
  load="$(cut -d' ' -f1 /proc/loadavg)"
  sleep 1
  cpu1="$(server_cpu)"
  finish knobflow "$mode" "$w" "$bk" "$cpu0" "$cpu1" "$load" shared
  finish optuna "$mode" "$w" "$bo" "$cpu0" "$cpu1" "$load" shared
}

# finish TOOL MODE W BEFORE CPU0 CPU1 LOAD [shared]: the counters, the check, one JSON line.
finish() {
  local tool="$1" mode="$2" w="$3" before="$4" cpu0="$5" cpu1="$6" load="$7" shared="${8:-}"
  local n db out verify stats
  n="$(trials_for "$w")"
  db="${tool}_${mode}_w${w}"
  out="$(cat "$WORK/$db.out" 2>/dev/null || true)"
  stats="$(db_counters "$db")"
  "${PSQL[@]}" -d postgres -c "
    SELECT s.calls, round(s.total_exec_time::numeric, 1), left(regexp_replace(s.query, '\s+', ' ', 'g'), 160)
    FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
    WHERE d.datname = '$db' ORDER BY s.total_exec_time DESC" >"$WORK/$db.statements.txt"
  if [ "$tool" = knobflow ]; then
    verify="$("${KF[@]}" verify "postgresql://$PGUSER@127.0.0.1:$PORT/$db" scale "$n" 2>>"$WORK/$db.err" | tail -1)" || true
  else
    verify="$("$OPTUNA_PY" "$HERE/optuna_scale_db.py" verify \
      "postgresql+psycopg2://$PGUSER@127.0.0.1:$PORT/$db" scale "$n" 2>>"$WORK/$db.err" | tail -1)" || true
  fi
  python3 - "$out" "$verify" "$before" "$stats" "$cpu0" "$cpu1" "$load" "$tool" "$mode" "$w" "$n" "$shared" >>"$RESULTS" <<'PY'
import json, sys
out, verify, before, after, cpu0, cpu1, load, tool, mode, w, n, shared = sys.argv[1:]
try:
    r = json.loads(out)
except ValueError:
    r = {"tool": tool, "mode": mode, "workers": int(w), "trials": int(n), "error": out or "no output"}
try:
    r["verify"] = json.loads(verify)
except ValueError:
    r["verify"] = {"ok": False, "error": verify or "verify printed nothing"}
b = [float(x or 0) for x in before.split()]
a = [float(x or 0) for x in after.split()]
r["db_statements"] = int(a[0] - b[0])
r["db_exec_ms"] = round(a[1] - b[1], 3)
r["db_transactions"] = int(a[2] - b[2])
r["db_rows"] = int(a[3] - b[3])
if shared:
    r["db_cpu_s"] = None
    r["db_cpu_shared_s"] = round(float(cpu1) - float(cpu0), 3)
    r["side_by_side"] = True
else:
    r["db_cpu_s"] = round(float(cpu1) - float(cpu0), 3)
r["load1_after"] = float(load)
print(json.dumps(r))
PY
  tail -1 "$RESULTS" >&2
}

measure() { # MODE W
  if [ "$SIDE_BY_SIDE" = 1 ] && [ "$OPTUNA" = 1 ]; then
    run_pair "$1" "$2"
  else
    run knobflow "$1" "$2"
    if [ "$OPTUNA" = 1 ]; then run optuna "$1" "$2"; fi
  fi
}
for W in $WORKERS; do measure threads "$W"; done
for W in $PROCESS_WORKERS; do measure processes "$W"; done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

mkdir -p "$ROOT/bench/results"
cp "$RESULTS" "$ROOT/bench/results/$OUT.jsonl"
python3 "$HERE/summarize.py" "${MERGE[@]}" "$RESULTS" --machine "$MACHINE" --postgres "$PG_VERSION" \
  --load "$LOAD_BEFORE -> $LOAD_AFTER" --pool "$POOL (threads runs), $PROCESS_POOL per process (process runs)" \
  --worker-opts "-Xmx$HEAP $WORKER_OPTS_ALL" | tee "$ROOT/bench/results/$OUT.md"
