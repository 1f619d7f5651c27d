"""Prints the sampler-scaling table from the Knobflow and Optuna JSON lines.

Usage: report.py KNOBFLOW_JSONL OPTUNA_JSONL [--clock cpu|wall]
       report.py --last JSONL     (one line about the last run in the file)

Time cells are the mean milliseconds per ask() over the window of trials that ends at the column's
trial count (CPU time of the asking thread by default; --clock wall for elapsed time). A cell marked
'*' is the partial window of a sampler stopped by the wall-time cap. Ratio rows are Knobflow's
ms/trial divided by Optuna's over the same window: below 1 Knobflow is faster.
"""
import json
import sys

ENDS = [100, 500, 1000, 2000, 5000, 10000, 20000, 50000]


def load(path):
    rows = {}
    try:
        with open(path) as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    rows[r["sampler"]] = r
    except FileNotFoundError:
        pass
    return rows


def column_of(to):
    for e in ENDS:
        if to <= e:
            return e
    return to


def label(e):
    return f"{e // 1000}k" if e >= 1000 and e % 1000 == 0 else str(e)


def cells(row, key, ends):
    """Column end -> (value, partial) for each window of the row."""
    out = {}
    for w in row.get("windows", []):
        col = column_of(w["to"])
        if col not in ends:
            col = ends[-1]
        out[col] = (w[key], w["to"] != col, w["to"])
    return out


def fmt(v, partial=False):
    if v is None:
        return "-"
    s = f"{v:.3f}" if v < 1 else f"{v:.2f}" if v < 100 else f"{v:.0f}"
    return s + ("*" if partial else "")


def last(path):
    with open(path) as f:
        r = json.loads(f.read().strip().splitlines()[-1])
    if r.get("skipped"):
        return f"skipped: {r['skipped']}"
    return f"{r['trials_done']} trials in {r['wall_seconds']:.0f} s ({r['stopped']})"


def main(argv):
    if argv[0] == "--last":
        print(last(argv[1]))
        return
    clock = "cpu"
    if "--clock" in argv:
        clock = argv[argv.index("--clock") + 1]
    key = "cpu_mean_ms" if clock == "cpu" else "mean_ms"
    kf, op = load(argv[0]), load(argv[1])
    samplers = list(kf) + [s for s in op if s not in kf]
    requested = max([r.get("trials_requested", 0) for r in list(kf.values()) + list(op.values())] + [1])
    ends = [e for e in ENDS if e < requested] + [requested]
    w = 9
    print()
    print(f"Time per ask() in ms ({clock} time of the asking thread), mean over the window ending at")
    print("the column's trial count; * = partial window (stopped by the cap at the trial count shown")
    print("in 'trials'); ratio = Knobflow / Optuna (below 1: Knobflow faster). '>100ms at', '>1s at':")
    print("the first trial at which the mean of the last 10 asks (wall time) passed 100 ms / 1 s.")
    head = f"{'sampler':<10}{'side':<10}{'trials':>7}{'stop':>6}" + "".join(f"{label(e):>{w}}" for e in ends)
    head += f"{'>100ms at':>11}{'>1s at':>8}"
    print(head)
    print("-" * len(head))
    for s in samplers:
        sides = [("knobflow", kf.get(s)), ("optuna", op.get(s))]
        got = {}
        for side, r in sides:
            if r is None:
                continue
            if r.get("skipped"):
                print(f"{s:<10}{side:<10}  skipped: {r['skipped']}")
                continue
            c = cells(r, key, ends)
            got[side] = c
            line = f"{s:<10}{side:<10}{r['trials_done']:>7}{r['stopped']:>6}"
            line += "".join(f"{fmt(c[e][0], c[e][1]) if e in c else '-':>{w}}" for e in ends)
            line += f"{r['first_over_100ms'] or '-':>11}{r['first_over_1s'] or '-':>8}"
            print(line)
        if len(got) == 2:
            line = f"{s:<10}{'ratio':<10}{'':>13}"
            for e in ends:
                a, b = got["knobflow"].get(e), got["optuna"].get(e)
                if a and b and a[2] == b[2] and b[0] > 0:
                    line += f"{a[0] / b[0]:>{w - 1}.2f}x"
                else:
                    line += f"{'-':>{w}}"
            print(line)
    print()
    print("Memory in MB at each window's end: Knobflow the used heap after System.gc(), Optuna the")
    print("resident set after gc.collect() (includes the interpreter, numpy and, for gp, torch);")
    print("peak: Knobflow the heap pools' peak (garbage included) / the JVM's peak resident set,")
    print("Optuna the peak resident set.")
    head = f"{'sampler':<10}{'side':<10}" + "".join(f"{label(e):>{w}}" for e in ends) + f"{'peak':>16}"
    print(head)
    print("-" * len(head))
    for s in samplers:
        for side, r in (("knobflow", kf.get(s)), ("optuna", op.get(s))):
            if r is None or r.get("skipped"):
                continue
            c = cells(r, "memory_mb", ends)
            line = f"{s:<10}{side:<10}"
            line += "".join(f"{fmt(c[e][0], c[e][1]) if e in c else '-':>{w}}" for e in ends)
            if side == "knobflow":
                peak = f"{r['peak_heap_mb']:.0f}/{r['peak_rss_mb']:.0f}"
            else:
                peak = f"{r['peak_rss_mb']:.0f}"
            line += f"{peak:>16}"
            print(line)


if __name__ == "__main__":
    main(sys.argv[1:])
