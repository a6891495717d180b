#!/usr/bin/env bash
# Build dist/gan-studio_VERSION_ARCH.deb from the frozen app (packaging/build.sh) with dpkg-deb.
#   /opt/gan-studio/            the frozen app
#   /usr/bin/ganstudio          launcher: the window, or the command line with a subcommand
#   /usr/share/applications/    the desktop entry (the application menu)
#   /usr/share/metainfo/        AppStream metainfo (software centres)
#   /usr/share/icons/hicolor/   the icon, 16-512 px and scalable
# No maintainer scripts: dpkg's triggers of the icon theme and the desktop database pick
# the files up, and removing the package removes every file it installed.
# Usage: packaging/linux/build_deb.sh [APP_DIR]   (default dist/GANStudio)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
app=$(cd "${1:-$root/dist/GANStudio}" && pwd)
id=io.github.ganstudio.ganstudio
version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$root/ganstudio/__init__.py")
arch=$(dpkg --print-architecture)
stage="$root/build/deb/gan-studio"
out="$root/dist/gan-studio_${version}_${arch}.deb"
[ -x "$app/ganstudio" ] || { echo "no frozen app in $app (run packaging/build.sh)"; exit 1; }

rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
  "$stage/usr/share/metainfo" "$stage/usr/share/icons/hicolor/scalable/apps"
cp -a "$app" "$stage/opt/gan-studio"
cat > "$stage/usr/bin/ganstudio" <<'SH'
#!/bin/sh
exec /opt/gan-studio/ganstudio "$@"
SH
chmod 755 "$stage/usr/bin/ganstudio"
install -m 644 "$root/resources/linux/$id.desktop" "$stage/usr/share/applications/"
install -m 644 "$root/resources/linux/$id.metainfo.xml" "$stage/usr/share/metainfo/"
install -m 644 "$root/resources/ganstudio.svg" \
  "$stage/usr/share/icons/hicolor/scalable/apps/$id.svg"
for png in "$root"/ganstudio/resources/icons/ganstudio-*.png; do
  size=$(basename "$png" .png | sed 's/ganstudio-//')
  mkdir -p "$stage/usr/share/icons/hicolor/${size}x${size}/apps"
  install -m 644 "$png" "$stage/usr/share/icons/hicolor/${size}x${size}/apps/$id.png"
done

# What the bundle takes from the system (ldd of every bundled ELF file, then dpkg -S):
# OpenGL/EGL, DRM, Wayland and XCB for Qt's window; fontconfig's configuration and fonts;
# ALSA's configuration for the bundled PortAudio (libasound2 is libasound2t64 on newer
# distributions).
system_libs="libgl1, libegl1, libdrm2, libwayland-client0, libxcb1, fontconfig, libasound2 | libasound2t64"
# glibc: the highest GLIBC_ symbol version any bundled ELF file needs (objdump -T)
glibc=$(python3 "$root/packaging/linux/glibc_floor.py" "$app")
cat > "$stage/DEBIAN/control" <<CONTROL
Package: gan-studio
Version: $version
Architecture: $arch
Maintainer: The GAN Studio developers <ganstudio@users.noreply.github.com>
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: libc6 (>= $glibc), $system_libs
Recommends: hicolor-icon-theme, desktop-file-utils
Section: science
Priority: optional
Homepage: https://github.com/ganstudio/ganstudio
Description: train and explore generative adversarial networks
 GAN Studio trains GANs on your own computer and lets you watch them learn:
 live loss curves, sample grids from fixed noise, a latent-space explorer and
 audio GANs you can listen to. The window and the command line (ganstudio
 train, sample, resume, runs) share one engine. This package holds the
 self-contained app (Python, TensorFlow and Qt included) in /opt/gan-studio.
CONTROL
start=$(date +%s)
# zstd: minutes faster than xz on ~1.2 GB at a similar size; dpkg reads it from 1.21.18
# (Debian 12, Ubuntu 22.04), older than the glibc floor already requires anyway.
dpkg-deb --root-owner-group -Zzstd -z3 --threads-max="$(nproc)" --build "$stage" "$out" > /dev/null
echo "built $(basename "$out") in $(( $(date +%s) - start )) s: $(( $(stat -c %s "$out") / 1000000 )) MB" \
  "(Depends libc6 >= $glibc)"
