"""One log for the window and the command line: ``<app home>/logs/ganstudio.log``.

A double-clicked app has no terminal, so whatever matters (errors with their tracebacks,
start-up facts) goes to a rotating log file in GAN Studio's own folder
(:func:`ganstudio.paths.app_home`, so ``$GANSTUDIO_HOME`` moves it). Warnings and errors
are echoed on stderr for the window (a terminal, when there is one, shows them); the
command line prints its own messages. Imports no Qt; safe to call from any thread.

TensorFlow's C++ logging writes straight to file descriptor 2 (some of it before its log
level is even read, so ``TF_CPP_MIN_LOG_LEVEL`` cannot hide it). :func:`divert_native_stderr`
points descriptor 2 at the log file and keeps Python's ``sys.stderr`` on a duplicate of the
terminal, so the terminal shows only GAN Studio's own lines; ``--verbose`` or
``GANSTUDIO_VERBOSE=1`` leaves descriptor 2 alone.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import platform
import sys
import threading
from pathlib import Path

from ganstudio import __version__
from ganstudio.paths import app_home

LOG_NAME = "ganstudio.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s [%(process)d %(threadName)s] %(name)s: %(message)s"

_lock = threading.Lock()
_file_handler: logging.handlers.RotatingFileHandler | None = None
_stderr_handler: logging.StreamHandler | None = None
_diverted = False
VERBOSE_ENV = "GANSTUDIO_VERBOSE"


def log_dir() -> Path:
    """The folder holding GAN Studio's log files."""
    return app_home() / "logs"


def log_file() -> Path:
    """The current log file (older ones are ``ganstudio.log.1`` .. ``.3``)."""
    return log_dir() / LOG_NAME


def setup_logging(role: str, *, echo: bool = False) -> Path | None:
    """Send log records to the log file; return the file, or None when its folder cannot be
    written. ``role`` ("gui", "cli") is noted in the start line; ``echo`` also prints
    warnings and errors (message and traceback) on stderr. Calling it again (or after
    ``$GANSTUDIO_HOME`` changed) moves the file handler."""
    global _file_handler, _stderr_handler
    root = logging.getLogger()
    path = log_file()
    with _lock:
        if echo and _stderr_handler is None and sys.stderr is not None:  # None: windowed app
            _stderr_handler = logging.StreamHandler()
            _stderr_handler.setLevel(logging.WARNING)
            _stderr_handler.setFormatter(logging.Formatter("%(message)s"))
            root.addHandler(_stderr_handler)
            logging.captureWarnings(True)  # Python warnings: into the log, echoed as before
        if root.level > logging.INFO:
            root.setLevel(logging.INFO)
        if _file_handler is not None and Path(_file_handler.baseFilename) != path:
            root.removeHandler(_file_handler)
            _file_handler.close()
            _file_handler = None
        if _file_handler is None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                handler = logging.handlers.RotatingFileHandler(
                    path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
                )
            except OSError:
                return None
            handler.setFormatter(logging.Formatter(FORMAT))
            root.addHandler(handler)
            _file_handler = handler
    logging.getLogger("ganstudio").info(
        "GAN Studio %s (%s) starting: Python %s on %s, frozen=%s",
        __version__,
        role,
        platform.python_version(),
        platform.platform(),
        bool(getattr(sys, "frozen", False)),
    )
    return path


def close_logging() -> None:
    """Detach and close the handlers :func:`setup_logging` added (tests, clean exits)."""
    global _file_handler, _stderr_handler
    root = logging.getLogger()
    with _lock:
        for handler in (_file_handler, _stderr_handler):
            if handler is not None:
                root.removeHandler(handler)
                handler.close()
        _file_handler = _stderr_handler = None
        logging.captureWarnings(False)


def verbose_requested(argv: list[str]) -> bool:
    """``--verbose`` in ``argv`` or ``GANSTUDIO_VERBOSE`` set (not "" or "0")."""
    return "--verbose" in argv or os.environ.get(VERBOSE_ENV, "") not in ("", "0")


def divert_native_stderr() -> Path | None:
    """Send what native code writes to descriptor 2 (TensorFlow's C++ logging) to the log
    file, and keep ``sys.stderr`` on the terminal; returns the log file, or None when
    nothing was changed (done already, no stderr, or the log folder cannot be written).
    Call once, at the start of the process, before TensorFlow loads."""
    global _diverted
    if _diverted or sys.stderr is None:
        return None
    path = log_file()
    try:
        stream = sys.stderr
        stream.flush()
        path.parent.mkdir(parents=True, exist_ok=True)
        target = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        terminal = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no descriptor 2 (a windowed app), ...
        return None
    os.dup2(target, 2)
    os.close(target)
    sys.stderr = os.fdopen(
        terminal,
        "w",
        buffering=1,
        encoding=getattr(stream, "encoding", None) or "utf-8",
        errors="backslashreplace",
    )
    _diverted = True
    return path
