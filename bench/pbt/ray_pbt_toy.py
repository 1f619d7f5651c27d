"""Ray Tune 2.60's PopulationBasedTraining on the PBT paper's toy problem, the peer of ToyPbtBench.

Same protocol as bench/pbt/ToyPbtBench.java: theta = (0.9, 0.9), learning rate 0.01, the population
starts at uniform h in [0, 1]^2 (seeded), perturbs every INTERVAL steps (one step per training
iteration), quantile 0.25, resample probability 0.25, factors 1.2 / 0.8 (Ray's defaults), and
stops every member at STEPS steps. Prints CSV rows: method,seed,q,steps.

Usage: python ray_pbt_toy.py SEEDS POPULATION INTERVAL STEPS
"""
import json
import os
import random
import sys
import tempfile

import numpy as np
import ray
from ray import tune
from ray.tune import Checkpoint
from ray.tune.schedulers import PopulationBasedTraining


def q(theta):
    return 1.2 - (theta[0] ** 2 + theta[1] ** 2)


def trainable(config):
    theta = [0.9, 0.9]
    step = 0
    checkpoint = tune.get_checkpoint()
    if checkpoint:
        with checkpoint.as_directory() as d:
            with open(os.path.join(d, "state.json")) as f:
                state = json.load(f)
        theta, step = state["theta"], state["step"]
    interval = config["interval"]
    while True:
        theta[0] += 0.01 * (-2 * config["h0"] * theta[0])
        theta[1] += 0.01 * (-2 * config["h1"] * theta[1])
        step += 1
        if step % interval == 0:
            with tempfile.TemporaryDirectory() as d:
                with open(os.path.join(d, "state.json"), "w") as f:
                    json.dump({"theta": theta, "step": step}, f)
                tune.report({"q": q(theta), "step": step}, checkpoint=Checkpoint.from_directory(d))
        else:
            tune.report({"q": q(theta), "step": step})


def main():
    seeds, population, interval, steps = (int(a) for a in sys.argv[1:5])
    print("method,seed,q,steps", flush=True)
    for seed in range(seeds):
        random.seed(seed)
        np.random.seed(seed)
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
                 configure_logging=False)
        pbt = PopulationBasedTraining(
            time_attr="training_iteration",
            perturbation_interval=interval,
            quantile_fraction=0.25,
            resample_probability=0.25,
            hyperparam_mutations={"h0": tune.uniform(0, 1), "h1": tune.uniform(0, 1)},
            synch=False,
        )
        tuner = tune.Tuner(
            trainable,
            param_space={"interval": interval, "h0": tune.uniform(0, 1), "h1": tune.uniform(0, 1)},
            tune_config=tune.TuneConfig(metric="q", mode="max", scheduler=pbt,
                                        num_samples=population, reuse_actors=True),
            run_config=tune.RunConfig(
                stop={"training_iteration": steps}, verbose=0,
                storage_path=tempfile.mkdtemp(prefix="ray-pbt-toy-"),
                checkpoint_config=tune.CheckpointConfig(num_to_keep=4)),
        )
        results = tuner.fit()
        best = max(r.metrics["q"] for r in results if r.metrics and "q" in r.metrics)
        spent = sum(r.metrics.get("step", 0) for r in results if r.metrics)
        print(f"ray-pbt,{seed},{best:.6f},{spent}", flush=True)
        ray.shutdown()


if __name__ == "__main__":
    main()
