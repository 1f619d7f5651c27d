"""The peer side of bench/scale-out: Optuna worker processes sharing one JournalStorage file.

  create JOURNAL STUDY             create the study (outside the measured time)
  worker JOURNAL STUDY N           one worker process: study.optimize(n_trials=N), random sampler
  verify JOURNAL STUDY TRIALS      one JSON line: COMPLETE trials, distinct numbers, trial span
"""
import json
import sys
import time

import optuna
from optuna.storages import JournalStorage
from optuna.storages.journal import JournalFileBackend

optuna.logging.set_verbosity(optuna.logging.WARNING)


def objective(trial):
    # The same as SleepObjective.java: 200 ms of sleep, then a value of the two parameters.
    x = trial.suggest_float("x", -5, 5)
    y = trial.suggest_float("y", -5, 5)
    time.sleep(0.2)
    return (x - 1) ** 2 + (y + 2) ** 2


def storage(path):
    return JournalStorage(JournalFileBackend(path))


def main():
    mode, path, name = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode == "create":
        optuna.create_study(study_name=name, storage=storage(path), direction="minimize")
    elif mode == "worker":
        study = optuna.load_study(
            study_name=name, storage=storage(path), sampler=optuna.samplers.RandomSampler()
        )
        study.optimize(objective, n_trials=int(sys.argv[4]))
    elif mode == "verify":
        expected = int(sys.argv[4])
        trials = optuna.load_study(study_name=name, storage=storage(path)).get_trials(deepcopy=False)
        complete = [t for t in trials if t.state == optuna.trial.TrialState.COMPLETE]
        numbers = [t.number for t in complete]
        span = 0.0
        if complete:
            span = (
                max(t.datetime_complete for t in complete) - min(t.datetime_start for t in complete)
            ).total_seconds()
        ok = (
            len(complete) == expected
            and len(set(numbers)) == expected
            and set(numbers) == set(range(expected))
        )
        print(json.dumps({
            "study": name, "trials": len(trials), "complete": len(complete),
            "distinct_numbers": len(set(numbers)),
            "duplicates": len(numbers) - len(set(numbers)),
            "numbers_0_to_n_minus_1": set(numbers) == set(range(expected)),
            "trial_span_s": round(span, 3), "ok": ok,
        }))
        sys.exit(0 if ok else 1)
    else:
        sys.exit(f"unknown mode {mode!r}; allowed: create, worker, verify")


if __name__ == "__main__":
    main()
