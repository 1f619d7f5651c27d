"""What both Ray Tune peers (ray_pbt_toy.py, ray_pbt_digits.py) share: Ray Tune 2.60's
PopulationBasedTraining set up as Knobflow's side (asynchronous, quantile 0.25, resample probability
0.25, Ray's own 1.2 / 0.8 factors, 2 trials at a time on num_cpus=2), seeded per benchmark seed, and
stopped by an experiment-level stopper once the population has reported TOTAL units of training
(each result carries the units its segment trained under "trained"), the same total budget Knobflow's
side spends through its study budget.
"""
import random
import sys
import tempfile

import numpy as np
import ray
from ray import tune
from ray.tune import Stopper
from ray.tune.schedulers import PopulationBasedTraining
from ray.tune.search.basic_variant import BasicVariantGenerator


class TrainedBudgetStopper(Stopper):
    """Stops the whole experiment once the reported units of training reach the total budget."""

    def __init__(self, total):
        self.total = total
        self.spent = 0

    def __call__(self, trial_id, result):
        self.spent += result.get("trained", 0)
        return False

    def stop_all(self):
        return self.spent >= self.total


def start_ray(attempts=5):
    """ray.init, retried: on a loaded machine its raylet may miss Ray's fixed 30 s start-up wait."""
    for attempt in range(attempts):
        try:
            ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
                     configure_logging=False)
            return
        except Exception as e:  # Ray raises a bare Exception on that time-out
            if "timed out during startup" not in str(e) or attempt == attempts - 1:
                raise
            print(f"ray_pbt_common: Ray start-up timed out, retrying: {e}", file=sys.stderr)
            ray.shutdown()


def run_pbt(seed, population, trainable, param_space, mutations, metric, time_attr, interval, total, prefix):
    """Runs one seed's population; returns (best last result of any trial, units reported)."""
    random.seed(seed)
    np.random.seed(seed)
    start_ray()
    try:
        pbt = PopulationBasedTraining(
            time_attr=time_attr,
            perturbation_interval=interval,
            quantile_fraction=0.25,
            resample_probability=0.25,
            hyperparam_mutations=mutations,
            synch=False,
        )
        stopper = TrainedBudgetStopper(total)
        tuner = tune.Tuner(
            trainable,
            param_space=param_space,
            tune_config=tune.TuneConfig(metric=metric, mode="max", scheduler=pbt,
                                        num_samples=population, reuse_actors=True,
                                        search_alg=BasicVariantGenerator(random_state=seed)),
            run_config=tune.RunConfig(
                stop=stopper, verbose=0,
                storage_path=tempfile.mkdtemp(prefix=prefix),
                checkpoint_config=tune.CheckpointConfig(num_to_keep=4)),
        )
        results = tuner.fit()
        best = max(r.metrics[metric] for r in results if r.metrics and metric in r.metrics)
        return best, stopper.spent
    finally:
        ray.shutdown()
