"""Bounded waits for QThreads, and a parking place for threads that outlive the bound.

Qt aborts the process when a running QThread is destroyed, so a thread that has not
ended within its bound is *parked*: taken from its parent and kept referenced here (with
the objects it works on) until it ends. Before the process exits, ``run_app`` waits for
parked threads, again with a bound, and leaves with ``os._exit`` if one is still
running rather than let Qt abort. GUI thread only.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QThread

_parked: list[tuple[QThread, tuple[Any, ...]]] = []


def is_running(thread: QThread) -> bool:
    """``thread.isRunning()``; False once its C++ object is gone."""
    try:
        return thread.isRunning()
    except RuntimeError:  # the C++ object is gone: not running
        return False


def wait_or_park(thread: QThread, timeout_ms: int, *keep: Any) -> bool:
    """Wait up to ``timeout_ms`` for ``thread``; True if it ended. Otherwise park it (and
    the objects in ``keep``, e.g. its worker) until it ends, and return False."""
    if thread.wait(max(0, int(timeout_ms))):
        return True
    thread.setParent(None)
    _parked[:] = [entry for entry in _parked if is_running(entry[0])]
    _parked.append((thread, keep))
    return False


def parked_threads() -> list[QThread]:
    """Parked threads that are still running."""
    return [thread for thread, _ in _parked if is_running(thread)]


def wait_parked(timeout_ms: int) -> bool:
    """Wait for every parked thread, ``timeout_ms`` in all; True when none is running."""
    deadline = time.monotonic() + timeout_ms / 1000
    for thread in parked_threads():
        left = int(1000 * (deadline - time.monotonic()))
        if left <= 0 or not thread.wait(left):
            return False
    _parked.clear()
    return True
