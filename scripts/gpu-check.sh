#!/usr/bin/env bash
# Knobflow green-metrics GPU check: is energy integrated from Knobflow's nvidia-smi sampling
# within 5% of NVML's hardware energy counter?
#
# What it does, on a machine with an NVIDIA GPU (Volta or newer), PyTorch with CUDA, and
# nvidia-ml-py:
#   1. probes nvidia-smi exactly like Knobflow (drops power.draw.instant if the driver rejects it),
#   2. starts Knobflow's exact sampler query:
#        nvidia-smi --query-gpu=timestamp,index,uuid,power.draw,power.draw.instant,utilization.gpu,memory.used
#                   --format=csv,noheader,nounits -lms 100
#   3. reads NVML's total energy counter (nvmlDeviceGetTotalEnergyConsumption, mJ),
#   4. runs a known matrix-multiplication load for DURATION seconds (default 20),
#   5. reads the NVML counter again, stops the sampler,
#   6. integrates the sampled power over the same interval with Knobflow's trapezoidal rule
#      (edges interpolated, gaps > 3 intervals uncovered, instant power preferred), and
#   7. prints both energies and their ratio, and saves the captured CSV (usable as a test fixture).
#
# Usage: scripts/gpu-check.sh [--gpu INDEX] [--seconds N] [--interval-ms MS] [--out DIR]
# Exit status: 0 within 5%, 1 outside, 2 missing prerequisites.
# Target: |integrated / NVML - 1| <= 5%.
set -euo pipefail

GPU=0
SECONDS_LOAD=20
INTERVAL_MS=100
OUT="gpu-check-$(date -u +%Y%m%dT%H%M%SZ)"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --gpu) GPU="$2"; shift 2 ;;
    --seconds) SECONDS_LOAD="$2"; shift 2 ;;
    --interval-ms) INTERVAL_MS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

fail() { echo "gpu-check: $*" >&2; exit 2; }
command -v nvidia-smi >/dev/null 2>&1 || fail "nvidia-smi not found on PATH: install the NVIDIA driver utilities"
command -v python3 >/dev/null 2>&1 || fail "python3 not found on PATH"
nvidia-smi -L >/dev/null 2>&1 || fail "nvidia-smi cannot talk to the driver: $(nvidia-smi -L 2>&1 | head -2)"
python3 -c 'import torch' 2>/dev/null || fail "PyTorch is not installed: pip install torch (a CUDA build)"
python3 -c 'import pynvml' 2>/dev/null || fail "nvidia-ml-py is not installed: pip install nvidia-ml-py"

mkdir -p "$OUT"
# Make torch's cuda:0 the GPU nvidia-smi and NVML call INDEX (both use PCI bus order).
export CUDA_DEVICE_ORDER=PCI_BUS_ID
export CUDA_VISIBLE_DEVICES="$GPU"

exec python3 - "$GPU" "$SECONDS_LOAD" "$INTERVAL_MS" "$OUT" <<'PY'
import datetime, json, os, subprocess, sys, threading, time

gpu, seconds, interval_ms, out = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]

import pynvml
import torch

def die(message):
    print("gpu-check: " + message, file=sys.stderr)
    sys.exit(2)

if not torch.cuda.is_available():
    die("torch.cuda.is_available() is False: install a CUDA build of PyTorch")

FIELDS = ["timestamp", "index", "uuid", "power.draw", "power.draw.instant",
          "utilization.gpu", "memory.used"]
FORMAT = "--format=csv,noheader,nounits"

# 1. Probe, exactly like NvidiaSmiSource.
probe = ["index", "uuid", "name", "power.draw", "power.draw.instant"]
r = subprocess.run(["nvidia-smi", "--query-gpu=" + ",".join(probe), FORMAT],
                   capture_output=True, text=True)
out_text = r.stdout + r.stderr
instant = True
if r.returncode != 0 and '"power.draw.instant"' in out_text and "is not a valid field" in out_text:
    instant = False
    FIELDS.remove("power.draw.instant")
    probe.remove("power.draw.instant")
    r = subprocess.run(["nvidia-smi", "--query-gpu=" + ",".join(probe), FORMAT],
                       capture_output=True, text=True)
if r.returncode != 0:
    die("nvidia-smi probe failed: " + (r.stdout + r.stderr).strip())
print("probe:", r.stdout.strip().replace("\n", " | "))
print("power.draw.instant supported:", instant)

# 2. NVML energy counter.
pynvml.nvmlInit()
handle = pynvml.nvmlDeviceGetHandleByIndex(gpu)
name = pynvml.nvmlDeviceGetName(handle)
try:
    pynvml.nvmlDeviceGetTotalEnergyConsumption(handle)
except pynvml.NVMLError as e:
    die(f"NVML has no energy counter for GPU {gpu} ({name}): {e}; needs Volta or newer")

# 3. Start the sampler with Knobflow's exact command line.
cmd = ["nvidia-smi", "--query-gpu=" + ",".join(FIELDS), FORMAT, "-lms", str(interval_ms)]
print("sampler:", " ".join(cmd))
csv_path = os.path.join(out, "nvidia-smi.csv")
rows = []  # (receive monotonic ns, line)
proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)

def pump():
    for line in proc.stdout:
        rows.append((time.monotonic_ns(), line.rstrip("\n")))

reader = threading.Thread(target=pump, daemon=True)
reader.start()

# 4. Load: fp16 matmuls big enough to saturate the GPU.
dev = torch.device("cuda:0")
n = 8192
a = torch.randn(n, n, device=dev, dtype=torch.float16)
b = torch.randn(n, n, device=dev, dtype=torch.float16)
for _ in range(5):
    a @ b
torch.cuda.synchronize()
time.sleep(2.0)  # idle lead-in so the interval starts with a power step, like a trial

e0 = pynvml.nvmlDeviceGetTotalEnergyConsumption(handle)
t0 = time.monotonic_ns()
iterations = 0
while time.monotonic_ns() - t0 < seconds * 1e9:
    for _ in range(10):
        a @ b
    torch.cuda.synchronize()
    iterations += 10
t1 = time.monotonic_ns()
e1 = pynvml.nvmlDeviceGetTotalEnergyConsumption(handle)
time.sleep(3 * interval_ms / 1000.0 + 0.5)  # one more sample after the end
proc.terminate()
try:
    proc.wait(timeout=2)
except subprocess.TimeoutExpired:
    proc.kill()
reader.join(timeout=2)
pynvml.nvmlShutdown()

with open(csv_path, "w") as f:
    f.write("\n".join(line for _, line in rows) + "\n")
with open(os.path.join(out, "receive-times.txt"), "w") as f:
    f.write("\n".join(str(t) for t, _ in rows) + "\n")

# 5. Parse like NvidiaSmiCsv, align like TimestampAligner, integrate like EnergyAccumulator.
def absent(cell):
    return cell.startswith("[") or cell == "N/A"

samples, samples_avg, garbage = [], [], 0
offset = None
reset = max(1_000_000_000, 10 * interval_ms * 1_000_000)
for recv, line in rows:
    cells = [c.strip() for c in line.split(",")]
    if len(cells) != len(FIELDS):
        garbage += 1
        continue
    try:
        ts = datetime.datetime.strptime(cells[0], "%Y/%m/%d %H:%M:%S.%f")
        idx = int(cells[1])
    except ValueError:
        garbage += 1
        continue
    if idx != gpu:
        continue
    wall = int((ts - datetime.datetime(1970, 1, 1)).total_seconds() * 1e9)
    delay = recv - wall
    if offset is None or delay < offset or delay - offset > reset:
        offset = delay
    t = wall + offset
    draw = cells[FIELDS.index("power.draw")]
    inst = cells[FIELDS.index("power.draw.instant")] if instant else "[N/A]"
    best = inst if not absent(inst) else draw
    if not absent(best):
        samples.append((t, float(best), recv))
    if not absent(draw):
        samples_avg.append((t, float(draw)))

def integrate(points, start, end, max_gap):
    """Knobflow's rule: trapezoids between samples <= max_gap apart, interpolated at the edges,
    flat hold within max_gap at edges without a bounding sample. Returns (joules, coverage)."""
    joules, covered, prev = 0.0, 0, None
    def add(wl, wh, lo, hi):
        nonlocal joules, covered
        if hi > lo:
            joules += (wl + wh) / 2 * (hi - lo) / 1e9
            covered += hi - lo
    def head(p):
        if start < p[0] <= start + max_gap:
            add(p[1], p[1], start, min(p[0], end))
    for p in points:
        if prev is not None and p[0] <= prev[0]:
            continue
        if prev is None:
            head(p)
        elif p[0] - prev[0] <= max_gap:
            lo, hi = max(prev[0], start), min(p[0], end)
            if hi > lo:
                f = lambda t: prev[1] + (t - prev[0]) / (p[0] - prev[0]) * (p[1] - prev[1])
                add(f(lo), f(hi), lo, hi)
        elif prev[0] < start:
            head(p)
        prev = p
    if prev is not None and prev[0] < end and end - prev[0] <= max_gap:
        add(prev[1], prev[1], max(prev[0], start), end)
    return joules, covered / (end - start)

max_gap = 3 * interval_ms * 1_000_000
j_nvml = (e1 - e0) / 1000.0
j_int, coverage = integrate([(t, w) for t, w, _ in samples], t0, t1, max_gap)
j_avg, _ = integrate(samples_avg, t0, t1, max_gap)
delays = [recv - t for t, _, recv in samples]
ratio = j_int / j_nvml if j_nvml > 0 else float("nan")
result = {
    "gpu": gpu, "name": name, "seconds": (t1 - t0) / 1e9, "matmul_iterations": iterations,
    "interval_ms": interval_ms, "instant_supported": instant, "rows": len(rows),
    "samples_in_use": len(samples), "garbage_lines": garbage, "coverage": coverage,
    "nvml_joules": j_nvml, "integrated_joules": j_int, "ratio": ratio,
    "integrated_joules_power_draw_only": j_avg,
    "max_delivery_delay_ms": max(delays) / 1e6 if delays else None,
    "sampler_command": " ".join(cmd),
}
with open(os.path.join(out, "result.json"), "w") as f:
    json.dump(result, f, indent=2)
print(json.dumps(result, indent=2))
print(f"\nNVML counter:        {j_nvml:10.1f} J")
print(f"Knobflow integrated: {j_int:10.1f} J  (coverage {coverage:.3f})")
print(f"ratio:               {ratio:10.4f}  (target 0.95 .. 1.05)")
print(f"power.draw only:     {j_avg:10.1f} J  (the 1 s average, for comparison)")
print(f"captured CSV:        {csv_path}")
ok = abs(ratio - 1) <= 0.05
print("PASS" if ok else "FAIL: outside 5%")
sys.exit(0 if ok else 1)
PY
