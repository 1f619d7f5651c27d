"""Ray Tune 2.60's PopulationBasedTraining on the digits MLP, the peer of DigitsPbtBench.java.

Ray's function trainable trains through the same Java trainer as Knobflow's side
(dev.knobflow.examples.djl.MlpSegmentTrainer), served by bench/pbt/MlpTrainServer.java: each
segment is one request (from the checkpoint Ray hands the trainable, to INTERVAL epochs further, at
the trial's learning rate and weight decay), and the weights it writes go back into Ray's checkpoint
API. Same protocol as Knobflow's side: POPULATION members, a perturbation every INTERVAL epochs
(time_attr "epoch"), learning rate log-uniform in [1e-3, 1] and weight decay log-uniform in
[1e-5, 0.1], the PBT set-up of ray_pbt_common.py, until the population has reported POPULATION x
EPOCHS epochs of training (its experiment stopper); the model seed is the benchmark seed. The score
is the best last held-out accuracy of the population's trials; the epochs are those the server
actually trained. Prints CSV rows: method,seed,accuracy,epochs.

Usage: python ray_pbt_digits.py SEEDS POPULATION INTERVAL EPOCHS SERVER_PORT
"""
import os
import shutil
import socket
import sys
import tempfile

from ray import tune
from ray.tune import Checkpoint

from ray_pbt_common import run_pbt

CKPT = "mlp.ckpt"


def request(port, line):
    with socket.create_connection(("127.0.0.1", port)) as s:
        f = s.makefile("rw", encoding="utf-8")
        f.write(line + "\n")
        f.flush()
        reply = f.readline().split()
    if not reply or reply[0] != "ok":
        raise RuntimeError(f"trainer server: {' '.join(reply)} (request: {line})")
    return reply[1:]


def trainable(config):
    work = tempfile.mkdtemp(prefix="ray-pbt-digits-")
    try:
        restore = "-"
        epoch = 0
        checkpoint = tune.get_checkpoint()
        if checkpoint:
            with checkpoint.as_directory() as d:
                restore = os.path.join(work, "restored.ckpt")
                shutil.copyfile(os.path.join(d, CKPT), restore)
                with open(os.path.join(d, "epoch")) as f:
                    epoch = int(f.read())
        while True:
            to = epoch + config["interval"]
            save = os.path.join(work, f"e{to}.ckpt")
            acc, epoch, trained = request(
                config["port"],
                f"train {config['seed']} {to} {config['lr']!r} {config['weight_decay']!r} "
                f"{restore} {save}")
            epoch = int(epoch)
            with tempfile.TemporaryDirectory() as d:
                shutil.copyfile(save, os.path.join(d, CKPT))
                with open(os.path.join(d, "epoch"), "w") as f:
                    f.write(str(epoch))
                tune.report({"accuracy": float(acc), "epoch": epoch, "trained": int(trained)},
                            checkpoint=Checkpoint.from_directory(d))
            if restore != "-":
                os.remove(restore)
            restore = save
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    seeds, population, interval, epochs, port = (int(a) for a in sys.argv[1:6])
    print("method,seed,accuracy,epochs", flush=True)
    for seed in range(seeds):
        best, _ = run_pbt(
            seed, population, tune.with_resources(trainable, {"cpu": 1}),
            param_space={"seed": seed, "port": port, "interval": interval,
                         "lr": tune.loguniform(1e-3, 1.0),
                         "weight_decay": tune.loguniform(1e-5, 0.1)},
            mutations={"lr": tune.loguniform(1e-3, 1.0),
                       "weight_decay": tune.loguniform(1e-5, 0.1)},
            metric="accuracy", time_attr="epoch", interval=interval,
            total=population * epochs, prefix="ray-pbt-digits-")
        # The epochs the trainer server actually trained for this seed, segments in flight when
        # the stopper fired and those Ray threw away on exploiting included.
        spent = int(request(port, f"spent {seed}")[0])
        print(f"ray-pbt,{seed},{best:.6f},{spent}", flush=True)


if __name__ == "__main__":
    main()
