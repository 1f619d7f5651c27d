"""Reads knobflow.csv and optuna.csv and prints the comparison table (Markdown).

Regret: the best value found in the run minus the problem's optimum (lower is better), median over
seeds with the quartiles. Ratios are Knobflow / Optuna: below 1 means Knobflow is better (regret) or
faster (sampler time). The sampler time is milliseconds per trial spent in ask(): wall clock and
CPU time (the sampling thread's for Java, the process's for Python); on a loaded machine the CPU
time is the figure to compare.
"""

import csv
import os
import statistics
import sys
from collections import defaultdict


def load(path):
    rows = defaultdict(list)
    with open(path) as f:
        for r in csv.DictReader(f):
            rows[(r["side"], r["problem"])].append(r)
    return rows


def quartiles(values):
    v = sorted(values)
    if len(v) < 2:
        return v[0], v[0], v[0]
    q = statistics.quantiles(v, n=4, method="inclusive")
    return q[0], statistics.median(v), q[2]


def main():
    out = sys.argv[1]
    rows = load(f"{out}/knobflow.csv")
    rows.update(load(f"{out}/optuna.csv"))
    if os.path.exists(f"{out}/knobflow-no-margin.csv"):
        rows.update(load(f"{out}/knobflow-no-margin.csv"))
    problems = sorted({p for (_, p) in rows})
    print("| problem | Knobflow | peer | Knobflow median regret (q1-q3) | peer median regret (q1-q3) | regret ratio |"
          " Knobflow ms/trial wall (cpu) | peer ms/trial wall (cpu) | cpu time ratio |")
    print("|---|---|---|---|---|---|---|---|---|")
    for p, kside in [(p, s) for p in problems for s in ("knobflow", "knobflow-no-margin")]:
        k = rows.get((kside, p))
        if not k:
            continue
        for side in ("optuna", "optuna-margin"):
            o = rows.get((side, p))
            if not o:
                continue
            kq = quartiles([float(r["regret"]) for r in k])
            oq = quartiles([float(r["regret"]) for r in o])
            kms = statistics.median(float(r["ms_per_trial"]) for r in k)
            oms = statistics.median(float(r["ms_per_trial"]) for r in o)
            kcpu = statistics.median(float(r["cpu_ms_per_trial"]) for r in k)
            ocpu = statistics.median(float(r["cpu_ms_per_trial"]) for r in o)
            ratio = kq[1] / oq[1] if oq[1] > 0 else float("inf")
            print(f"| {p} | {kside} | {side} ({len(o)} seeds) | {kq[1]:.3g} ({kq[0]:.3g}-{kq[2]:.3g}) |"
                  f" {oq[1]:.3g} ({oq[0]:.3g}-{oq[2]:.3g}) | {ratio:.3g} | {kms:.2f} ({kcpu:.2f}) |"
                  f" {oms:.2f} ({ocpu:.2f}) | {kcpu / ocpu:.3g} |")


if __name__ == "__main__":
    main()
