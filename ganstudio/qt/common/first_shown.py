"""Know when the window is first on screen, to start background work only after that.

:class:`FirstShown` watches a top-level widget's native window for its first Expose
event and emits ``shown`` one event-loop turn later, when that first frame has been
painted. ``GANSTUDIO_EXIT_WHEN_SHOWN=1`` (see :func:`exit_when_shown`) prints when that
happened and quits: ``benchmarks/startup.py`` and the start-up test use it. GUI thread only.
"""

from __future__ import annotations

import json
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

#: modules whose import the window defers until after it is shown
HEAVY_MODULES = ("tensorflow", "keras", "matplotlib", "scipy", "librosa", "numba", "PIL")


class FirstShown(QObject):
    """Emits ``shown`` once, after ``widget``'s window was first exposed and painted."""

    shown = Signal()

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.done = False
        widget.winId()  # creates the native window, so it can be watched before show()
        self._window = widget.windowHandle()
        self._window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.done and event.type() == QEvent.Type.Expose and self._window.isExposed():
            self.done = True
            self._window.removeEventFilter(self)
            QTimer.singleShot(0, self.shown.emit)  # the expose handler paints first
        return False


def shown_report() -> dict:
    """What the start-up benchmark and test read: when, and which heavy modules were loaded."""
    loaded = {name: name in sys.modules for name in HEAVY_MODULES}
    return {"shown_at": time.time(), "modules": len(sys.modules), "loaded": loaded}


def exit_when_shown(first: FirstShown) -> None:
    """Print ``GANSTUDIO_SHOWN {json}`` when the window is first shown, then quit."""

    def report() -> None:
        print("GANSTUDIO_SHOWN " + json.dumps(shown_report()), flush=True)
        QApplication.instance().quit()

    first.shown.connect(report)
