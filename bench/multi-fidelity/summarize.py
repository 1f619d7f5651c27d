"""Anytime table: median (over seeds) regret of the incumbent vs cumulative budget, and the budget
at which BOHB first reaches Optuna TPE+Hyperband's final median regret."""
import csv
import os
import statistics
import sys

out, seeds, total = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
R = 729
rows = []
for name in ("knobflow.csv", "optuna.csv"):
    rows += list(csv.DictReader(open(os.path.join(out, name))))
with open(os.path.join(out, "curves.csv"), "w") as f:
    f.write("method,n,seed,cum_budget,regret\n")
    for r in rows:
        f.write(f"{r['method']},{r['n']},{r['seed']},{r['cum_budget']},{r['regret']}\n")

methods = ["bohb", "hyperband", "asha", "random", "optuna-tpe-hyperband"]
runs = {}
for r in rows:
    runs.setdefault((r["method"], int(r["n"]), int(r["seed"])), []).append(
        (float(r["cum_budget"]), float(r["regret"])))


def regret_at(method, n, seed, budget):
    best = float("inf")  # no evaluation yet
    for b, reg in runs.get((method, n, seed), []):
        if b > budget:
            break
        best = reg
    return best


def median_at(method, n, budget):
    return statistics.median(regret_at(method, n, s, budget) for s in range(seeds))


checkpoints = sorted({c for c in (1, 2, 5, 10, 15, 20, 25, 30, 40, 50, 75, 100) if c <= total} | {total})
sizes = sorted({int(r["n"]) for r in rows})
with open(os.path.join(out, "summary.csv"), "w") as f:
    f.write("n,budget_in_R," + ",".join(methods) + "\n")
    for n in sizes:
        print(f"\ncounting ones {n}+{n}: median regret (over {seeds} seeds) of the incumbent vs budget"
              f" (in units of R = {R}); optimum regret 0")
        print(f"{'budget/R':>9}" + "".join(f"{m:>22}" for m in methods))
        for c in checkpoints:
            vals = [median_at(m, n, c * R) for m in methods]
            print(f"{c:>9g}" + "".join(f"{v:>22.3f}" for v in vals))
            f.write(f"{n},{c}," + ",".join(f"{v:.4f}" for v in vals) + "\n")
        target = median_at("optuna-tpe-hyperband", n, total * R)
        reached = None
        grid = [i * R / 4 for i in range(1, int(total * 4) + 1)]
        for b in grid:
            if median_at("bohb", n, b) <= target:
                reached = b
                break
        if reached is None:
            print(f"BOHB never reached Optuna TPE+Hyperband's final median regret {target:.3f}"
                  f" within {total:g} R: target (at most half the budget) MISSED")
        else:
            ok = reached <= total * R / 2
            print(f"BOHB reached Optuna TPE+Hyperband's final median regret {target:.3f} at"
                  f" {reached / R:g} R of {total:g} R: target (at most half) {'met' if ok else 'MISSED'}")
print(f"\nCSV: {out}/curves.csv (every evaluation), {out}/summary.csv")
