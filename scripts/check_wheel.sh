#!/usr/bin/env bash
# Build GAN Studio's wheel, install it into a fresh virtual environment (not editable) and
# check it there: the icons are package data, `ganstudio --version`, three training steps
# headless, and the window under Xvfb with its icon. pip's cache keeps a second run quick.
# Usage: scripts/check_wheel.sh   (GANSTUDIO_WHEEL_PYTHON: a python with `build`; default .venv)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=${GANSTUDIO_WHEEL_PYTHON:-$root/.venv/bin/python}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset PYTHONPATH  # a checkout on the path would make pip skip the install
t0=$(date +%s)
"$python" -m build --wheel --outdir "$work/dist" "$root" > "$work/build.log" 2>&1 \
  || { cat "$work/build.log"; exit 1; }
wheel=$(ls "$work"/dist/ganstudio-*.whl)
"$python" - "$wheel" "$root" <<'PY' || { echo "the wheel lacks the icons"; exit 1; }
import sys
import zipfile
from pathlib import Path

icons = {p.relative_to(sys.argv[2]).as_posix() for p in Path(sys.argv[2]).glob("ganstudio/resources/icons/*.png")}
sys.exit(not icons or not icons <= set(zipfile.ZipFile(sys.argv[1]).namelist()))
PY
base=$("$python" -c 'import sys; print(sys._base_executable)')  # not the venv's own python
"$base" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q --no-compile "$wheel"
echo "wheel $(basename "$wheel") built and installed into a fresh venv in $(( $(date +%s) - t0 )) s"

cd "$work"  # away from the checkout, so only the installed package can be imported
export GANSTUDIO_HOME="$work/home" TF_CPP_MIN_LOG_LEVEL=2
"$work/venv/bin/ganstudio" --version
"$work/venv/bin/python" - "$work/venv" <<'PY'
import sys
from pathlib import Path

import ganstudio
from ganstudio.resources import icon_paths

venv = Path(sys.argv[1])
assert Path(ganstudio.__file__).is_relative_to(venv), ganstudio.__file__
assert all(p.is_relative_to(venv) for p in icon_paths()), icon_paths()
print(f"installed package and icons under {venv}")
PY
"$work/venv/bin/ganstudio" train --steps 3 --dataset digits --limit 256 --sample-every 3 \
  --checkpoint-every 3 --run-dir "$work/run" --quiet
[ -s "$work/run/generator/generator.keras" ] || { echo "training wrote no generator"; exit 1; }
python3 "$root/packaging/xwindow.py" window -- "$work/venv/bin/ganstudio" \
  || { echo "the installed window did not appear with its icon"; exit 1; }
echo "wheel check passed in $(( $(date +%s) - t0 )) s"
