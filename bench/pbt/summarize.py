"""Median final score per method over seeds, and each method's ratio to Ray Tune's PBT.

Usage: python summarize.py knobflow.csv ray.csv
"""
import csv
import statistics
import sys

rows = []
for path in sys.argv[1:]:
    with open(path) as f:
        rows += list(csv.DictReader(f))
by_method = {}
for r in rows:
    by_method.setdefault(r["method"], []).append((float(r["q"]), int(float(r["steps"]))))
ray = statistics.median(q for q, _ in by_method.get("ray-pbt", [(float("nan"), 0)]))
print("| method | seeds | median final Q (optimum 1.2) | min-max | median steps | regret vs Ray PBT (1.2 - Q) ratio |")
print("|---|---|---|---|---|---|")
for method in ["knobflow-pbt", "ray-pbt", "knobflow-asha", "knobflow-random"]:
    if method not in by_method:
        continue
    qs = [q for q, _ in by_method[method]]
    med = statistics.median(qs)
    steps = statistics.median(s for _, s in by_method[method])
    ratio = (1.2 - med) / (1.2 - ray) if ray == ray and ray < 1.2 else float("nan")
    print(f"| {method} | {len(qs)} | {med:.4f} | {min(qs):.4f}-{max(qs):.4f} | {steps:.0f} | {ratio:.2f} |")
