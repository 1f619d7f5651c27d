"""Optuna side of the sampler-scaling benchmark: the same space, objective, windows and cap as
SamplerScalingBench.java, one sampler per process (so the peak RSS is that sampler's).

Times study.ask(fixed_distributions) alone (sampling; not the objective nor tell), wall and CPU
time of this thread. Memory: the process's resident set after gc.collect() at each window end
(tracemalloc would slow every allocation and distort the timings), and the peak resident set.

Usage: optuna_scaling.py SAMPLER TRIALS CAP_SECONDS [SEED]   -> one JSON line on stdout
"""

import gc
import json
import math
import os
import resource
import sys
import time
import warnings

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.filterwarnings("ignore")

ROLLING = 10  # asks averaged for the 100 ms / 1 s thresholds, as in the Java side
WINDOW_ENDS = [100, 500, 1000, 2000, 5000, 10000, 20000, 50000]
SAMPLERS = ["random", "grid", "sobol", "tpe", "tpe-mv", "gp", "nsga2", "auto", "tpe-mo", "nsga2-mo",
            "auto-mo"]

D = optuna.distributions
SPACE = {f"x{i}": D.FloatDistribution(-5, 5) for i in range(5)}
SPACE["lr"] = D.FloatDistribution(1e-5, 1e-1, log=True)
SPACE["layers"] = D.IntDistribution(1, 10)
SPACE["act"] = D.CategoricalDistribution(["relu", "tanh", "gelu"])

GRID = {f"x{i}": [-3.75, -1.25, 1.25, 3.75] for i in range(5)}
GRID["lr"] = [1e-5, 1e-4, 1e-3, 1e-2]
GRID["layers"] = [2, 5, 8]
GRID["act"] = ["relu", "tanh", "gelu"]


def objective(p, objectives):
    lr = math.log10(p["lr"])
    layers = p["layers"]
    act = p["act"]
    f1 = sum((p[f"x{i}"] - 1) ** 2 for i in range(5))
    f2 = sum((p[f"x{i}"] + 1) ** 2 for i in range(5))
    f1 += (lr + 3) ** 2 + (layers - 4) ** 2 / 10 + (0 if act == "gelu" else 1)
    f2 += (lr + 2) ** 2 + (layers - 7) ** 2 / 10 + (0 if act == "relu" else 1)
    return [f1] if objectives == 1 else [f1, f2]


def skip_reason(name):
    """Why Optuna has no counterpart of a Knobflow sampler here, or None."""
    if name.startswith("auto"):
        return "Optuna 5.0.0 ships no AutoSampler (it lives in OptunaHub, outside the package)"
    if name == "gp":
        try:
            import scipy  # noqa: F401
            import torch  # noqa: F401
        except Exception as e:  # ImportError or a broken CUDA build
            return f"GPSampler needs torch and scipy, which do not import here ({type(e).__name__})"
    if name == "sobol":
        try:
            import scipy  # noqa: F401
        except Exception as e:
            return f"QMCSampler needs scipy, which does not import here ({type(e).__name__})"
    return None


def make_sampler(name, seed):
    s = optuna.samplers
    if name == "random":
        return s.RandomSampler(seed=seed)
    if name == "grid":
        return s.GridSampler(GRID, seed=seed)
    if name == "sobol":
        return s.QMCSampler(qmc_type="sobol", scramble=True, seed=seed)
    if name in ("tpe", "tpe-mo"):
        return s.TPESampler(seed=seed)
    if name == "tpe-mv":
        return s.TPESampler(seed=seed, multivariate=True)
    if name == "gp":
        import torch
        torch.set_num_threads(1)  # the Java side is single-threaded; CPU time counts this thread
        return s.GPSampler(seed=seed)
    if name in ("nsga2", "nsga2-mo"):
        return s.NSGAIISampler(seed=seed)
    raise ValueError(name)


def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def next_window_end(done, trials):
    for end in WINDOW_ENDS:
        if done < end < trials:
            return end
    return trials


def run(name, trials, cap_seconds, seed):
    objectives = 2 if name.endswith("-mo") else 1
    row = {"side": "optuna", "version": optuna.__version__, "sampler": name,
           "objectives": objectives, "trials_requested": trials, "cap_seconds": cap_seconds}
    reason = skip_reason(name)
    if reason:
        row["skipped"] = reason
        return row
    study = optuna.create_study(directions=["minimize"] * objectives,
                                sampler=make_sampler(name, seed))
    gc.collect()
    begin = time.perf_counter()
    sampler_s = 0.0
    windows = []
    window_start, window_s, window_cpu, window_max = 0, 0.0, 0.0, 0.0
    first_100ms = first_1s = None
    recent = []
    done = 0
    stopped = "done"
    next_end = next_window_end(0, trials)
    while done < trials:
        start = time.perf_counter()
        cpu_start = time.thread_time()
        trial = study.ask(SPACE)
        cpu = time.thread_time() - cpu_start
        ask = time.perf_counter() - start
        study.tell(trial, objective(trial.params, objectives))
        done += 1
        sampler_s += ask
        window_s += ask
        window_cpu += cpu
        window_max = max(window_max, ask)
        recent.append(ask)
        if len(recent) > ROLLING:
            recent.pop(0)
        rolling = sum(recent) / len(recent)
        if first_100ms is None and done >= ROLLING and rolling > 0.1:
            first_100ms = done
        if first_1s is None and done >= ROLLING and rolling > 1.0:
            first_1s = done
        capped = done < trials and time.perf_counter() - begin > cap_seconds
        if done == next_end or capped:
            gc.collect()
            n = done - window_start
            windows.append({"from": window_start, "to": done, "mean_ms": 1e3 * window_s / n,
                            "cpu_mean_ms": 1e3 * window_cpu / n, "max_ms": 1e3 * window_max,
                            "memory_mb": rss_mb()})
            window_start, window_s, window_cpu, window_max = done, 0.0, 0.0, 0.0
            next_end = next_window_end(done, trials)
        if capped:
            stopped = "cap"
            break
    row.update({
        "describe": type(study.sampler).__name__,
        "trials_done": done, "stopped": stopped,
        "wall_seconds": time.perf_counter() - begin, "sampler_seconds": sampler_s,
        "first_over_100ms": first_100ms, "first_over_1s": first_1s,
        "windows": windows,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3,
        "memory_kind": "resident set after gc.collect()",
    })
    return row


def main():
    name, trials, cap = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    if name not in SAMPLERS:
        sys.exit(f"sampler: '{name}' is not one of {SAMPLERS}")
    print(json.dumps(run(name, trials, cap, seed)), flush=True)


if __name__ == "__main__":
    main()
