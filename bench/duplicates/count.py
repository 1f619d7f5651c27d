"""Counts repeated configurations per run directory of bench/duplicates/run.sh, prints a table."""
import json
import os
import sys
from collections import defaultdict


def key(params):
    def norm(v):
        return float(f"{v:.12g}") if isinstance(v, float) else v
    return tuple(sorted((k, norm(v)) for k, v in params.items()))


def count(path):
    with open(path) as f:
        trials = json.load(f)["trials"]
    seen, sampled, repeats = set(), 0, 0
    for t in sorted(trials, key=lambda t: t["number"]):
        if "parent_trial" in t:  # a Hyperband/BOHB child continues its parent on purpose
            continue
        sampled += 1
        k = key(t["params"])
        repeats += k in seen
        seen.add(k)
    return len(trials), sampled, repeats


root = sys.argv[1]
rows = defaultdict(lambda: {"before": [0, 0, 0, 0, 0], "after": [0, 0, 0, 0, 0]})
for name in sorted(os.listdir(root)):
    show = os.path.join(root, name, "show.json")
    if not os.path.isfile(show) or os.path.getsize(show) == 0:
        continue
    example, seed, mode = name.rsplit("-", 2)
    trials, sampled, repeats = count(show)
    r = rows[example][mode]
    r[0] += 1
    r[1] += trials
    r[2] += sampled
    r[3] += repeats
    journal = os.path.join(root, name, "journal.jsonl")
    if os.path.isfile(journal):  # trials the guard moved off a repeat (system attribute)
        with open(journal) as f:
            r[4] += sum('"repeat_avoided"' in line for line in f)
print("| example (sampler) | runs | trials before | repeats before | per 100 before"
      " | trials after | repeats after | per 100 after | moved off a repeat after |")
print("|---|---|---|---|---|---|---|---|---|")
samplers = {"command": "random", "xgboost": "auto (GP, EHVI)", "djl": "BOHB (KDE)"}
for example, r in rows.items():
    b, a = r["before"], r["after"]
    def per100(x):
        return f"{100.0 * x[3] / x[2]:.1f}" if x[2] else "-"
    print(f"| {example} ({samplers.get(example, '?')}) | {b[0]}+{a[0]} | {b[1]} | {b[3]} | {per100(b)}"
          f" | {a[1]} | {a[3]} | {per100(a)} | {a[4]} |")

synthetic = os.path.join(root, "synthetic.csv")
if os.path.isfile(synthetic):
    import csv
    agg = defaultdict(lambda: {"before": [0, 0, 0], "after": [0, 0, 0]})
    with open(synthetic) as f:
        for row in csv.DictReader(f):
            a = agg[row["sampler"]][row["mode"]]
            a[0] += 1
            a[1] += int(row["trials"])
            a[2] += int(row["repeats"])
    print()
    print("| sampler, small mixed space (100 trials/run) | runs | repeats per 100 before | repeats per 100 after |")
    print("|---|---|---|---|")
    for sampler, r in agg.items():
        b, a = r["before"], r["after"]
        print(f"| {sampler} | {b[0]}+{a[0]} | {100.0 * b[2] / b[1]:.1f} | {100.0 * a[2] / a[1]:.1f} |")
