#!/usr/bin/env python3
"""A stand-in for nvidia-smi that replays a JSON fixture, for Knobflow's tests and benchmark.

Usage: fake_nvidia_smi.py --fixture F.json [--state DIR] <nvidia-smi arguments>

Understands the nvidia-smi arguments Knobflow uses:
  --query-gpu=a,b,c --format=csv,noheader,nounits [-lms N | -l N]   and   -L
Fixture keys:
  gpus            list of objects: index, uuid, name, and one value per query field; a value
                  is a string or a list of strings cycled per tick; a missing field prints [N/A]
  reject_fields   fields this "driver" does not know (nvidia-smi's error, exit 2)
  mig             {"GPU-uuid": ["MIG-uuid", ...]} for -L
  garbage_every   print the garbage lines after every N-th tick
  garbage         list of lines
  die_after_ticks the first die_runs sampler runs exit with status 1 after this many ticks
  die_runs        (default 1); runs are counted in --state DIR
  stall_after_ticks the first die_runs sampler runs hang silently after this many ticks
  restart_delay_ms the sampler runs after the first die_runs wait this long before their first
                  reading (a slow driver re-initialisation), so a restart always leaves a gap
  fail_probe      print this text and exit 9 on every call (driver not loaded)
"""
import datetime
import json
import os
import sys
import time

KNOWN_FIELDS = {
    "timestamp", "index", "uuid", "name", "power.draw", "power.draw.instant",
    "power.draw.average", "utilization.gpu", "memory.used", "memory.total",
}


def main(argv):
    fixture_path, state_dir, query, loop_ms, list_gpus = None, None, None, None, False
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--fixture":
            fixture_path = argv[i + 1]; i += 1
        elif a == "--state":
            state_dir = argv[i + 1]; i += 1
        elif a.startswith("--query-gpu="):
            query = a[len("--query-gpu="):].split(",")
        elif a.startswith("--format="):
            pass
        elif a == "-lms":
            loop_ms = int(argv[i + 1]); i += 1
        elif a == "-l":
            loop_ms = int(argv[i + 1]) * 1000; i += 1
        elif a == "-L":
            list_gpus = True
        else:
            print(f'Invalid combination of input arguments: {a}', flush=True)
            return 2
        i += 1
    with open(fixture_path) as f:
        fx = json.load(f)
    if "fail_probe" in fx:
        print(fx["fail_probe"], flush=True)
        return 9
    gpus = fx.get("gpus", [])
    if list_gpus:
        for g in gpus:
            print(f'GPU {g["index"]}: {g["name"]} (UUID: {g["uuid"]})')
            for n, mig in enumerate(fx.get("mig", {}).get(g["uuid"], [])):
                print(f'  MIG 1g.10gb     Device  {n}: (UUID: {mig})')
        return 0
    if query is None:
        print("fake nvidia-smi: only --query-gpu and -L are supported", flush=True)
        return 2
    supported = KNOWN_FIELDS - set(fx.get("reject_fields", []))
    for field in query:
        if field not in supported:
            print(f'Field "{field}" is not a valid field to query.', flush=True)
            print("", flush=True)
            return 2

    run = 0
    if state_dir and loop_ms is not None:
        counter = os.path.join(state_dir, "sampler-runs")
        run = int(open(counter).read()) if os.path.exists(counter) else 0
        with open(counter, "w") as f:
            f.write(str(run + 1))
    die_after = fx.get("die_after_ticks")
    dies = die_after is not None and run < fx.get("die_runs", 1)
    stall_after = fx.get("stall_after_ticks")
    stalls = stall_after is not None and run < fx.get("die_runs", 1)
    garbage_every = fx.get("garbage_every")
    restart_delay = fx.get("restart_delay_ms")
    if restart_delay and loop_ms is not None and run >= fx.get("die_runs", 1):
        time.sleep(restart_delay / 1000.0)
    out = sys.stdout
    tick = 0
    try:
        while True:
            now = datetime.datetime.now()
            stamp = now.strftime("%Y/%m/%d %H:%M:%S.") + f"{now.microsecond // 1000:03d}"
            lines = []
            for g in gpus:
                cells = []
                for field in query:
                    if field == "timestamp":
                        cells.append(stamp)
                        continue
                    v = g.get(field, "[N/A]")
                    if isinstance(v, list):
                        v = v[tick % len(v)]
                    cells.append(str(v))
                lines.append(", ".join(cells))
            out.write("\n".join(lines) + "\n")
            tick += 1
            if garbage_every and tick % garbage_every == 0:
                out.write("\n".join(fx.get("garbage", [])) + "\n")
            out.flush()
            if loop_ms is None:
                return 0
            if stalls and tick >= stall_after:
                time.sleep(3600)
            if dies and tick >= die_after:
                out.write("Unable to determine the device handle for GPU0000:00:00.0: Unknown Error\n")
                out.flush()
                return 1
            time.sleep(loop_ms / 1000.0)
    except (BrokenPipeError, KeyboardInterrupt):
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
