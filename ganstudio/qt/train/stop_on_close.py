"""Closing the window while training: stop the run, show that it is saving, then close.

:meth:`StopOnClose.request` is called from the window's ``closeEvent``. While the
training thread runs it asks first, then asks the run to stop (the trainer saves a
checkpoint) and shows a small non-modal "Stopping: saving a checkpoint…" dialog while
the event loop keeps running; when the thread has ended it closes the window. A second
close request (or closing that dialog, or ``give_up_ms``) stops waiting: the window
closes at once and ``run_app`` lets the run finish its checkpoint, with a bound, before
the process exits. SIGTERM and SIGHUP (logout, ``systemctl stop``, ``kill``) take the same
path without the question (:meth:`StopOnClose.on_signal`); a second signal closes at once.
GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from ganstudio.qt.common.dialogs import ask_yes_no

GIVE_UP_MS = 30_000


class StopOnClose(QObject):
    """Decides whether ``window`` may close now; see the module docstring."""

    def __init__(self, window: QWidget, train_view, give_up_ms: int = GIVE_UP_MS) -> None:
        super().__init__(window)
        self.window = window
        self.train_view = train_view
        self.waiting = False
        self.gave_up = False
        self.dialog: QProgressDialog | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(give_up_ms)
        self._timer.timeout.connect(self._give_up)
        train_view.state_changed.connect(self._on_state)

    def request(self) -> bool:
        """True when the window may close now (nothing to wait for, or waiting given up)."""
        tv = self.train_view
        if not tv.thread_running:
            self._done()
            return True
        if self.waiting:  # a second request: stop waiting
            self.gave_up = True
            self._done()
            return True
        if not ask_yes_no(
            self.window,
            "Training is running",
            "Stop training and quit? The run saves a checkpoint and can be resumed later.",
        ):
            return False
        self._stop_and_wait()
        return False

    def on_signal(self) -> None:
        """A termination signal: stop with a checkpoint and close, asking nothing (the
        second signal, while waiting, closes at once)."""
        if self.train_view.thread_running and not self.waiting:
            self._stop_and_wait()
        else:
            self.window.close()

    def _stop_and_wait(self) -> None:
        tv = self.train_view
        self.waiting = True
        tv.stop()
        self.dialog = QProgressDialog(
            "Stopping: saving a checkpoint…", "Close now", 0, 0, self.window
        )
        self.dialog.setWindowTitle("GAN Studio")
        self.dialog.setWindowModality(Qt.WindowModality.NonModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.canceled.connect(self._give_up)
        self.dialog.show()
        self._timer.start()

    def _on_state(self) -> None:
        if self.waiting and not self.train_view.thread_running:
            self.window.close()

    def _give_up(self) -> None:
        if self.waiting:
            self.window.close()

    def _done(self) -> None:
        self.waiting = False
        self._timer.stop()
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self._give_up)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
