"""Symbol tables stripped from the frozen app's biggest libraries (Linux only), and one copy
of each library.

PyInstaller's own ``strip=True`` strips every binary, which breaks the libraries that
auditwheel repaired with patchelf (numpy.libs, scipy.libs, ...: "ELF load command
address/offset not page-aligned"). So the spec strips only those below, which are built
without patchelf, into copies under the build folder: about 320 MB of symbol tables.
Patterns match the bundle path or the tail of the source path (TensorFlow's CPU build is
collected from build/, outside site-packages, so PyInstaller puts its libraries at the top
of the bundle).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

STRIPPED = (
    "tensorflow/*",  # TensorFlow's own libraries: most of the saving
    "llvmlite/*",  # libllvmlite.so (numba's compiler)
    "libpython3*.so*",  # the interpreter
    "python3.*/lib-dynload/*",  # the interpreter's extension modules
)


def _matches(dest: str, source: str) -> bool:
    return any(fnmatch(dest, p) or fnmatch(source, "*/" + p) for p in STRIPPED)


def stripped(entry: tuple, cache: Path) -> tuple:
    """The TOC entry (dest, source, kind), pointing at a stripped copy when it matches.
    Entries with the same source share one copy."""
    dest, source, kind = entry
    exe = shutil.which("strip")
    if kind == "SYMLINK" or not sys.platform.startswith("linux") or exe is None:
        return entry
    if not _matches(dest.replace("\\", "/"), Path(source).as_posix()):
        return entry
    with open(source, "rb") as f:
        if f.read(4) != b"\x7fELF":
            return entry
    key = hashlib.sha1(str(Path(source).resolve()).encode()).hexdigest()[:12]
    out = cache / key / Path(source).name
    if not out.exists() or out.stat().st_mtime < Path(source).stat().st_mtime:
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([exe, "--strip-unneeded", "-o", str(out), source], check=True)
    return (dest, str(out), kind)


def link_duplicates(toc: list[tuple]) -> list[tuple]:
    """Turn a top-level copy of a library that is also collected into a sub-folder (same
    source) into a symbolic link to it, as PyInstaller does for site-packages (not Windows)."""
    if sys.platform == "win32":
        return toc
    nested = {}
    for dest, source, kind in toc:
        if kind != "SYMLINK" and "/" in dest.replace("\\", "/"):
            nested.setdefault(source, dest)
    out = []
    for dest, source, kind in toc:
        target = nested.get(source)
        if kind != "SYMLINK" and "/" not in dest.replace("\\", "/") and target:
            out.append((dest, target, "SYMLINK"))
        else:
            out.append((dest, source, kind))
    return out
