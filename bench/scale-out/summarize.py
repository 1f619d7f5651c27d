"""Turns bench/scale-out's JSON lines into Markdown tables: Knobflow on MLflow, Knobflow on its
journal file, Optuna on its journal file."""
import json
import sys

TARGET_WORKERS, TARGET_SPEEDUP = 4, 3.5

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
runs = {}
for r in rows:
    runs.setdefault((r["tool"], r["storage"]), {})[r["workers"]] = r


def rate(r):
    return r["trials"] / r["wall_s"]


def span(r):
    return r["verify"].get("trial_span_s") or float("nan")


def span_rate(r):
    return r["trials"] / span(r)


def check(r):
    v = r["verify"]
    if "complete" not in v:
        return "FAILED: " + str(v.get("error", "?"))[:60]
    text = f"{v['complete']} COMPLETE, {v['distinct_numbers']} distinct numbers"
    if v.get("abandoned_runs"):
        text += f", {v['abandoned_runs']} abandoned runs"
    return text + (", ok" if v["ok"] else ", WRONG")


def per_trial_ms(key):
    return lambda r: f"{1000 * r[key] / r['trials']:.0f}" if r.get(key) is not None else "-"


def table(title, by_w, extra):
    base = by_w[min(by_w)]
    columns = ["W", "wall s", "trials/s", "speed-up", "trial span s", "trials/s in span",
               "speed-up in span"] + [h for h, _ in extra] + ["worker CPU ms/trial",
                                                              "on the storage afterwards"]
    print(f"### {title}\n")
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for w in sorted(by_w):
        r = by_w[w]
        cells = [str(w), f"{r['wall_s']:.1f}", f"{rate(r):.2f}", f"{rate(r) / rate(base):.2f}x",
                 f"{span(r):.1f}", f"{span_rate(r):.2f}", f"{span_rate(r) / span_rate(base):.2f}x"]
        cells += [f(r) for _, f in extra] + [per_trial_ms("worker_cpu_s")(r), check(r)]
        print("| " + " | ".join(cells) + " |")
    print()


def versus(other):
    def cell(r):
        o = other.get(r["workers"]) if other else None
        return f"{rate(o) / rate(r):.2f}" if o else "-"
    return cell


print("wall: from starting the W processes until the last one exited (JVM or interpreter start-up")
print("included); trial span: first trial's start to last trial's end, read from the storage;")
print("CPU: user + system seconds (server: all its processes; workers: all W processes) per trial.\n")
mlflow = runs.get(("knobflow", "mlflow"), {})
journal = runs.get(("knobflow", "journal"), {})
optuna = runs.get(("optuna", "journal"), {})
if mlflow:
    table("Knobflow: `knobflow worker` processes, storage: mlflow (one MLflow 3.17.2 server)",
          mlflow, [
              ("requests", lambda r: str(r["requests"])),
              ("requests/s", lambda r: f"{r['requests'] / r['wall_s']:.0f}"),
              ("requests/trial", lambda r: f"{r['requests'] / r['trials']:.1f}"),
              ("server CPU ms/trial", per_trial_ms("server_cpu_s")),
          ])
if any(r.get("by_endpoint") for r in mlflow.values()):
    endpoints = sorted({k for r in mlflow.values() for k in (r.get("by_endpoint") or {})},
                       key=lambda k: -max((r.get("by_endpoint") or {}).get(k, 0)
                                          for r in mlflow.values()))
    print("### Knobflow on MLflow: requests per trial by endpoint (from the access log)\n")
    print("| W | " + " | ".join(f"`{k}`" for k in endpoints) + " | all |")
    print("|" + "---|" * (len(endpoints) + 2))
    for w in sorted(mlflow):
        by, n = mlflow[w].get("by_endpoint") or {}, mlflow[w]["trials"]
        print(f"| {w} | " + " | ".join(f"{by.get(k, 0) / n:.2f}" for k in endpoints)
              + f" | {sum(by.values()) / n:.2f} |")
    print()
if journal:
    table("Knobflow: `knobflow worker` processes, storage: journal (one file)", journal, [])
if optuna:
    table("Optuna 5.0.0: `study.optimize` processes, JournalStorage(JournalFileBackend) (one file)",
          optuna, [
              ("Knobflow journal / Optuna trials/s", versus(journal)),
              ("Knobflow mlflow / Optuna trials/s", versus(mlflow)),
          ])
if 1 in mlflow and TARGET_WORKERS in mlflow:
    for label, f in (("wall", rate), ("trial span", span_rate)):
        s = f(mlflow[TARGET_WORKERS]) / f(mlflow[1])
        print(f"Target, storage mlflow: {TARGET_WORKERS} workers >= {TARGET_SPEEDUP}x the single-worker"
              f" throughput ({label}): {s:.2f}x, {'met' if s >= TARGET_SPEEDUP else 'MISSED'}.")
