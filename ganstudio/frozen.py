"""Start-up of the frozen app (PyInstaller, ``packaging/ganstudio.spec``).

One executable serves every role: no arguments or a path opens the window, a subcommand
runs the command line, ``selfcheck`` runs the packaging checks, and ``-c CODE`` /
``-m MODULE`` behave as Python's, because code that starts helper processes with
``sys.executable`` (the Qt platform probe in :mod:`ganstudio.qt.app`) gets this
executable when frozen.

numba caches compiled kernels (librosa's ``cache=True`` functions) beside their source
file by default, which fails or litters in a read-only install (/opt, Program Files).
:func:`prepare_environment` points ``NUMBA_CACHE_DIR`` at GAN Studio's own cache folder
before numba is imported; numba only uses that folder for functions whose source file
exists, so the spec has librosa imported from its source files.
"""

from __future__ import annotations

import os
import runpy
import sys
from collections.abc import MutableMapping

from ganstudio.paths import app_home


def numba_cache_dir() -> str:
    """Where the frozen app's numba cache goes: ``<app home>/cache/numba``."""
    return str(app_home() / "cache" / "numba")


def prepare_environment(environ: MutableMapping[str, str] = os.environ) -> None:
    """Set what the frozen app needs before anything imports numba (keeps user settings)."""
    environ.setdefault("NUMBA_CACHE_DIR", numba_cache_dir())


def main(argv: list[str] | None = None) -> int:
    """Dispatch the frozen executable's arguments; returns the exit code."""
    prepare_environment()
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) >= 2 and argv[0] == "-c":
        sys.argv = ["-c", *argv[2:]]
        exec(compile(argv[1], "<string>", "exec"), {"__name__": "__main__"})
        return 0
    if len(argv) >= 2 and argv[0] == "-m":
        sys.argv = [argv[1], *argv[2:]]
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
        return 0
    if argv[:1] == ["selfcheck"]:
        # deferred: after prepare_environment() has set the environment
        from ganstudio.selfcheck import main as selfcheck_main

        return selfcheck_main(argv[1:])
    # deferred: after prepare_environment() has set the environment
    from ganstudio.cli import main as cli_main
    from ganstudio.logs import divert_native_stderr, verbose_requested

    if not verbose_requested(argv):
        divert_native_stderr()  # TensorFlow's native logging: to the log file
    return cli_main([a for a in argv if a != "--verbose"])
