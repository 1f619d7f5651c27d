#!/usr/bin/env python3
"""A tiny neural network on iris in plain Python: the command-objective example.

Knobflow runs this script once per trial. It reads the trial's parameters from the
KNOBFLOW_PARAMS environment variable (a JSON object) and/or from arguments such as
``--hidden 8`` or ``--lr=0.1`` (arguments win), trains a one-hidden-layer network with
full-batch gradient descent, and prints JSON lines on stdout:

    {"step": 1, "loss": 1.08}          one per epoch: the training loss
    ...
    {"accuracy": 0.95, "latency_ms": 2.1, "train_time_ms": 310.0, "val_loss": 0.12, "loss": 0.1}

``loss`` in the final record is the last epoch's training loss, so a study can minimise the
training loss and have every epoch reported to it (see study-advisor.yaml).

``accuracy`` is measured on a fixed stratified hold-out (every fourth row of each class);
``latency_ms`` is the median time to predict 1,000 rows (the hold-out rows repeated) after
a warm-up. Only the standard library is used, so any Python 3.8+ runs it.
"""

import json
import math
import os
import random
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# name -> (type, default); the study file declares the ranges Knobflow samples from.
PARAMS = {
    "lr": (float, 0.1),
    "hidden": (int, 8),
    "epochs": (int, 50),
    "l2": (float, 1e-4),
    "seed": (int, 0),
    "data": (str, os.path.join(HERE, "iris.csv")),
}


def fail(message):
    print("train.py: " + message, file=sys.stderr)
    sys.exit(2)


def convert(name, value):
    kind = PARAMS[name][0]
    try:
        if kind is int:
            as_float = float(value)
            if as_float != int(as_float):
                raise ValueError
            return int(as_float)
        return kind(value)
    except (TypeError, ValueError):
        fail("parameter '%s' must be %s, got %r" % (name, kind.__name__, value))


def read_params(argv, environ):
    params = {name: default for name, (_, default) in PARAMS.items()}
    given = {}
    raw = environ.get("KNOBFLOW_PARAMS")
    if raw:
        try:
            decoded = json.loads(raw)
        except ValueError as e:
            fail("KNOBFLOW_PARAMS is not valid JSON: %s" % e)
        if not isinstance(decoded, dict):
            fail("KNOBFLOW_PARAMS must be a JSON object, got %s" % type(decoded).__name__)
        given.update(decoded)
    i = 0
    while i < len(argv):
        arg = argv[i]
        if not arg.startswith("--"):
            fail("unexpected argument %r; use --name value or --name=value" % arg)
        if "=" in arg:
            name, value = arg[2:].split("=", 1)
        else:
            if i + 1 >= len(argv):
                fail("argument %s needs a value" % arg)
            name, value = arg[2:], argv[i + 1]
            i += 1
        given[name] = value
        i += 1
    for name, value in given.items():
        if name not in PARAMS:
            fail("unknown parameter '%s'; known: %s" % (name, ", ".join(sorted(PARAMS))))
        params[name] = convert(name, value)
    if params["hidden"] < 1 or params["epochs"] < 1:
        fail("hidden and epochs must be at least 1, got %d and %d" % (params["hidden"], params["epochs"]))
    if params["lr"] <= 0 or params["l2"] < 0:
        fail("lr must be positive and l2 not negative, got %g and %g" % (params["lr"], params["l2"]))
    return params


def load(path):
    with open(path) as f:
        lines = [line.strip() for line in f if line.strip()]
    header = lines[0].split(",")
    if header[-1] != "target":
        fail("%s: the last column must be 'target', got %r" % (path, header[-1]))
    rows, labels = [], []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split(",")
        if len(cells) != len(header):
            fail("%s:%d: expected %d cells, found %d" % (path, number, len(header), len(cells)))
        try:
            rows.append([float(c) for c in cells[:-1]])
            labels.append(int(float(cells[-1])))
        except ValueError:
            fail("%s:%d: a cell is not a number" % (path, number))
    return rows, labels


def split(labels):
    """Every fourth row of each class is held out: stratified and the same every run."""
    seen, train, test = {}, [], []
    for i, label in enumerate(labels):
        k = seen.get(label, 0)
        seen[label] = k + 1
        (test if k % 4 == 3 else train).append(i)
    return train, test


def standardize(rows, train):
    columns = len(rows[0])
    means = [statistics.fmean(rows[i][j] for i in train) for j in range(columns)]
    stds = [statistics.pstdev([rows[i][j] for i in train]) or 1.0 for j in range(columns)]
    return [[(r[j] - means[j]) / stds[j] for j in range(columns)] for r in rows]


class Network:
    """inputs -> tanh hidden layer -> softmax over classes."""

    def __init__(self, inputs, hidden, classes, rng):
        scale1, scale2 = 1 / math.sqrt(inputs), 1 / math.sqrt(hidden)
        self.w1 = [[rng.gauss(0, scale1) for _ in range(inputs)] for _ in range(hidden)]
        self.b1 = [0.0] * hidden
        self.w2 = [[rng.gauss(0, scale2) for _ in range(hidden)] for _ in range(classes)]
        self.b2 = [0.0] * classes

    def forward(self, x):
        h = [math.tanh(sum(w * v for w, v in zip(row, x)) + b) for row, b in zip(self.w1, self.b1)]
        z = [sum(w * v for w, v in zip(row, h)) + b for row, b in zip(self.w2, self.b2)]
        top = max(z)
        e = [math.exp(v - top) for v in z]
        total = sum(e)
        return h, [v / total for v in e]

    def predict(self, rows):
        out = []
        for x in rows:
            p = self.forward(x)[1]
            out.append(p.index(max(p)))
        return out

    def step(self, xs, ys, lr, l2):
        """One full-batch gradient step; returns the mean cross-entropy before the step."""
        n = len(xs)
        g_w1 = [[0.0] * len(self.w1[0]) for _ in self.w1]
        g_b1 = [0.0] * len(self.b1)
        g_w2 = [[0.0] * len(self.w2[0]) for _ in self.w2]
        g_b2 = [0.0] * len(self.b2)
        loss = 0.0
        for x, y in zip(xs, ys):
            h, p = self.forward(x)
            loss -= math.log(max(p[y], 1e-15))
            dz = [pk - (1.0 if k == y else 0.0) for k, pk in enumerate(p)]
            dh = [0.0] * len(h)
            for k, d in enumerate(dz):
                row, grow = self.w2[k], g_w2[k]
                g_b2[k] += d
                for j, hj in enumerate(h):
                    grow[j] += d * hj
                    dh[j] += d * row[j]
            for j, hj in enumerate(h):
                da = dh[j] * (1 - hj * hj)
                g_b1[j] += da
                grow = g_w1[j]
                for i, xi in enumerate(x):
                    grow[i] += da * xi
        for w, g in ((self.w1, g_w1), (self.w2, g_w2)):
            for row, grow in zip(w, g):
                for j in range(len(row)):
                    row[j] -= lr * (grow[j] / n + l2 * row[j])
        for b, g in ((self.b1, g_b1), (self.b2, g_b2)):
            for j in range(len(b)):
                b[j] -= lr * g[j] / n
        return loss / n


def emit(record):
    print(json.dumps(record), flush=True)


def main(argv, environ):
    params = read_params(argv, environ)
    rows, labels = load(params["data"])
    train, test = split(labels)
    rows = standardize(rows, train)
    xs, ys = [rows[i] for i in train], [labels[i] for i in train]
    vx, vy = [rows[i] for i in test], [labels[i] for i in test]

    net = Network(len(rows[0]), params["hidden"], max(labels) + 1, random.Random(params["seed"]))
    start = time.perf_counter()
    loss = float("nan")
    for epoch in range(1, params["epochs"] + 1):
        loss = net.step(xs, ys, params["lr"], params["l2"])
        if not math.isfinite(loss):
            fail("training diverged at epoch %d (loss %s); try a smaller lr" % (epoch, loss))
        emit({"step": epoch, "loss": round(loss, 6)})
    train_ms = (time.perf_counter() - start) * 1000

    predictions = net.predict(vx)
    accuracy = sum(p == y for p, y in zip(predictions, vy)) / len(vy)
    val_loss = -statistics.fmean(math.log(max(net.forward(x)[1][y], 1e-15)) for x, y in zip(vx, vy))

    batch = [vx[i % len(vx)] for i in range(1000)]
    net.predict(batch)  # warm-up
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        net.predict(batch)
        times.append((time.perf_counter() - t0) * 1000)
    emit(
        {
            "accuracy": accuracy,
            "latency_ms": round(statistics.median(times), 4),
            "train_time_ms": round(train_ms, 2),
            "val_loss": round(val_loss, 6),
            "loss": round(loss, 6),
        }
    )


if __name__ == "__main__":
    main(sys.argv[1:], os.environ)
