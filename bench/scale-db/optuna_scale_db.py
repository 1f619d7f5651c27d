"""The peer side of bench/scale-db: Optuna 5.0.0's RDBStorage on the same PostgreSQL.

Measured the same way as ScaleDbBench.java: W workers on one study, each trial is ask (with the
two-float space given to ask, so the parameters are suggested inside it), a 1 s sleep, tell; ask
and tell are timed around the API calls. Random sampler.

  threads URL STUDY W TRIALS        W threads in this process share one Study
  processes URL STUDY W TRIALS      W child processes (mode worker); the clock starts when all
                                    have connected and said ready
  worker URL STUDY N                one child: prints ready, waits for a line on stdin, runs N
  verify URL STUDY TRIALS           one JSON line: exactly TRIALS COMPLETE trials numbered 0..TRIALS-1

URL is an SQLAlchemy URL (postgresql+psycopg2://user@host:port/db; the password from PGPASSWORD).
Parent modes print one JSON line, as ScaleDbBench.java does.
"""
import json
import math
import subprocess
import sys
import threading
import time

import optuna
from optuna.distributions import FloatDistribution
from optuna.storages import RDBStorage

optuna.logging.set_verbosity(optuna.logging.WARNING)

SPACE = {"x": FloatDistribution(-5, 5), "y": FloatDistribution(-5, 5)}
OBJECTIVE_S = 1.0


def study(url, name):
    return optuna.create_study(
        study_name=name, storage=RDBStorage(url), direction="minimize",
        sampler=optuna.samplers.RandomSampler(), load_if_exists=True,
    )


def trial(s, asks, tells):
    t0 = time.perf_counter()
    t = s.ask(SPACE)
    t1 = time.perf_counter()
    x, y = t.params["x"], t.params["y"]
    time.sleep(OBJECTIVE_S)
    t2 = time.perf_counter()
    s.tell(t, (x - 1) ** 2 + (y + 2) ** 2)
    t3 = time.perf_counter()
    asks.append(t1 - t0)
    tells.append(t3 - t2)


def percentile(values, q):
    if not values:
        return float("nan")
    v = sorted(values)
    return v[max(0, min(len(v) - 1, math.ceil(q * len(v)) - 1))] * 1000


def verify(url, name, expected):
    trials = optuna.load_study(study_name=name, storage=RDBStorage(url)).get_trials(deepcopy=False)
    numbers = {t.number for t in trials if t.state == optuna.trial.TrialState.COMPLETE}
    complete = sum(t.state == optuna.trial.TrialState.COMPLETE for t in trials)
    dense = numbers == set(range(expected))
    return {"trials": len(trials), "complete": complete, "numbers_0_to_n_minus_1": dense,
            "ok": dense and complete == expected and len(trials) == expected}


def report(mode, w, n, wall, asks, tells, failed):
    print(json.dumps({
        "tool": "optuna", "version": optuna.__version__, "mode": mode, "workers": w,
        "trials": n, "wall_s": round(wall, 3), "trials_per_s": round(n / wall, 3),
        "ask_p50_ms": round(percentile(asks, 0.5), 2), "ask_p99_ms": round(percentile(asks, 0.99), 2),
        "tell_p50_ms": round(percentile(tells, 0.5), 2),
        "tell_p99_ms": round(percentile(tells, 0.99), 2),
        "failed_workers": failed,
    }), flush=True)


def threads(url, name, w, n):
    s = study(url, name)
    left = [n]
    lock = threading.Lock()
    asks, tells, errors = [], [], []

    def loop():
        a, b = [], []
        try:
            while True:
                with lock:
                    if left[0] <= 0:
                        break
                    left[0] -= 1
                trial(s, a, b)
        except Exception as e:  # noqa: BLE001 - counted and printed below
            errors.append(e)
        with lock:
            asks.extend(a)
            tells.extend(b)

    workers = [threading.Thread(target=loop) for _ in range(w)]
    start = time.perf_counter()
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    wall = time.perf_counter() - start
    if errors:
        print(f"optuna threads: {len(errors)} worker(s) failed: {errors[0]!r}", file=sys.stderr)
    report("threads", w, n, wall, asks, tells, len(errors))


def processes(url, name, w, n):
    study(url, name)
    children = []
    for i in range(w):
        k = n // w + (1 if i < n % w else 0)
        children.append(subprocess.Popen(
            [sys.executable, __file__, "worker", url, name, str(k)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
    for c in children:
        line = c.stdout.readline().strip()
        if line != "ready":
            raise SystemExit(f"a worker did not start: {line!r}")
    start = time.perf_counter()
    for c in children:
        c.stdin.write("go\n")
        c.stdin.flush()
    asks, tells, failed = [], [], 0
    for c in children:
        out = c.stdout.readline()
        if c.wait() != 0 or not out:
            failed += 1
            continue
        r = json.loads(out)
        asks += r["asks"]
        tells += r["tells"]
    wall = time.perf_counter() - start
    report("processes", w, n, wall, asks, tells, failed)


def worker(url, name, n):
    s = study(url, name)
    print("ready", flush=True)
    sys.stdin.readline()
    asks, tells = [], []
    for _ in range(n):
        trial(s, asks, tells)
    print(json.dumps({"asks": asks, "tells": tells}), flush=True)


def main():
    mode, url, name = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode == "threads":
        threads(url, name, int(sys.argv[4]), int(sys.argv[5]))
    elif mode == "processes":
        processes(url, name, int(sys.argv[4]), int(sys.argv[5]))
    elif mode == "verify":
        print(json.dumps(verify(url, name, int(sys.argv[4]))))
    elif mode == "worker":
        worker(url, name, int(sys.argv[4]))
    else:
        sys.exit(f"unknown mode {mode!r}; allowed: threads, processes, worker, verify")


if __name__ == "__main__":
    main()
