"""Symbol tables stripped from the frozen app's biggest libraries (Linux only).

PyInstaller's own ``strip=True`` strips every binary, which breaks the libraries that
auditwheel repaired with patchelf (numpy.libs, scipy.libs, ...: "ELF load command
address/offset not page-aligned"). So the spec strips only these, which are built
without patchelf, into copies under the build folder: about 320 MB of symbol tables.
"""

from __future__ import annotations

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


def stripped(entry: tuple, cache: Path) -> tuple:
    """The TOC entry (dest, source, kind), pointing at a stripped copy when it matches."""
    dest, source, kind = entry
    name = dest.replace("\\", "/")
    exe = shutil.which("strip")
    if not sys.platform.startswith("linux") or exe is None:
        return entry
    if not any(fnmatch(name, pattern) for pattern in STRIPPED):
        return entry
    with open(source, "rb") as f:
        if f.read(4) != b"\x7fELF":
            return entry
    out = cache / name
    if not out.exists() or out.stat().st_mtime < Path(source).stat().st_mtime:
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([exe, "--strip-unneeded", "-o", str(out), source], check=True)
    return (dest, str(out), kind)
