#!/usr/bin/env bash
# Create (or update) the project's virtual environment in .venv with GAN Studio installed.
# Usage: scripts/setup.sh [extra]   e.g. "test" installs the test tools too.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=.venv/.ganstudio-installed-${1:-base}
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  if [ -n "${1:-}" ]; then
    .venv/bin/python -m pip install -q -e ".[$1]"
  else
    .venv/bin/python -m pip install -q -e .
  fi
  touch "$stamp"
fi
