"""The oldest glibc a built GAN Studio runs on: the highest GLIBC_x.y symbol version that
any bundled ELF file (executable or shared library) needs, read with ``objdump -T``.

    python3 packaging/linux/glibc_floor.py dist/GANStudio [--report]

Prints the version (e.g. ``2.34``); ``--report`` also lists the files that need the top
versions and the manylinux tag of the installed TensorFlow wheel, which sets the floor of
TensorFlow's own libraries. Standard library only.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

SYMBOL = re.compile(r"\bGLIBC_(\d+)\.(\d+)(?:\.(\d+))?\b")


def elf_files(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as f:
                if f.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def needed_glibc(path: Path) -> tuple[int, ...]:
    """The highest GLIBC_ version among the file's dynamic symbols, (0,) if none."""
    out = subprocess.run(["objdump", "-T", str(path)], capture_output=True, text=True).stdout
    versions = [tuple(int(p) for p in m.groups() if p is not None) for m in SYMBOL.finditer(out)]
    return max(versions, default=(0,))


def tensorflow_tag(folder: Path) -> str:
    """The platform tag of the TensorFlow wheel in the build environment, if found."""
    for wheel in sorted(folder.rglob("tensorflow*.dist-info/WHEEL")):
        for line in wheel.read_text().splitlines():
            if line.startswith("Tag:"):
                return line.split(":", 1)[1].strip()
    try:
        import importlib.metadata as md

        for name in ("tensorflow", "tensorflow-cpu"):
            try:
                text = md.distribution(name).read_text("WHEEL") or ""
            except md.PackageNotFoundError:
                continue
            return next(ln.split(":", 1)[1].strip() for ln in text.splitlines() if "Tag:" in ln)
    except Exception:
        pass
    return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--report", action="store_true")
    args = parser.parse_args(argv)
    needs = {path: needed_glibc(path) for path in elf_files(args.folder)}
    if not needs:
        print(f"no ELF files in {args.folder}", file=sys.stderr)
        return 1
    top = max(needs.values())
    print(".".join(map(str, top)))
    if args.report:
        print(f"TensorFlow wheel tag: {tensorflow_tag(args.folder)}")
        ranked = sorted(needs.items(), key=lambda item: item[1], reverse=True)
        for path, version in ranked[:12]:
            print(f"  GLIBC_{'.'.join(map(str, version)):6} {path.relative_to(args.folder)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
