"""Median final score per method over seeds, and each method's ratio to Ray Tune's PBT.

The toy problem's CSV has a column q (Q(theta), optimum 1.2): the ratio compares regrets 1.2 - Q.
The digits CSV has a column accuracy: the ratios compare median accuracies and error rates.

Usage: python summarize.py knobflow.csv ray.csv
"""
import csv
import statistics
import sys

rows = []
for path in sys.argv[1:]:
    with open(path) as f:
        rows += list(csv.DictReader(f))
metric = "accuracy" if rows and "accuracy" in rows[0] else "q"
by_method = {}
for r in rows:
    by_method.setdefault(r["method"], []).append((float(r[metric]), int(float(r.get("steps", r.get("epochs", 0))))))
methods = ["knobflow-pbt", "knobflow-pbt-equal-budget", "ray-pbt", "knobflow-asha", "knobflow-random"]
ray = statistics.median(v for v, _ in by_method.get("ray-pbt", [(float("nan"), 0)]))
if metric == "q":
    print("| method | seeds | median final Q (optimum 1.2) | min-max | median steps | regret vs Ray PBT (1.2 - Q) ratio |")
    print("|---|---|---|---|---|---|")
    for method in methods:
        if method not in by_method:
            continue
        qs = [q for q, _ in by_method[method]]
        med = statistics.median(qs)
        steps = statistics.median(s for _, s in by_method[method])
        ratio = (1.2 - med) / (1.2 - ray) if ray == ray and ray < 1.2 else float("nan")
        print(f"| {method} | {len(qs)} | {med:.4f} | {min(qs):.4f}-{max(qs):.4f} | {steps:.0f} | {ratio:.2f} |")
else:
    kf = statistics.median(v for v, _ in by_method.get("knobflow-pbt", [(float("nan"), 0)]))
    print("| method | seeds | median final accuracy | min-max | median epochs | Knobflow PBT accuracy / this | Knobflow PBT error / this |")
    print("|---|---|---|---|---|---|---|")
    for method in methods:
        if method not in by_method:
            continue
        accs = [a for a, _ in by_method[method]]
        med = statistics.median(accs)
        epochs = statistics.median(e for _, e in by_method[method])
        err = (1 - kf) / (1 - med) if med < 1 else float("nan")
        print(f"| {method} | {len(accs)} | {med:.4f} | {min(accs):.4f}-{max(accs):.4f} | {epochs:.0f} | {kf / med:.4f} | {err:.2f} |")
