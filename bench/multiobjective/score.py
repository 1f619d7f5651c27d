"""Scores every run of run.sh with one hypervolume implementation (Optuna 5.0.0's
optuna._hypervolume.compute_hypervolume), cross-checks it against the hypervolume Knobflow's
pareto.Hypervolume computed for the Java runs, and prints the comparison table."""

import argparse
import json
import statistics
import sys

import numpy as np
from optuna._hypervolume import compute_hypervolume

REFERENCE = {"zdt1": [1.1, 1.1], "zdt2": [1.1, 1.1], "dtlz2": [1.1, 1.1, 1.1]}
OPTIMUM = {"zdt1": 0.8767, "zdt2": 0.5433, "dtlz2": 0.8074}
ORDER = [("knobflow", "nsga2"), ("knobflow", "random"), ("optuna", "nsga2"), ("optuna", "tpe"),
         ("optuna", "random")]


def hypervolume(points, reference):
    ref = np.asarray(reference, dtype=float)
    pts = np.asarray(points, dtype=float).reshape(-1, len(reference))
    inside = pts[np.all(pts < ref, axis=1)]
    if len(inside) == 0:
        return 0.0
    return float(compute_hypervolume(inside, ref))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("files", nargs="+")
    p.add_argument("--markdown", default=None)
    args = p.parse_args()
    runs = {}
    worst_gap = 0.0
    for path in args.files:
        with open(path) as f:
            for line in f:
                row = json.loads(line)
                hv = hypervolume(row["points"], REFERENCE[row["problem"]])
                if "hv_knobflow" in row:
                    worst_gap = max(worst_gap, abs(hv - row["hv_knobflow"]))
                key = (row["problem"], row["budget"], row["impl"], row["sampler"])
                runs.setdefault(key, []).append((hv, row["sampler_ms_per_trial"]))
    if worst_gap > 1e-9:
        sys.exit(f"hypervolume cross-check failed: Knobflow and Optuna differ by {worst_gap}")

    lines = [
        "| problem | budget | sampler | seeds | median HV | min HV | max HV | median HV / optimum "
        "| sampler ms/trial (median) |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    ratios = []
    for problem in REFERENCE:
        budgets = sorted({k[1] for k in runs if k[0] == problem})
        for budget in budgets:
            medians = {}
            for impl, sampler in ORDER:
                rows = runs.get((problem, budget, impl, sampler))
                if not rows:
                    continue
                hvs = [r[0] for r in rows]
                ms = statistics.median(r[1] for r in rows)
                med = statistics.median(hvs)
                medians[(impl, sampler)] = med
                lines.append(
                    f"| {problem} | {budget} | {impl} {sampler} | {len(rows)} | {med:.4f} | "
                    f"{min(hvs):.4f} | {max(hvs):.4f} | {med / OPTIMUM[problem]:.3f} | {ms:.3f} |"
                )
            kf, op = medians.get(("knobflow", "nsga2")), medians.get(("optuna", "nsga2"))
            if kf is not None and op is not None:
                ratio = "inf" if op == 0 and kf > 0 else ("1.000" if op == 0 else f"{kf / op:.3f}")
                ratios.append(
                    f"| {problem} | {budget} | {kf:.4f} | {op:.4f} | {ratio} | "
                    f"{'yes' if kf >= op else 'NO'} |"
                )
    lines += [
        "",
        "Knobflow NSGA-II / Optuna NSGA-II (median hypervolume):",
        "",
        "| problem | budget | Knobflow | Optuna | ratio | Knobflow >= Optuna |",
        "|---|---:|---:|---:|---:|---|",
    ] + ratios
    lines.append("")
    lines.append(f"hypervolume cross-check (Knobflow vs Optuna code): max |diff| = {worst_gap:.2e}")
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
