"""Ray Tune 2.60's PopulationBasedTraining on the PBT paper's toy problem, the peer of ToyPbtBench.

Same protocol as bench/pbt/ToyPbtBench.java: theta = (0.9, 0.9), learning rate 0.01, the population
starts at uniform h in [0, 1]^2 (seeded), perturbs every INTERVAL steps (one step per training
iteration), quantile 0.25, resample probability 0.25, factors 1.2 / 0.8 (Ray's defaults), until
POPULATION x STEPS steps are spent (ray_pbt_common.py). Prints CSV rows: method,seed,q,steps.

Usage: python ray_pbt_toy.py SEEDS POPULATION INTERVAL STEPS
"""
import json
import os
import sys
import tempfile

from ray import tune
from ray.tune import Checkpoint

from ray_pbt_common import run_pbt


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
        result = {"q": q(theta), "step": step, "trained": 1}
        if step % interval == 0:
            with tempfile.TemporaryDirectory() as d:
                with open(os.path.join(d, "state.json"), "w") as f:
                    json.dump({"theta": theta, "step": step}, f)
                tune.report(result, checkpoint=Checkpoint.from_directory(d))
        else:
            tune.report(result)


def main():
    seeds, population, interval, steps = (int(a) for a in sys.argv[1:5])
    print("method,seed,q,steps", flush=True)
    for seed in range(seeds):
        best, spent = run_pbt(
            seed, population, trainable,
            param_space={"interval": interval, "h0": tune.uniform(0, 1), "h1": tune.uniform(0, 1)},
            mutations={"h0": tune.uniform(0, 1), "h1": tune.uniform(0, 1)},
            metric="q", time_attr="training_iteration", interval=interval,
            total=population * steps, prefix="ray-pbt-toy-")
        print(f"ray-pbt,{seed},{best:.6f},{spent}", flush=True)


if __name__ == "__main__":
    main()
