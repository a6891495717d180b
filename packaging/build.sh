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
# On Linux the app bundles TensorFlow's CPU build (the same version without the CUDA
# kernels, about 400 MB smaller; the app trains on the CPU). It is unpacked once into
# build/ and put first on the path, so the analysis imports and collects it.
# GANSTUDIO_BUILD_TF=full bundles the environment's TensorFlow as it is.
if [ "$(uname -s)" = Linux ] && [ "${GANSTUDIO_BUILD_TF:-cpu}" = cpu ]; then
  tf_version=$("$python" -c "import importlib.metadata as m; print(m.version('tensorflow'))")
  overlay="$PWD/build/tensorflow-cpu-$tf_version"
  if [ ! -f "$overlay/.complete" ]; then
    rm -rf "$overlay"
    "$python" -m pip install -q --no-deps --no-compile --target "$overlay" \
      "tensorflow-cpu==$tf_version"
    touch "$overlay/.complete"
  fi
  export PYTHONPATH="$overlay${PYTHONPATH:+:$PYTHONPATH}"
fi
"$python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/ganstudio.spec
seconds=$(( $(date +%s) - start ))
size=$(du -sb dist/GANStudio | cut -f1)
echo "built dist/GANStudio in ${seconds} s: $(( size / 1000000 )) MB unpacked"
