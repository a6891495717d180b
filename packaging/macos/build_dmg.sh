#!/usr/bin/env bash
# NOT YET BUILT (no Mac here): written from the hdiutil and PyInstaller documentation.
# Pack "dist/GAN Studio.app" (packaging/build.sh on a Mac builds it from the same spec) into
# dist/GANStudio-VERSION-macos-ARCH.dmg: the app beside a link to /Applications.
# The app is signed ad hoc by PyInstaller; Gatekeeper asks before its first start until it
# is signed with a Developer ID and notarised (codesign, xcrun notarytool).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
app="$root/dist/GAN Studio.app"
[ -d "$app" ] || { echo "no $app (run packaging/build.sh on macOS)"; exit 1; }
version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$root/ganstudio/__init__.py")
out="$root/dist/GANStudio-$version-macos-$(uname -m).dmg"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
hdiutil create -volname "GAN Studio" -srcfolder "$stage" -ov -format UDZO "$out"
echo "built $(basename "$out"): $(( $(stat -f %z "$out") / 1000000 )) MB"
