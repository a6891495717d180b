#!/usr/bin/env bash
# Smoke test of the BUILT app, not the checkout: bash packaging/smoke_test.sh [APP_DIR]
# APP_DIR holds the ganstudio executable (default dist/GANStudio; /opt/gan-studio for the
# .deb). Needs Xvfb, xdotool, x11-utils (xprop) and python3 (standard library only), and
# the test data in ../shared (GANSTUDIO_SHARED). Each step prints one line.
# librosa/numba run before the scripted window: their first compilation (a minute or more
# on a busy machine) then fills the cache the window's audio warm-up reads.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
app=$(cd "${1:-$root/dist/GANStudio}" && pwd)
exe="$app/ganstudio"
shared=${GANSTUDIO_SHARED:-$root/../shared}
[ -x "$exe" ] || { echo "no built app at $exe (run packaging/build.sh)"; exit 1; }
work=$(mktemp -d)
chmod 755 "$work"
cleanup() {
  [ -w "$app" ] || chmod -R u+w "$app" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# the app must stand on its own: no checkout on the path, its own home, no offscreen Qt
unset PYTHONPATH QT_QPA_PLATFORM PYTHONHOME NUMBA_CACHE_DIR
export GANSTUDIO_HOME="$work/home" TF_CPP_MIN_LOG_LEVEL=2
mkdir -p "$GANSTUDIO_HOME"
cd "$work"
xwindow() { python3 "$root/packaging/xwindow.py" "$@"; }
t0=$(date +%s)
step() { printf '%-46s' "$1"; }
ok() { echo "ok ($(( $(date +%s) - t0 )) s) ${1:-}"; t0=$(date +%s); }

step "1. window appears with its icon"
report=$(xwindow window --timeout 300 -- "$exe") || { echo "FAILED $report"; exit 1; }
ok "$report"

step "2. librosa/numba mel, read-only install"
stamp="$work/before-selfcheck"
touch "$stamp"
chmod -R a-w "$app"
as_user=()
if [ "$(id -u)" = 0 ]; then  # root writes anywhere: run the check as nobody
  chown -R 65534:65534 "$GANSTUDIO_HOME"
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$GANSTUDIO_HOME")
fi
report=$("${as_user[@]}" "$exe" selfcheck audio 2> audio.log) \
  || { cat audio.log; echo "FAILED $report"; exit 1; }
written=$(find "$app" -newer "$stamp" | head -3)
[ -z "$written" ] || { echo "the app wrote into its install folder: $written"; exit 1; }
chmod -R u+w "$app"
ok "$report"

step "3. --config --start: DCGAN 20 steps, screenshot"
cat > config.json <<'JSON'
{"model": "dcgan", "dataset": "digits", "dataset_limit": 512, "steps": 20, "batch_size": 32,
 "sample_every": 5, "checkpoint_every": 20, "log_every": 1, "num_samples": 16, "seed": 1}
JSON
GANSTUDIO_SCREENSHOT="$work/window.png" GANSTUDIO_SCREENSHOT_AFTER=4 \
  xwindow run -- "$exe" --config config.json --start > gui.log 2>&1 || { cat gui.log; exit 1; }
[ "$(head -c 8 window.png | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] \
  || { echo "no screenshot"; cat gui.log; exit 1; }
run=$(ls -d "$GANSTUDIO_HOME"/runs/*/ | head -1)
[ -s "$run/metrics.jsonl" ] || { echo "the window's run wrote no metrics"; exit 1; }
ok "$(stat -c %s window.png) byte screenshot, run $(basename "$run")"

step "4. ganstudio train: 3 steps headless"
"$exe" train --steps 3 --dataset digits --limit 256 --sample-every 3 --checkpoint-every 3 \
  --run-dir "$work/run3" --quiet > train.log 2>&1 || { cat train.log; exit 1; }
[ -s "$work/run3/generator/generator.keras" ] || { echo "no exported generator"; exit 1; }
ok "$(tail -1 train.log)"

step "5. playback into the ALSA file sink"
mkdir -p alsa
sed "s#/tmp/ganstudio-played.raw#$work/alsa/played.raw#" \
  "$shared/tools/asoundrc-file-sink" > alsa/.asoundrc
report=$(HOME="$work/alsa" "$exe" selfcheck play 2> play.log) || { cat play.log; exit 1; }
bytes=$(stat -c %s alsa/played.raw 2>/dev/null || echo 0)
[ "$bytes" -ge 32000 ] || { echo "only $bytes bytes reached the sound output"; exit 1; }
ok "$bytes bytes played; $report"

step "6. exported .keras generator loads"
"$exe" sample "$work/run3" -n 4 --out "$work/samples.png" --seed 1 > sample.log 2>&1 \
  || { cat sample.log; exit 1; }
[ -s samples.png ] || { echo "no samples written"; exit 1; }
ok "$(stat -c %s samples.png) byte grid of 4 samples"
echo "smoke test passed: $app"
