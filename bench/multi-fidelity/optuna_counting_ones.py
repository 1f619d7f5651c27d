"""Counting ones with Optuna 5.0.0: TPESampler + HyperbandPruner(9, 729, 3).

A trial reports the loss at the rung steps 9, 27, 81, 243, 729 (the mean of the first b draws of
each Bernoulli, so a trial continues its own draws) and costs the last step it reached (resumed
training: cheaper accounting than Knobflow's full cost per evaluation). Prints the same CSV rows as
CountingOnesBench.java. Usage: python optuna_counting_ones.py SEEDS TOTAL_BUDGET_IN_R N...
"""
import sys

import numpy as np
import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)
MIN, MAX, ETA = 9, 729, 3
STEPS = [9, 27, 81, 243, 729]


def run(n, seed, total):
    state = {"spent": 0.0, "inc_budget": -1, "inc_loss": float("inf"), "inc_regret": float("nan")}
    rows = []

    def objective(trial):
        c = [trial.suggest_categorical(f"c{i}", [0, 1]) for i in range(n)]
        x = [trial.suggest_float(f"x{i}", 0.0, 1.0) for i in range(n)]
        rng = np.random.default_rng([seed, 7919, trial.number])
        draws = rng.random((n, MAX)) < np.array(x)[:, None]
        truth = sum(c) + sum(x)
        last = 0
        for b in STEPS:
            loss = -(sum(c) + draws[:, :b].mean(axis=1).sum())
            state["spent"] += b - last
            last = b
            if b > state["inc_budget"] or (b == state["inc_budget"] and loss < state["inc_loss"]):
                state.update(inc_budget=b, inc_loss=loss, inc_regret=2 * n - truth)
            rows.append(f"optuna-tpe-hyperband,{n},{seed},{state['spent']},{state['inc_regret']}")
            trial.report(loss, b)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return loss

    def stop(study, _trial):
        if state["spent"] >= total:
            study.stop()

    # A fixed study name: HyperbandPruner assigns brackets by a hash of the study name and trial
    # number, and the default name is a random UUID, so without it a run is not reproducible.
    study = optuna.create_study(
        study_name=f"counting-ones-{n}-{seed}",
        sampler=optuna.samplers.TPESampler(seed=seed),
        pruner=optuna.pruners.HyperbandPruner(min_resource=MIN, max_resource=MAX, reduction_factor=ETA),
    )
    study.optimize(objective, n_trials=100000, callbacks=[stop])
    print("\n".join(rows), flush=True)


def main():
    seeds, total = int(sys.argv[1]), float(sys.argv[2]) * MAX
    print("method,n,seed,cum_budget,regret", flush=True)
    for n in map(int, sys.argv[3:]):
        for seed in range(seeds):
            run(n, seed, total)


if __name__ == "__main__":
    main()
