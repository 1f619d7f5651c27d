"""Medians over seeds of the best validation log loss after 3, 5 and 10 trials, per held-out dataset
and mode (cold, enqueue, prior), and where warm start does not help (median not below cold's)."""
import csv
import statistics
import sys
from collections import defaultdict

AT = (3, 5, 10)
MODES = ("cold", "enqueue", "prior")
best = defaultdict(list)  # (dataset, mode, k) -> [best per seed]
datasets = []
with open(sys.argv[1]) as f:
    for row in csv.DictReader(f):
        k = int(row["trial"])
        if row["dataset"] not in datasets:
            datasets.append(row["dataset"])
        if k in AT:
            best[(row["dataset"], row["mode"], k)].append(float(row["best"]))

print("Median best validation log loss (lower is better) over seeds, leave one dataset out:")
print()
head = "| held-out dataset | " + " | ".join(f"{m} @{k}" for k in AT for m in MODES) + " |"
print(head)
print("|" + "---|" * (1 + len(AT) * len(MODES)))
no_help = []
wins = defaultdict(int)
for d in datasets:
    cells = []
    for k in AT:
        cold = statistics.median(best[(d, "cold", k)])
        for m in MODES:
            v = statistics.median(best[(d, m, k)])
            cells.append(f"{v:.4f}")
            if m != "cold":
                if v < cold:
                    wins[(m, k)] += 1
                else:
                    no_help.append(f"{d} {m} @{k} ({v:.4f} vs cold {cold:.4f})")
    print(f"| {d} | " + " | ".join(cells) + " |")
print()
seeds = len(best[(datasets[0], "cold", AT[0])])
print(f"{seeds} seeds; warm start beats cold's median on:")
for m in MODES[1:]:
    print(f"- {m}: " + ", ".join(f"{wins[(m, k)]}/{len(datasets)} datasets at {k} trials" for k in AT))
print()
print("Where warm start does not help: " + ("; ".join(no_help) if no_help else "nowhere in this run"))
