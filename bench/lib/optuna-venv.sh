#!/usr/bin/env bash
# Creates (once) the peer's virtual environment: Optuna 5.0.0 from PyPI, isolated from the system.
# Usage: source bench/lib/optuna-venv.sh   -> sets OPTUNA_PY to the venv's python.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${KNOBFLOW_OPTUNA_VENV:-$BENCH_DIR/.venv-optuna}"
if ! "$VENV/bin/python" -c 'import optuna, sys; sys.exit(optuna.__version__ != "5.0.0")' 2>/dev/null; then
  echo "bench: installing optuna==5.0.0 into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "optuna==5.0.0" >&2
fi
OPTUNA_PY="$VENV/bin/python"
export OPTUNA_PY
