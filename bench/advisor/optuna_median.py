"""The peer of Scale.java: Optuna 5.0.0's MedianPruner, CPU time per report.

With N completed trials of 50 to 100 steps each (in-memory storage, added with their intermediate
values), running trials report step by step and ask trial.should_prune() (MedianPruner with
n_startup_trials=5, n_warmup_steps=5) at every report, as an objective does. Prints one line per
N: "N reports us_per_report pruned_reports". Usage: python optuna_median.py [PROBES] [SIZES...]
"""

import math
import random
import sys
import time

import optuna
from optuna.distributions import FloatDistribution

optuna.logging.set_verbosity(optuna.logging.WARNING)


def curve(rnd):
    n = 50 + rnd.randrange(51)
    start = 0.5 + rnd.random()
    rate = 0.005 + 0.1 * rnd.random()
    shape = rnd.randrange(3)
    out = []
    for i in range(n):
        base = start * math.exp(-rate * i) + 0.05
        if shape == 0:
            v = base
        elif shape == 1:
            v = start * (1 - 0.003 * i)
        else:
            v = base * (1 + 0.2 * math.sin(i * 1.3))
        out.append(v * (1 + 0.02 * rnd.gauss(0, 1)))
    return out


def run(n, probes):
    rnd = random.Random(42)
    study = optuna.create_study(
        pruner=optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=5)
    )
    dist = {"x": FloatDistribution(0, 1)}
    trials = []
    for _ in range(n):
        c = curve(rnd)
        trials.append(
            optuna.trial.create_trial(
                params={"x": 0.5},
                distributions=dist,
                value=c[-1],
                intermediate_values={k: v for k, v in enumerate(c)},
            )
        )
    study.add_trials(trials)
    running = [curve(rnd) for _ in range(probes)]
    reports = 0
    pruned = 0
    cpu = 0.0
    for c in running:
        trial = study.ask({"x": dist["x"]})
        for k, v in enumerate(c):
            t0 = time.process_time()
            trial.report(v, k)
            p = trial.should_prune()
            cpu += time.process_time() - t0
            reports += 1
            pruned += 1 if p else 0
        study.tell(trial, state=optuna.trial.TrialState.FAIL)
    return reports, cpu, pruned


def main():
    probes = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    sizes = [int(a) for a in sys.argv[2:]] or [100, 1000, 10000]
    run(100, 5)  # warm-up
    for n in sizes:
        reports, cpu, pruned = run(n, probes)
        print(f"{n} {reports} {1e6 * cpu / reports:.1f} {pruned}", flush=True)


if __name__ == "__main__":
    main()
