"""Writes one shared start-up design per problem and seed for the paired comparison.

Each sampler's first trials are a handful of space-filling or random points, and on a multimodal
problem such as Hartmann-6 those few points decide which basin a GP sampler settles in: with
10 seeds, the luck of the two sides' start-up draws can outweigh any difference between the
models. With this file both sides enqueue the same first points (uniform in the problem's box,
numpy's PCG64 seeded by problem and seed, neutral to both samplers), so the comparison measures
what the samplers do after them.

Usage: startup_design.py OUT SEEDS POINTS [problems]
"""

import json
import sys

import numpy as np

from optuna_bench import PROBLEMS


def main():
    out, seeds, points = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    problems = (sys.argv[4] if len(sys.argv) > 4 else ",".join(PROBLEMS)).split(",")
    design = {}
    for index, (name, (low, high, _, _)) in enumerate(PROBLEMS.items()):
        if name not in problems:
            continue
        design[name] = {}
        for seed in range(seeds):
            rng = np.random.default_rng([seed, index])
            unit = rng.random((points, len(low)))
            design[name][str(seed)] = (np.array(low) + unit * (np.array(high) - np.array(low))).tolist()
    with open(out, "w") as f:
        json.dump(design, f)


if __name__ == "__main__":
    main()
