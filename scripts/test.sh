#!/usr/bin/env bash
# Install everything the tests need (system packages when run as root, the virtual
# environment, test tools) and run the linters and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: a virtual X server for the real-window tests and PortAudio for playback;
# for the packaging checks: X window tools, the desktop-entry and AppStream validators, the
# SVG rasteriser of the icon test and objdump.
pkgs="xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3 libportaudio2"
pkgs="$pkgs xdotool x11-utils desktop-file-utils appstream librsvg2-bin binutils"
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing system packages:$missing"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  else
    echo "Missing system packages:$missing (install them as root; related tests will be skipped)"
  fi
fi

scripts/setup.sh test
# The test data: ../shared beside the project or, for a clone made elsewhere, beside the
# local repository it was cloned from (GANSTUDIO_SHARED overrides both).
if [ -z "${GANSTUDIO_SHARED:-}" ] && [ ! -d ../shared ]; then
  origin=$(git config --get remote.origin.url 2> /dev/null || true)
  origin=${origin%/.git}
  if [ -n "$origin" ] && [ -d "$origin/../shared" ]; then
    GANSTUDIO_SHARED=$(cd "$origin/../shared" && pwd)
    export GANSTUDIO_SHARED
  fi
fi
export QT_QPA_PLATFORM=offscreen TF_CPP_MIN_LOG_LEVEL=2
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports
.venv/bin/python -m pytest "$@"

# The installable application, on a full run (no pytest arguments) unless
# GANSTUDIO_SKIP_PACKAGING=1: the wheel in a fresh venv, the frozen app and its smoke
# test, the .deb (installed and removed for real when run as root).
if [ $# -eq 0 ] && [ "${GANSTUDIO_SKIP_PACKAGING:-0}" != 1 ]; then
  scripts/check_wheel.sh
  packaging/build.sh
  packaging/smoke_test.sh
  packaging/linux/build_deb.sh
  if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    packaging/linux/test_deb.sh
  fi
fi
