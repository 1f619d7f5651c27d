"""Optuna's framework overhead, measured the same way as OverheadBench.java."""
import json
import os
import sys
import tempfile
import time

import optuna
from optuna.storages import JournalStorage
from optuna.storages.journal import JournalFileBackend

optuna.logging.set_verbosity(optuna.logging.WARNING)


def objective(trial):
    x = trial.suggest_float("x", -10, 10)
    return x * x


def run(storage, trials):
    study = optuna.create_study(storage=storage, sampler=optuna.samplers.RandomSampler(seed=0))
    cpu_start = time.process_time()
    start = time.perf_counter()
    study.optimize(objective, n_trials=trials)
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    assert len(study.trials) == trials
    return seconds, cpu_seconds


def main():
    trials = int(sys.argv[1])
    journal_trials = int(sys.argv[2]) if len(sys.argv) > 2 else trials
    with tempfile.TemporaryDirectory() as tmp:
        for name, storage, n in (
            ("memory", None, trials),
            ("journal", JournalStorage(JournalFileBackend(os.path.join(tmp, "j.log"))), journal_trials),
        ):
            seconds, cpu_seconds = run(storage, n)
            print(json.dumps({"tool": "optuna", "version": optuna.__version__, "storage": name,
                              "trials": n, "seconds": round(seconds, 4),
                              "trials_per_second": round(n / seconds, 1),
                              "cpu_seconds": round(cpu_seconds, 4)}), flush=True)


if __name__ == "__main__":
    main()
