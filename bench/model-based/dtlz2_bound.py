"""Upper estimate of the hypervolume that N points can reach on DTLZ2's Pareto front.

DTLZ2 (3 objectives) has the unit sphere's positive octant as its front; with the bench's
reference point 1.1 per objective the optimal hypervolume (infinitely many points) is
1.1^3 - pi/6 = 0.8074. A study of T trials has at most T points on the front, so its hypervolume
is at most that of the best T-point subset of the front. This script estimates that bound two
ways: Das-Dennis lattices projected onto the sphere, and a greedy hypervolume-maximising
selection from a dense sample of the front (a near-optimal mu-distribution). Both use Optuna's
exact hypervolume. Usage: python dtlz2_bound.py [max_points] [seed]
"""

import math
import sys

import numpy as np
from optuna._hypervolume import compute_hypervolume

REFERENCE = np.array([1.1, 1.1, 1.1])
OPTIMUM = 1.1**3 - math.pi / 6


def das_dennis(divisions):
    points = [
        [i, j, divisions - i - j]
        for i in range(divisions + 1)
        for j in range(divisions + 1 - i)
    ]
    lattice = np.array(points, dtype=float) / divisions
    return lattice / np.linalg.norm(lattice, axis=1)[:, None]


def greedy(max_points, seed, dense=4000, candidates_per_step=400):
    rng = np.random.default_rng(seed)
    sphere = np.abs(rng.normal(size=(dense, 3)))
    sphere /= np.linalg.norm(sphere, axis=1)[:, None]
    # The three extreme points and the edges matter most for a far reference point.
    sphere = np.vstack([np.eye(3), sphere])
    chosen = []
    out = {}
    for n in range(1, max_points + 1):
        pool = rng.choice(len(sphere), size=min(candidates_per_step, len(sphere)), replace=False)
        pool = np.union1d(pool, [0, 1, 2])
        best, best_hv = None, -1.0
        for c in pool:
            if c in chosen:
                continue
            hv = compute_hypervolume(sphere[chosen + [c]], REFERENCE)
            if hv > best_hv:
                best, best_hv = c, hv
        chosen.append(best)
        out[n] = best_hv
    return out


def main():
    max_points = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    print(f"optimal hypervolume {OPTIMUM:.4f}; 0.95 of it is {0.95 * OPTIMUM:.4f}")
    print("Das-Dennis lattice on the front:")
    for divisions in (8, 10, 12, 13, 15, 17, 18, 19, 20):
        points = das_dennis(divisions)
        hv = compute_hypervolume(points, REFERENCE)
        print(f"  {len(points):4d} points: HV {hv:.4f} ({hv / OPTIMUM:.3f} of the optimum)")
    print("greedy hypervolume selection on the front:")
    by_size = greedy(max_points, seed)
    for n in sorted(by_size):
        if n % 20 == 0 or n == max_points:
            hv = by_size[n]
            print(f"  {n:4d} points: HV {hv:.4f} ({hv / OPTIMUM:.3f} of the optimum)")


if __name__ == "__main__":
    main()
