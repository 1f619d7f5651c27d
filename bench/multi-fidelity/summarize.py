"""Anytime table: median (over seeds) regret of the incumbent vs cumulative budget, the budget at
which BOHB first reaches Optuna TPE+Hyperband's final median regret, and the anytime figure
(anytime.svg, plain SVG written here so the harness needs no plotting library)."""
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

methods = ["bohb", "bohb-hpbandster", "hyperband", "asha", "random", "optuna-tpe-hyperband"]
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
        grid = [i * R / 4 for i in range(1, int(total * 4) + 1)]
        for arm in ("bohb", "bohb-hpbandster"):
            reached = next((b for b in grid if median_at(arm, n, b) <= target), None)
            if reached is None:
                print(f"{arm} never reached Optuna TPE+Hyperband's final median regret {target:.3f}"
                      f" within {total:g} R: target (at most half the budget) MISSED")
            else:
                ok = reached <= total * R / 2
                print(f"{arm} reached Optuna TPE+Hyperband's final median regret {target:.3f} at"
                      f" {reached / R:g} R of {total:g} R: target (at most half) {'met' if ok else 'MISSED'}")


def write_svg(path):
    """One panel per size: median regret vs cumulative budget (quarter-R steps), one line per arm."""
    colours = {"bohb": "#d62728", "bohb-hpbandster": "#ff9896", "hyperband": "#1f77b4",
               "asha": "#2ca02c", "random": "#7f7f7f", "optuna-tpe-hyperband": "#9467bd"}
    width, height, left, top, pw, ph = 460, 300, 55, 30, 380, 220
    grid = [i * R / 4 for i in range(1, int(total * 4) + 1)]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width * len(sizes)}" height="{height + 40}"'
             f' font-family="sans-serif" font-size="11">',
             f'<rect width="100%" height="100%" fill="white"/>']
    for p, n in enumerate(sizes):
        x0 = p * width + left
        curves = {m: [median_at(m, n, b) for b in grid] for m in methods}
        ymax = max(v for c in curves.values() for v in c if v != float("inf"))
        ymax = max(1.0, float(int(ymax) + 1))
        sx = lambda b: x0 + pw * b / (total * R)
        sy = lambda v: top + ph * (1 - min(v, ymax) / ymax)
        parts.append(f'<text x="{x0 + pw / 2}" y="18" text-anchor="middle">counting ones {n}+{n}:'
                     f' median regret over {seeds} seeds</text>')
        parts.append(f'<rect x="{x0}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="black"/>')
        for k in range(0, 6):
            v = ymax * k / 5
            parts.append(f'<text x="{x0 - 5}" y="{sy(v) + 4:.1f}" text-anchor="end">{v:g}</text>')
        for k in range(0, 6):
            b = total * R * k / 5
            parts.append(f'<text x="{sx(b):.1f}" y="{top + ph + 15}" text-anchor="middle">{b / R:g}</text>')
        parts.append(f'<text x="{x0 + pw / 2}" y="{top + ph + 30}" text-anchor="middle">cumulative budget'
                     f' (units of R = {R})</text>')
        target = median_at("optuna-tpe-hyperband", n, total * R)
        parts.append(f'<line x1="{x0}" y1="{sy(target):.1f}" x2="{x0 + pw}" y2="{sy(target):.1f}"'
                     f' stroke="black" stroke-dasharray="4,3"/>')
        parts.append(f'<line x1="{sx(total * R / 2):.1f}" y1="{top}" x2="{sx(total * R / 2):.1f}"'
                     f' y2="{top + ph}" stroke="black" stroke-dasharray="4,3"/>')
        parts.append(f'<text x="{x0 + pw - 4}" y="{top + 14}" text-anchor="end">dashed: Optuna\'s final'
                     f' median {target:.2f}, half the budget ({total / 2:g} R)</text>')
        for m in methods:
            pts = " ".join(f"{sx(b):.1f},{sy(v):.1f}" for b, v in zip(grid, curves[m]) if v != float("inf"))
            parts.append(f'<polyline fill="none" stroke="{colours[m]}" stroke-width="1.8" points="{pts}"/>')
    for k, m in enumerate(methods):
        x = left + k * 140
        parts.append(f'<line x1="{x}" y1="{height + 25}" x2="{x + 20}" y2="{height + 25}"'
                     f' stroke="{colours[m]}" stroke-width="3"/>')
        parts.append(f'<text x="{x + 25}" y="{height + 29}">{m}</text>')
    parts.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(parts) + "\n")


write_svg(os.path.join(out, "anytime.svg"))
print(f"\nCSV: {out}/curves.csv (every evaluation), {out}/summary.csv; figure: {out}/anytime.svg")
