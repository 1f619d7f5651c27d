"""The Optuna half of run.sh: Optuna's NSGAIISampler, TPESampler and RandomSampler on ZDT1, ZDT2
and DTLZ2 (6 variables in [0, 1], minimised), one JSON line per run with the final objective
vectors and the time spent inside the sampler per trial."""

import argparse
import json
import math
import sys
import time

import optuna

VARIABLES = 6


def zdt(x, concave):
    g = 1 + 9 * sum(x[1:]) / (len(x) - 1)
    r = x[0] / g
    return [x[0], g * (1 - (r * r if concave else math.sqrt(r)))]


def dtlz2(x):
    g = sum((xi - 0.5) ** 2 for xi in x[2:])
    a, b = x[0] * math.pi / 2, x[1] * math.pi / 2
    return [
        (1 + g) * math.cos(a) * math.cos(b),
        (1 + g) * math.cos(a) * math.sin(b),
        (1 + g) * math.sin(a),
    ]


PROBLEMS = {
    "zdt1": (2, lambda x: zdt(x, False)),
    "zdt2": (2, lambda x: zdt(x, True)),
    "dtlz2": (3, dtlz2),
}

SAMPLERS = {
    "nsga2": lambda seed: optuna.samplers.NSGAIISampler(population_size=50, seed=seed),
    "tpe": lambda seed: optuna.samplers.TPESampler(seed=seed),
    "random": lambda seed: optuna.samplers.RandomSampler(seed=seed),
}

TIMED = (
    "infer_relative_search_space",
    "sample_relative",
    "sample_independent",
    "before_trial",
    "after_trial",
)


def timed(sampler):
    """Wraps the sampler's hooks so the time spent inside them adds up in sampler._kf_seconds."""
    sampler._kf_seconds = 0.0
    for name in TIMED:
        original = getattr(sampler, name)

        def wrapper(*args, _original=original, **kwargs):
            start = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                sampler._kf_seconds += time.perf_counter() - start

        setattr(sampler, name, wrapper)
    return sampler


def run(problem, sampler_name, budget, seed):
    m, f = PROBLEMS[problem]
    sampler = timed(SAMPLERS[sampler_name](seed))
    study = optuna.create_study(directions=["minimize"] * m, sampler=sampler)

    def objective(trial):
        x = [trial.suggest_float(f"x{i}", 0.0, 1.0) for i in range(VARIABLES)]
        return f(x)

    study.optimize(objective, n_trials=budget)
    points = [
        list(t.values)
        for t in study.get_trials(deepcopy=False, states=[optuna.trial.TrialState.COMPLETE])
    ]
    return points, sampler._kf_seconds * 1000 / budget


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seeds", type=int, default=10)
    p.add_argument("--tpe-seeds-at-1000", type=int, default=None)
    p.add_argument("--budgets", default="200,1000")
    p.add_argument("--out", required=True)
    args = p.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    budgets = [int(b) for b in args.budgets.split(",")]
    with open(args.out, "w") as out:
        for problem in PROBLEMS:
            for budget in budgets:
                for sampler_name in SAMPLERS:
                    seeds = args.seeds
                    if sampler_name == "tpe" and budget >= 1000 and args.tpe_seeds_at_1000 is not None:
                        seeds = min(seeds, args.tpe_seeds_at_1000)
                    for seed in range(seeds):
                        points, ms = run(problem, sampler_name, budget, seed)
                        row = {
                            "impl": "optuna",
                            "sampler": sampler_name,
                            "problem": problem,
                            "budget": budget,
                            "seed": seed,
                            "sampler_ms_per_trial": ms,
                            "points": points,
                        }
                        out.write(json.dumps(row) + "\n")
                        out.flush()
                        print(
                            f"optuna   {sampler_name:6s} {problem:5s} {budget:5d} seed {seed}: "
                            f"{ms:.3f} ms/trial",
                            file=sys.stderr,
                        )


if __name__ == "__main__":
    main()
