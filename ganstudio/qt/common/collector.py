"""Python's cycle collector, run on the GUI thread only while the window runs.

CPython collects cyclic garbage in whichever thread happens to allocate when a
threshold is passed. When that is a worker thread (training, the latent explorer's
loader) and the garbage holds the Python side of a Qt object, say a closed dialog's
widgets or a plot canvas, Qt destroys that object from the wrong thread and the process
can crash: seen as a segmentation fault "Garbage-collecting" in the explorer's loader
thread while it built a model. :class:`GuiThreadCollector` turns automatic collection
off and collects from a timer on the GUI thread instead, with the interpreter's own
thresholds; a full collection at most every ``FULL_EVERY_S`` seconds (the engine's
modules are frozen out of it: :mod:`ganstudio.core.heap`).
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 100  # how often the counts are checked
FULL_EVERY_S = 30.0  # the least time between two full collections


class GuiThreadCollector(QObject):
    """Collects cyclic garbage on the thread it lives in (the GUI thread); ``stop``
    gives collection back to the interpreter."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        self._last_full = time.monotonic()
        self.collections = [0, 0, 0]  # per generation, for tests and diagnostics
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> int | None:
        """Collect the oldest generation over its threshold; returns it (None: none)."""
        t0, t1, t2 = gc.get_threshold()
        c0, c1, c2 = gc.get_count()
        if t0 <= 0 or c0 <= t0:
            return None
        generation = 1 if c1 > t1 else 0
        if c2 > t2 and time.monotonic() - self._last_full >= FULL_EVERY_S:
            generation = 2
            self._last_full = time.monotonic()
        gc.collect(generation)
        self.collections[generation] += 1
        return generation

    def stop(self) -> None:
        """Stop the timer, collect once here, and let the interpreter collect again."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
