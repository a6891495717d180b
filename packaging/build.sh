#!/usr/bin/env bash
# Build the frozen app dist/GANStudio/ (PyInstaller, one folder) from a checkout.
# Uses the project's .venv (made or updated by scripts/setup.sh with the "package" extra);
# GANSTUDIO_BUILD_PYTHON=/path/to/python uses another environment that has GAN Studio's
# dependencies and PyInstaller. Prints the build time and the size.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${GANSTUDIO_BUILD_PYTHON:-}
if [ -z "$python" ]; then
  scripts/setup.sh package
  python=.venv/bin/python
fi
start=$(date +%s)
"$python" -m PyInstaller --noconfirm --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/ganstudio.spec
seconds=$(( $(date +%s) - start ))
size=$(du -sb dist/GANStudio | cut -f1)
echo "built dist/GANStudio in ${seconds} s: $(( size / 1000000 )) MB unpacked"
