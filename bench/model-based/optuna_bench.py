"""Optuna side of the model-based benchmark: same problems as BenchProblems.java.

Writes one JSON line per run (problem, sampler, seed, every trial's values, sampler ms per trial)
to the output file; scoring is done by the Java report so one hypervolume code scores all runs.

Usage: optuna_bench.py OUT SEEDS MO_TRIALS SO_TRIALS [problems] [samplers] [startup.json]

With startup.json (from startup_design.py), each run first enqueues that problem's and seed's
shared start-up points, and the rows are marked "startup": "shared".
"""

import json
import math
import sys
import time

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)


def zdt(x, concave):
    n = len(x)
    f1 = x[0]
    g = 1 + 9 * sum(x[1:]) / (n - 1)
    r = f1 / g
    h = 1 - r * r if concave else 1 - math.sqrt(r)
    return [f1, g * h]


def dtlz2(x):
    g = sum((xi - 0.5) ** 2 for xi in x[2:])
    a = x[0] * math.pi / 2
    b = x[1] * math.pi / 2
    return [(1 + g) * math.cos(a) * math.cos(b), (1 + g) * math.cos(a) * math.sin(b), (1 + g) * math.sin(a)]


def branin(x):
    b = 5.1 / (4 * math.pi ** 2)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    y = x[1] - b * x[0] ** 2 + c * x[0] - 6
    return [y * y + 10 * (1 - t) * math.cos(x[0]) + 10]


ALPHA = [1.0, 1.2, 3.0, 3.2]
A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
     [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]


def hartmann6(x):
    s = 0.0
    for i in range(4):
        inner = sum(A[i][j] * (x[j] - P[i][j]) ** 2 for j in range(6))
        s += ALPHA[i] * math.exp(-inner)
    return [-s]


def rosenbrock(x):
    return [sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))]


PROBLEMS = {
    "zdt1": ([0.0] * 6, [1.0] * 6, 2, lambda x: zdt(x, False)),
    "zdt2": ([0.0] * 6, [1.0] * 6, 2, lambda x: zdt(x, True)),
    "dtlz2": ([0.0] * 6, [1.0] * 6, 3, dtlz2),
    "branin": ([-5.0, 0.0], [10.0, 15.0], 1, branin),
    "hartmann6": ([0.0] * 6, [1.0] * 6, 1, hartmann6),
    "rosenbrock10": ([-5.0] * 10, [10.0] * 10, 1, rosenbrock),
}


def make_sampler(name, seed):
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed)
    if name == "gp":
        return optuna.samplers.GPSampler(seed=seed)
    raise ValueError(name)


def run(problem, sampler_name, seed, n, startup=None):
    low, high, m, fn = PROBLEMS[problem]
    study = optuna.create_study(directions=["minimize"] * m, sampler=make_sampler(sampler_name, seed))
    for point in startup or []:
        study.enqueue_trial({f"x{i}": v for i, v in enumerate(point)})
    dists = {f"x{i}": optuna.distributions.FloatDistribution(low[i], high[i]) for i in range(len(low))}
    sampler_seconds = 0.0
    for _ in range(n):
        start = time.perf_counter()
        trial = study.ask(dists)
        sampler_seconds += time.perf_counter() - start
        x = [trial.params[f"x{i}"] for i in range(len(low))]
        study.tell(trial, fn(x))
    values = [t.values for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    row = {"side": "optuna", "sampler": sampler_name, "problem": problem, "seed": seed, "trials": n,
           "ms_per_trial": sampler_seconds * 1000 / n, "values": values}
    if startup:
        row["startup"] = "shared"
    return row


def main():
    out, seeds, mo_trials, so_trials = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    problems = (sys.argv[5] if len(sys.argv) > 5 else ",".join(PROBLEMS)).split(",")
    samplers = (sys.argv[6] if len(sys.argv) > 6 else "tpe,gp").split(",")
    design = {}
    if len(sys.argv) > 7:
        with open(sys.argv[7]) as f:
            design = json.load(f)
    with open(out, "a") as f:
        for problem in PROBLEMS:
            if problem not in problems:
                continue
            n = mo_trials if PROBLEMS[problem][2] > 1 else so_trials
            for sampler in samplers:
                for seed in range(seeds):
                    try:
                        row = run(problem, sampler, seed, n, design.get(problem, {}).get(str(seed)))
                    except ImportError as e:  # GPSampler needs torch
                        print(f"optuna {sampler} {problem}: skipped ({e})", file=sys.stderr)
                        break
                    f.write(json.dumps(row) + "\n")
                    f.flush()
                    print(f"optuna   {sampler:8s} {problem:12s} seed {seed}: {row['ms_per_trial']:.1f} ms/trial",
                          file=sys.stderr)


if __name__ == "__main__":
    main()
