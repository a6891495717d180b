"""Render every icon size GAN Studio ships from the one SVG source, ``resources/ganstudio.svg``.

    python resources/make_icons.py

Writes the PNGs the window and the Linux menu use into ``ganstudio/resources/icons/``
(package data, so they are in the wheel and the frozen app) and the Windows ``.ico`` and
macOS ``.icns`` the installers use into ``resources/``. The outputs are committed, so
nothing needs a rasteriser at run time. Rasterising needs ``rsvg-convert`` (Debian
package ``librsvg2-bin``); the containers are written by Pillow.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "ganstudio.svg"
PNG_DIR = HERE.parent / "ganstudio" / "resources" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # Windows reads icons up to 256 px
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)  # 1x and @2x of 16..512 points


def png_name(size: int) -> str:
    return f"ganstudio-{size}.png"  # as ganstudio.resources.icon_paths reads them


def render(svg: Path, size: int, out_dir: Path) -> Image.Image:
    """The SVG rasterised at ``size`` x ``size`` pixels, as an RGBA image."""
    exe = shutil.which("rsvg-convert")
    if exe is None:
        raise SystemExit("rsvg-convert is missing: apt-get install librsvg2-bin")
    out = out_dir / f"{size}.png"
    subprocess.run([exe, "-w", str(size), "-h", str(size), str(svg), "-o", str(out)], check=True)
    with Image.open(out) as image:
        return image.convert("RGBA")


def make_icons(svg: Path = SOURCE, png_dir: Path = PNG_DIR, box_dir: Path = HERE) -> list[Path]:
    """Render all sizes; return the files written."""
    png_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        sizes = sorted(set(PNG_SIZES) | set(ICO_SIZES) | set(ICNS_SIZES))
        images = {size: render(svg, size, Path(tmp)) for size in sizes}
    for size in PNG_SIZES:
        path = png_dir / png_name(size)
        images[size].save(path, optimize=True)
        written.append(path)
    ico = box_dir / "ganstudio.ico"
    images[256].save(
        ico,
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != 256],
    )
    icns = box_dir / "ganstudio.icns"
    images[1024].save(icns, append_images=[images[s] for s in ICNS_SIZES if s != 1024])
    return [*written, ico, icns]


def main() -> int:
    for path in make_icons():
        print(f"{path.stat().st_size:>8}  {path.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
