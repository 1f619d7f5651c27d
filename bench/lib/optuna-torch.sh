#!/usr/bin/env bash
# Adds torch, scipy and greenlet (for Optuna's GPSampler and QMCSampler) to the venv of optuna-venv.sh, once.
# PyPI has only the CUDA build of torch for Linux: a download of several GB the first time; it runs
# on the CPU. Source after bench/lib/optuna-venv.sh; sets OPTUNA_TORCH=1 when both import, else 0
# (the caller then skips GPSampler with a printed reason). KNOBFLOW_BENCH_NO_TORCH=1 skips the install.
if ! "$OPTUNA_PY" -c 'import torch, scipy, greenlet' 2>/dev/null && [ "${KNOBFLOW_BENCH_NO_TORCH:-0}" != 1 ]; then
  echo "bench: installing torch and scipy into the Optuna venv for GPSampler (several GB, once)" >&2
  "$OPTUNA_PY" -m pip install -q --disable-pip-version-check torch scipy greenlet >&2 || true
fi
if "$OPTUNA_PY" -c 'import torch, scipy' 2>/dev/null; then
  OPTUNA_TORCH=1
else
  OPTUNA_TORCH=0
fi
export OPTUNA_TORCH
