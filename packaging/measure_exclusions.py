"""How much each exclusion of ``exclusions.py`` takes out of a build made without them.

    python packaging/measure_exclusions.py PLAIN_DIST [LEAN_DIST]

PLAIN_DIST is a one-folder PyInstaller build of the same entry point without the spec's
exclusions (e.g. ``pyinstaller --onedir packaging/ganstudio_main.py``); LEAN_DIST
(default dist/GANStudio) is packaging/build.sh's result. Prints, per exclusion, the files
and megabytes it matches in PLAIN_DIST, then both totals. Standard library only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from exclusions import EXCLUSIONS


def files(dist: Path) -> dict[str, int]:
    """Bundle-relative path → size, for every regular file (symlinks count nothing)."""
    inner = dist / "_internal"
    return {
        p.relative_to(inner).as_posix(): p.stat().st_size
        for p in inner.rglob("*")
        if p.is_file() and not p.is_symlink()
    }


def total(dist: Path) -> int:
    return sum(p.stat().st_size for p in dist.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("plain", type=Path)
    parser.add_argument("lean", type=Path, nargs="?", default=Path("dist/GANStudio"))
    args = parser.parse_args(argv)
    plain = files(args.plain)
    print(f"{'exclusion':30} {'files':>6} {'MB':>8}")
    for exclusion in EXCLUSIONS:
        matched = [size for dest, size in plain.items() if exclusion.drops(dest)]
        print(f"{exclusion.name:30} {len(matched):6} {sum(matched) / 1e6:8.1f}")
    before = total(args.plain)
    print(f"{'plain build':30} {len(plain):6} {before / 1e6:8.1f}")
    if args.lean.is_dir():
        after = total(args.lean)
        print(f"{'lean build':30} {len(files(args.lean)):6} {after / 1e6:8.1f}")
        print(f"{'saved':30} {'':6} {(before - after) / 1e6:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
