#!/usr/bin/env python3
"""Golden numbers for CmaEsTest.updatesLikeTheCmaesLibrary: cmaes 0.13.1's CMA.tell on points drawn as
m + sigma * L z (L the Cholesky factor of C, which is unique, z a fixed golden-ratio sequence)."""
import numpy as np
from cmaes import CMA
n = 4
v = np.array([1.0, 2.0, 3.0, 4.0]); Q = np.eye(n) - 2 * np.outer(v, v) / v.dot(v)
def f(x):
    y = Q.dot(x - 0.55)
    return sum(10 ** (2 * i / (n - 1)) * y[i] ** 2 for i in range(n))
opt = CMA(mean=np.full(n, 0.5), sigma=0.2)
k = 0
for g in range(20):
    L = np.linalg.cholesky(opt._C)
    sols = []
    for _ in range(opt.population_size):
        z = np.array([4 * (((k + i) * 0.6180339887498949) % 1.0) - 2 for i in range(n)]); k += n
        x = opt.mean + opt._sigma * L.dot(z)
        sols.append((x, f(x)))
    opt.tell(sols)
print(opt.population_size, opt.generation)
print("mean", ", ".join(repr(float(m)) for m in opt.mean))
print("sigma", repr(float(opt._sigma)))
print("C", ", ".join(repr(float(c)) for c in opt._C.flatten()))
