#!/usr/bin/env bash
# Install the .deb with apt for real, check what it put where, remove it, and check that
# nothing is left. Needs root and apt (CI and the developers' machines run as root).
# Usage: packaging/linux/test_deb.sh [DEB]   (default: the newest dist/gan-studio_*.deb)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
deb=$(realpath "${1:-$(ls -t "$root"/dist/gan-studio_*.deb | head -1)}")
id=io.github.ganstudio.ganstudio
[ "$(id -u)" = 0 ] || { echo "test_deb.sh needs root (apt install)"; exit 1; }
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq "$deb" > /dev/null
files=$(mktemp)
trap 'rm -f "$files"' EXIT
dpkg -L gan-studio > "$files"
for path in /opt/gan-studio/ganstudio /usr/bin/ganstudio \
  "/usr/share/applications/$id.desktop" "/usr/share/metainfo/$id.metainfo.xml" \
  "/usr/share/icons/hicolor/48x48/apps/$id.png" "/usr/share/icons/hicolor/512x512/apps/$id.png" \
  "/usr/share/icons/hicolor/scalable/apps/$id.svg"; do
  grep -qx "$path" "$files" || { echo "the package lacks $path"; exit 1; }
done
desktop-file-validate "/usr/share/applications/$id.desktop"
# the menu entry resolves: its command is on the PATH and its icon is in the theme
command -v "$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "/usr/share/applications/$id.desktop")" > /dev/null
[ -s "/usr/share/icons/hicolor/256x256/apps/$id.png" ]
version=$(GANSTUDIO_HOME=$(mktemp -d) /usr/bin/ganstudio --version)
echo "installed: $(grep -c . "$files") paths; /usr/bin/ganstudio --version: $version"
apt-get remove -y -qq gan-studio > /dev/null
left=$(while read -r path; do
  if [ -f "$path" ] || [ -L "$path" ]; then echo "$path"; fi  # an `if`: the loop ends with 0
done < "$files")
[ -z "$left" ] || { echo "left after apt remove:"; echo "$left" | head; exit 1; }
[ ! -e /opt/gan-studio ] || { echo "/opt/gan-studio is still there"; exit 1; }
echo "removed: no file of the package is left"
