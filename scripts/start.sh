#!/usr/bin/env bash
# Install what GAN Studio needs (first run only) and open the window.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/ganstudio "$@"
