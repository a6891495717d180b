"""Save a screenshot of the window after a few sample grids, then quit (for automated checks).

Used by ``run_app`` when ``GANSTUDIO_SCREENSHOT`` is set. GUI thread only.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication


class ScreenshotOnSamples(QObject):
    """After ``after`` samples (or when the run ends), grab the window to ``path`` and quit."""

    def __init__(self, window, path: str, after: int = 3) -> None:
        super().__init__(window)
        self.window = window
        self.path = path
        self.after = max(1, after)
        self.count = 0
        self.done = False
        window.train_view.sample_received.connect(self._on_sample)
        window.train_view.state_changed.connect(self._on_state)

    def _on_sample(self, _step: int) -> None:
        self.count += 1
        if self.count >= self.after and not self.done:
            self.done = True
            QTimer.singleShot(500, self._grab)  # let the plots redraw first

    def _on_state(self) -> None:
        tv = self.window.train_view
        if not tv.running and self.count and not self.done:
            self.done = True
            QTimer.singleShot(500, self._grab)

    def _grab(self) -> None:
        screen = self.window.screen() or QApplication.primaryScreen()
        pixmap = screen.grabWindow(self.window.winId())
        if pixmap.isNull():
            pixmap = self.window.grab()
        ok = pixmap.save(self.path, "PNG")
        print(f"screenshot {'saved to' if ok else 'FAILED for'} {self.path}", file=sys.stderr)
        self.window.train_view.shutdown()
        QApplication.instance().quit()
