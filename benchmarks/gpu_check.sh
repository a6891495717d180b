#!/usr/bin/env bash
# GPU check (under 5 minutes on one GPU): steps/s of DCGAN at 64x64, batch 256, plain, with
# mixed precision, with XLA and with MirroredStrategy on one GPU; every loss must stay
# finite. Prints a table; exits non-zero on failure. Without a GPU it says so and runs the
# same code paths at tiny sizes (exit 0 when they pass).
#   bash benchmarks/gpu_check.sh [--steps 100] [--warmup 20] [--batch 256]
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-}
if [[ -z "$python" ]]; then
    if [[ -x .venv/bin/python ]]; then python=.venv/bin/python; else python=python3; fi
fi
exec "$python" benchmarks/gpu_check.py "$@"
