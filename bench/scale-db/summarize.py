"""Prints bench/scale-db's table (Markdown) and the capacity model from its JSON lines.

Usage: summarize.py RESULTS.jsonl [MORE.jsonl ...] [--machine TEXT] [--postgres VERSION]
                    [--load TEXT] [--pool P] [--worker-opts TEXT] [--cores N]

trials/s is end to end: all N trials from the start signal to the last tell (for processes, after
every worker JVM has started and loaded the study). "steady trials/s" is a separate figure: the
tells per second between the moment every worker has finished its first trial and the moment the
first worker has finished its last (start-up round and tail left out). The worker-CPU table (process
runs) gives each worker JVM's start-up CPU (launch to ready), its first trial's CPU and its CPU per
trial after that, and the CPU budget: the cores that 0.9 x W trials/s would need at those costs plus
the server's measured CPU per trial, against the machine's cores.

Several result files are read as one (e.g. the long W = 1 run, made side by side in its own
invocation, next to the other W). Rows from a side-by-side run have no DB CPU per trial (the two
tools shared the server's CPU at the same time); the model is fitted without them.

The capacity model: the database's cost of one trial is its server CPU time per trial (the
postmaster and all its backends, from /proc), fitted as the trial-weighted mean over Knobflow's
thread runs with W <= 64. One PostgreSQL core then coordinates 1 / c trials/s; K cores at a
planning utilisation of 70 % coordinate 0.7 K / c. W workers whose trials take T seconds ask for
W / (T + o) trials/s (o: the measured ask + tell time of a trial), so one server serves up to
0.7 K / c x (T + o) workers. The check: the model, fitted without them, predicts the W = 128
thread run and the process runs (their database CPU, c per trial, and their trials/s,
W / (1 s + o) with o of the fitted run of the nearest W); the table below the model compares
prediction and measurement.
"""
import argparse
import json
import os
import re

PLAN_UTILISATION = 0.7
FIT_MAX_W = 64


def load(path):
    return [json.loads(line) for line in open(path) if line.strip()]


def cpu_per_trial(r):
    if r.get("db_cpu_s") is None:
        shared = r.get("db_cpu_shared_s")
        return "shared" if shared is None else f"({1000 * shared / r['trials']:.2f} both tools)"
    return f"{1000 * r['db_cpu_s'] / r['trials']:.2f}"


def fmt(v, digits=1):
    if v is None:
        return "-"
    return f"{v:.{digits}f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results", nargs="+")
    ap.add_argument("--machine", default="?")
    ap.add_argument("--postgres", default="?")
    ap.add_argument("--load", default="?")
    ap.add_argument("--pool", default="16 (threads runs), 4 per process (process runs)")
    ap.add_argument("--worker-opts", default=None,
                    help="default: the options the process rows recorded")
    ap.add_argument("--cores", type=int, default=os.cpu_count())
    a = ap.parse_args()
    rows = [r for path in a.results for r in load(path)]
    ok_rows = [r for r in rows if "trials_per_s" in r]
    if a.worker_opts is None:
        # Each invocation dumps its archive into its own scratch folder: name it, not the path.
        recorded = sorted({re.sub(r"-XX:SharedArchiveFile=\S+", "+ AppCDS archive",
                                  r["worker_jvm_options"])
                           for r in ok_rows if r.get("worker_jvm_options")})
        a.worker_opts = "; ".join(recorded) if recorded else "none recorded"
    # Speed-up against W = 1 of the same tool and mode (threads' W = 1 where a mode has none).
    base = {}
    for r in ok_rows:
        if r["workers"] == 1:
            base[(r["tool"], r["mode"])] = r["trials_per_s"]
    for r in ok_rows:
        if r["workers"] == 1 and r["mode"] == "threads":
            base.setdefault((r["tool"], "processes"), r["trials_per_s"])

    print("# Scale on one PostgreSQL (bench/scale-db)\n")
    print(f"Machine: {a.machine}; load average (1, 5, 15 min) before -> after: {a.load}. "
          f"PostgreSQL {a.postgres} on loopback, fsync on. Objective: 1 s sleep, random sampler, "
          f"two floats. Knobflow: PostgreSQL storage, pool of {a.pool} connections. "
          "Optuna 5.0.0: RDBStorage (SQLAlchemy defaults) with psycopg2. "
          f"Knobflow's worker JVMs (process runs): {a.worker_opts}.\n")
    print("trials/s: end to end (all trials, start signal to last tell); steady trials/s: a "
          "separate figure, after every worker has finished its first trial and before the "
          "first has finished its last (Knobflow only).\n")
    print("| tool | mode | W | trials | trials/s | / W | steady trials/s (/ W) | speed-up vs W=1 "
          "| ask p99 ms | tell p99 ms "
          "| statements/trial | DB exec ms/trial | transactions/trial | DB CPU ms/trial "
          "| client CPU ms/trial | check |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        if "trials_per_s" not in r:
            print(f"| {r['tool']} | {r['mode']} | {r['workers']} | {r['trials']} | failed: "
                  f"{str(r.get('error'))[:80]} | | | | | | | | | | | |")
            continue
        n = r["trials"]
        tps = r["trials_per_s"]
        key = (r["tool"], r["mode"])
        speed = tps / base[key] if key in base else None
        check = "ok" if r["verify"].get("ok") and not r.get("failed_workers") else (
            f"FAILED {r['verify']}, failed workers {r.get('failed_workers')}")
        steady = r.get("steady_trials_per_s")
        steady_txt = "-" if steady is None else f"{steady:.2f} ({steady / r['workers']:.3f})"
        print(f"| {r['tool']} | {r['mode']} | {r['workers']} | {n} | {tps:.2f} | "
              f"{tps / r['workers']:.3f} | {steady_txt} | {fmt(speed)} | {fmt(r['ask_p99_ms'])} | "
              f"{fmt(r['tell_p99_ms'])} | {r['db_statements'] / n:.1f} | "
              f"{r['db_exec_ms'] / n:.3f} | {r['db_transactions'] / n:.1f} | "
              f"{cpu_per_trial(r)} | {fmt(r.get('client_cpu_ms_per_trial'))} | {check} |")

    # Ratios, Knobflow / Optuna, for each (mode, W) both ran.
    by = {(r["tool"], r["mode"], r["workers"]): r for r in ok_rows}
    pairs = sorted({(m, w) for (_, m, w) in by}, key=lambda p: (p[0] != "threads", p[1]))
    print("\n**Knobflow / Optuna** (same mode, same W):\n")
    print("| mode | W | throughput ratio | ask p99 ratio (Optuna/Knobflow) "
          "| tell p99 ratio (Optuna/Knobflow) | DB CPU per trial ratio (Optuna/Knobflow) |")
    print("|---|---:|---:|---:|---:|---:|")
    for m, w in pairs:
        k, o = by.get(("knobflow", m, w)), by.get(("optuna", m, w))
        if not k or not o:
            continue
        print(f"| {m} | {w} | {k['trials_per_s'] / o['trials_per_s']:.2f}x | "
              f"{o['ask_p99_ms'] / k['ask_p99_ms']:.1f}x | {o['tell_p99_ms'] / k['tell_p99_ms']:.1f}x | "
              f"{cpu_ratio(k, o)} |")

    print("\n**Targets:**\n")
    for mode in ("threads", "processes"):
        for w in (8, 32, 64):
            k = by.get(("knobflow", mode, w))
            if k:
                e = k["trials_per_s"] / w
                steady = k.get("steady_trials_per_s")
                extra = "" if steady is None else (
                    f"; steady state (a separate figure) {steady:.1f} = {steady / w:.3f} x W")
                print(f"- Knobflow {mode} W={w}: {k['trials_per_s']:.1f} trials/s = {e:.3f} x W "
                      f"end to end (target >= 0.9 x W): {'met' if e >= 0.9 else 'MISSED'}{extra}")
    for mode in ("threads", "processes"):
        k, o = by.get(("knobflow", mode, 64)), by.get(("optuna", mode, 64))
        if k and o:
            ratio = k["trials_per_s"] / o["trials_per_s"]
            print(f"- W=64 {mode}: Knobflow / Optuna throughput {ratio:.2f}x (target >= 2x): "
                  f"{'met' if ratio >= 2 else 'MISSED'}")

    worker_cpu(ok_rows, a.cores)
    model(ok_rows)


def worker_cpu(rows, cores):
    procs = [r for r in rows if r["tool"] == "knobflow" and r["mode"] == "processes"
             and r.get("worker_steady_cpu_ms_per_trial") is not None]
    if not procs:
        return
    print("\n**Knobflow worker JVMs (process runs): CPU** (each worker's own, from "
          "/proc/self/stat: start-up = launch to ready, i.e. JVM, classes, connection pool and "
          "study load; then its first trial; then per trial after the first, the 1 s sleep "
          f"included, so idle JIT/GC/pool threads count). CPU budget on this machine's {cores} "
          "cores: at 0.9 x W trials/s, every trial costs a worker's steady CPU per trial plus the "
          "server's (DB CPU per trial of the same run):\n")
    print("| W | start-up wall s (first launch to last ready) | start-up CPU ms per worker "
          "| first trial CPU ms | steady CPU ms per trial | + DB CPU ms per trial "
          "| cores needed at 0.9 x W | most trials/s the cores allow (steady) "
          "| worker JVM options |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in procs:
        w = r["workers"]
        per = r["worker_steady_cpu_ms_per_trial"]
        db = 1000 * r["db_cpu_s"] / r["trials"] if r.get("db_cpu_s") is not None else 0.0
        need = 0.9 * w * (per + db) / 1000
        most = 1000 * cores / (per + db)
        print(f"| {w} | {fmt(r.get('startup_wall_s'))} | {fmt(r.get('worker_startup_cpu_ms'), 0)} "
              f"| {fmt(r.get('worker_first_trial_cpu_ms'), 0)} | {per:.1f} | {db:.1f} "
              f"| {need:.2f} of {cores} | {most:.0f} | {r.get('worker_jvm_options', '?')} |")


def cpu_ratio(k, o):
    if k.get("db_cpu_s") is None or o.get("db_cpu_s") is None:
        return "- (side by side)"
    return f"{(o['db_cpu_s'] / o['trials']) / max(k['db_cpu_s'] / k['trials'], 1e-9):.1f}x"


def model(rows):
    fit = [r for r in rows if r["tool"] == "knobflow" and r["mode"] == "threads"
           and r["workers"] <= FIT_MAX_W and r["verify"].get("ok") and r.get("db_cpu_s") is not None]
    if not fit:
        return
    trials = sum(r["trials"] for r in fit)
    c = sum(r["db_cpu_s"] for r in fit) / trials  # server CPU seconds per trial
    ex = sum(r["db_exec_ms"] for r in fit) / trials / 1000
    st = sum(r["db_statements"] for r in fit) / trials
    # o: ask + tell time per trial beyond the objective, from the fitted runs' wall time.
    o = sum(r["wall_s"] / -(-r["trials"] // r["workers"]) - 1.0 for r in fit) / len(fit)
    per_core = 1 / c
    print("\n## Capacity model (Knobflow on one PostgreSQL)\n")
    print(f"Fitted on Knobflow's thread runs with W <= {FIT_MAX_W} "
          f"({', '.join(str(r['workers']) for r in fit)}; {trials} trials): the server spends "
          f"c = {1000 * c:.2f} ms of CPU per trial ({st:.1f} statements, {1000 * ex:.2f} ms of "
          f"statement execution), and a worker spends o = {1000 * o:.0f} ms per trial in ask + "
          "tell (the wall time of a round beyond the 1 s objective).\n")
    print(f"- One PostgreSQL core coordinates 1 / c = **{per_core:.0f} trials/s**; a server with K "
          f"cores at {int(PLAN_UTILISATION * 100)} % utilisation {PLAN_UTILISATION * per_core:.0f}"
          " x K trials/s.")
    print("- Workers served (W = trials/s x (T + o)), per PostgreSQL core at "
          f"{int(PLAN_UTILISATION * 100)} %:\n")
    print("| trial length T | workers per core | workers, 4-core server | workers, 16-core server |")
    print("|---|---:|---:|---:|")
    for label, t in (("1 min", 60), ("10 min", 600), ("1 h", 3600)):
        w1 = PLAN_UTILISATION * per_core * (t + o)
        print(f"| {label} | {w1:,.0f} | {4 * w1:,.0f} | {16 * w1:,.0f} |")
    print("\n**Check on runs the model was not fitted on** (prediction: database CPU = c x trials, "
          "the model's premise that a trial's database cost does not grow with W; trials/s = "
          "W / (1 s + o) with o from the fitted run of the nearest W):\n")
    print("| run | trials/s predicted | measured | DB CPU s predicted | measured |")
    print("|---|---:|---:|---:|---:|")
    for r in rows:
        if r["tool"] != "knobflow" or r in fit or r.get("db_cpu_s") is None:
            continue
        rounds = -(-r["trials"] // r["workers"])  # the last round may be partial
        # o grows with W on a loaded client: take it from the fitted run with the nearest W.
        near = min(fit, key=lambda f: abs(f["workers"] - r["workers"]))
        o_near = near["wall_s"] / -(-near["trials"] // near["workers"]) - 1.0
        predicted_tps = r["trials"] / (rounds * (1.0 + o_near))
        print(f"| {r['mode']} W={r['workers']} | {predicted_tps:.1f} | {r['trials_per_s']:.1f} | "
              f"{c * r['trials']:.2f} | {r['db_cpu_s']:.2f} |")


if __name__ == "__main__":
    main()
