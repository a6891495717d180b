"""Uncaught exceptions end in a dialog and in the log, never only on stderr.

:func:`install_crash_handler` replaces ``sys.excepthook`` and ``threading.excepthook``.
PySide6 hands exceptions raised in slots, event handlers and ``QThread.run`` to
``sys.excepthook``, so those arrive here too. Threading contract: the hooks may run in
any thread; they log the traceback at once (logging is thread-safe) and pass plain text
through a queued signal to a :class:`CrashReporter` living in the GUI thread, which shows a
non-modal dialog naming the log file. The app keeps running. One dialog at a time: while
it is open, later errors are logged and counted in it.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ganstudio.logs import log_file
from ganstudio.qt.common.dialogs import show_error

log = logging.getLogger(__name__)

TITLE = "GAN Studio: something went wrong"


def _summary(exc_type: type[BaseException], exc: BaseException | None) -> str:
    text = str(exc).strip() if exc is not None else ""
    return f"{exc_type.__name__}: {text}" if text else exc_type.__name__


class CrashReporter(QObject):
    """Logs uncaught exceptions and shows them; create it in the GUI thread."""

    _reported = Signal(str, str)  # summary, traceback; queued into the GUI thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.count = 0
        self.box: QMessageBox | None = None
        self._previous = (sys.excepthook, threading.excepthook)
        self._reported.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def uninstall(self) -> None:
        """Put back the hooks that were there before :func:`install_crash_handler`."""
        sys.excepthook, threading.excepthook = self._previous

    # -- any thread -------------------------------------------------------------------------
    def report(self, exc_type, exc, tb, where: str = "") -> None:
        """Log one uncaught exception and queue its dialog."""
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        thread = where or threading.current_thread().name
        log.error("uncaught exception in %s\n%s", thread, details.rstrip())
        self._reported.emit(_summary(exc_type, exc), details)

    def excepthook(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        self.report(exc_type, exc, tb)

    def threading_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "a thread"
        self.report(args.exc_type, args.exc_value, args.exc_traceback, name)

    # -- GUI thread -------------------------------------------------------------------------
    @Slot(str, str)
    def _show(self, summary: str, details: str) -> None:
        self.count += 1
        if self.box is not None:
            self.box.setInformativeText(
                f"{self.count} errors so far; each is in the log:\n{log_file()}"
            )
            return
        text = (
            f"{summary}\n\nGAN Studio keeps running, but the last action may not have "
            f"finished. The details are in the log file:\n{log_file()}"
        )
        self.box = show_error(_dialog_parent(), TITLE, text, details)
        self.box.destroyed.connect(self._box_closed)

    @Slot()
    def _box_closed(self) -> None:
        self.box = None
        self.count = 0


def _dialog_parent() -> QWidget | None:
    app = QApplication.instance()
    active = QApplication.activeWindow() if app is not None else None
    if active is not None:
        return active
    windows = [w for w in QApplication.topLevelWidgets() if w.isVisible()] if app else []
    return windows[0] if windows else None


def install_crash_handler(app: QApplication) -> CrashReporter:
    """Route every uncaught exception of the process to a :class:`CrashReporter`."""
    reporter = CrashReporter(app)
    sys.excepthook = reporter.excepthook
    threading.excepthook = reporter.threading_excepthook
    return reporter
