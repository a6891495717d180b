"""Uncaught exceptions (a slot, a Python thread, a QThread) end in a dialog and the log."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication

from ganstudio import logs
from ganstudio.qt.common.crash import TITLE, install_crash_handler

pytestmark = pytest.mark.qt_no_exception_capture


@pytest.fixture
def reporter(qtbot):
    logs.setup_logging("test")
    crash = install_crash_handler(QApplication.instance())
    yield crash
    crash.uninstall()
    if crash.box is not None:
        crash.box.close()
    logs.close_logging()


class _Buttons(QObject):
    pressed = Signal()

    @Slot()
    def explode(self) -> None:
        raise ValueError("the slot blew up")


def test_exception_in_a_slot_shows_a_dialog_and_is_logged(qtbot, reporter):
    buttons = _Buttons()
    buttons.pressed.connect(buttons.explode)
    QTimer.singleShot(0, buttons.pressed.emit)  # emitted by Qt's event loop, as a click is
    qtbot.waitUntil(lambda: reporter.box is not None, timeout=10000)
    box = reporter.box
    assert box.isVisible() and not box.isModal()
    assert box.windowTitle() == TITLE
    assert "ValueError: the slot blew up" in box.text()
    assert str(logs.log_file()) in box.text()
    assert "in explode" in box.detailedText()
    log_text = logs.log_file().read_text()
    assert "uncaught exception" in log_text and "in explode" in log_text
    assert "ValueError: the slot blew up" in log_text
    # the application keeps running: the event loop still serves timers
    ticks = []
    QTimer.singleShot(0, lambda: ticks.append(1))
    qtbot.waitUntil(lambda: ticks == [1], timeout=5000)


def test_exception_in_a_python_thread(qtbot, reporter):
    worker = threading.Thread(target=lambda: 1 / 0, name="loader")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: reporter.box is not None, timeout=10000)
    assert "ZeroDivisionError" in reporter.box.text()
    assert "uncaught exception in loader" in logs.log_file().read_text()


class _FailingThread(QThread):
    def run(self) -> None:
        raise RuntimeError("worker failed")


def test_exception_in_a_qthread_and_a_second_error_share_one_dialog(qtbot, reporter):
    thread = _FailingThread()
    thread.start()
    assert thread.wait(10000)
    qtbot.waitUntil(lambda: reporter.box is not None, timeout=10000)
    first = reporter.box
    assert "RuntimeError: worker failed" in first.text()
    sys.excepthook(KeyError, KeyError("again"), None)
    qtbot.waitUntil(lambda: reporter.count == 2, timeout=10000)
    assert reporter.box is first and "2 errors so far" in first.informativeText()
    assert logs.log_file().read_text().count("uncaught exception") == 2
    first.close()  # deleted on close: the next error opens a new dialog
    qtbot.waitUntil(lambda: reporter.box is None, timeout=5000)


def test_uninstall_restores_the_previous_hooks(qtbot):
    before = (sys.excepthook, threading.excepthook)
    crash = install_crash_handler(QApplication.instance())
    assert sys.excepthook == crash.excepthook
    crash.uninstall()
    assert (sys.excepthook, threading.excepthook) == before
