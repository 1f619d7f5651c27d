"""Optuna 5.0.0's CmaEsSampler on the problems of CmaEsBench.java (same definitions, same rotation).

Prints one CSV line per run: side, problem, seed, final regret, wall and process-CPU milliseconds of
sampling per trial (study.ask() only). On mixed20 it runs twice: Optuna's default (integers rounded)
and with_margin=True (CMA-ES with Margin, the cmaes library's CMAwM), as `optuna` and
`optuna-margin`.

Usage: python optuna_cmaes.py SEEDS TRIALS PROBLEMS (SEEDS: a count N for seeds 0..N-1, or a range
A-B for seeds A..B inclusive)
"""

import math
import sys
import time

import optuna

optuna.logging.set_verbosity(optuna.logging.ERROR)

ELLIPSOID_DIM = 20
MIXED_CONT = 10
MIXED_INT = 10
MASK = (1 << 64) - 1


def rotation(n):
    state = 2026
    q = []
    for _ in range(n):
        row = []
        for _ in range(n):
            state = (state * 6364136223846793005 + 1442695040888963407) & MASK
            row.append((state >> 11) * 2.0**-53 - 0.5)
        q.append(row)
    for i in range(n):
        for k in range(i):
            dot = sum(q[i][j] * q[k][j] for j in range(n))
            for j in range(n):
                q[i][j] -= dot * q[k][j]
        norm = math.sqrt(sum(v * v for v in q[i]))
        q[i] = [v / norm for v in q[i]]
    return q


ROTATION = rotation(ELLIPSOID_DIM)


def shift(i):
    return 1.3 + 0.5 * math.sin(i + 1.0)


def ellipsoid(v, decades):
    n = len(v)
    return sum(10 ** (decades * i / (n - 1)) * v[i] * v[i] for i in range(n))


def optimum(problem):
    if problem != "mixed20":
        return 0.0
    v = [0.0] * MIXED_CONT
    for i in range(MIXED_INT):
        c = shift(MIXED_CONT + i)
        v.append(math.floor(c + 0.5) - c)
    return ellipsoid(v, 3)


def suggest_and_evaluate(problem, trial):
    if problem == "rosenbrock10":
        x = [trial.suggest_float(f"x{i}", -5, 10) for i in range(10)]
        return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(9))
    if problem == "ellipsoid20":
        v = [trial.suggest_float(f"x{i}", -5, 5) - shift(i) for i in range(ELLIPSOID_DIM)]
        r = [sum(ROTATION[i][j] * v[j] for j in range(ELLIPSOID_DIM)) for i in range(ELLIPSOID_DIM)]
        return ellipsoid(r, 6)
    if problem == "mixed20":
        v = [trial.suggest_float(f"x{i}", -5, 5) - shift(i) for i in range(MIXED_CONT)]
        v += [trial.suggest_int(f"k{i}", -10, 10) - shift(MIXED_CONT + i) for i in range(MIXED_INT)]
        return ellipsoid(v, 3)
    raise ValueError(problem)


def search_space(problem):
    d = optuna.distributions
    if problem == "rosenbrock10":
        return {f"x{i}": d.FloatDistribution(-5, 10) for i in range(10)}
    if problem == "ellipsoid20":
        return {f"x{i}": d.FloatDistribution(-5, 5) for i in range(ELLIPSOID_DIM)}
    space = {f"x{i}": d.FloatDistribution(-5, 5) for i in range(MIXED_CONT)}
    space.update({f"k{i}": d.IntDistribution(-10, 10) for i in range(MIXED_INT)})
    return space


def run(problem, seed, trials, margin):
    sampler = optuna.samplers.CmaEsSampler(seed=seed, with_margin=margin)
    study = optuna.create_study(sampler=sampler)
    space = search_space(problem)
    wall = 0.0
    cpu = 0.0
    best = math.inf
    for _ in range(trials):
        w0 = time.perf_counter()
        c0 = time.process_time()
        # Asking with the space up front makes the first trial relative too, as Knobflow's
        # declared space does (Optuna's default n_startup_trials=1 still samples trial 0 at random).
        trial = study.ask(space)
        cpu += time.process_time() - c0
        wall += time.perf_counter() - w0
        value = suggest_and_evaluate(problem, trial)
        best = min(best, value)
        study.tell(trial, value)
    return best - optimum(problem), wall * 1000 / trials, cpu * 1000 / trials


def seed_range(arg):
    if "-" in arg:
        first, last = arg.split("-")
        return range(int(first), int(last) + 1)
    return range(int(arg))


def main():
    seeds, trials, problems = seed_range(sys.argv[1]), int(sys.argv[2]), sys.argv[3].split(",")
    print("side,problem,seed,regret,ms_per_trial,cpu_ms_per_trial", flush=True)
    for problem in problems:
        variants = [("optuna", False)] + ([("optuna-margin", True)] if problem == "mixed20" else [])
        for side, margin in variants:
            for seed in seeds:
                regret, ms, cpu = run(problem, seed, trials, margin)
                print(f"{side},{problem},{seed},{regret:.6e},{ms:.4f},{cpu:.4f}", flush=True)


if __name__ == "__main__":
    main()
