"""Qt test fixtures: no test may leave a QThread running (parked threads, which outlived
a bounded wait by design, are waited for as ``run_app`` does); blocking dialogs answer Yes;
cyclic garbage is collected on the GUI thread, as in the app."""

from __future__ import annotations

import threading
import traceback
import weakref

import numpy as np
import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QMessageBox

from ganstudio.core.rundir import RunDir
from ganstudio.qt.common.collector import GuiThreadCollector
from ganstudio.qt.common.threads import parked_threads, wait_parked


@pytest.fixture(autouse=True)
def _collect_on_the_gui_thread(qapp):
    """As ``run_app`` does: a worker thread must not collect a test's Qt objects (a
    segmentation fault). Ends with a collection here, so the next test's threads find no
    garbage of this one."""
    collector = GuiThreadCollector(qapp)
    yield collector
    collector.stop()


@pytest.fixture(autouse=True)
def _no_dangling_qthreads(monkeypatch):
    """Fail a test that leaves a QThread running (and wait for it, so Qt does not abort)."""
    started: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
    original = QThread.start

    def recording_start(self, *args, **kwargs):
        started[self] = "".join(traceback.format_stack(limit=8))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QThread, "start", recording_start)
    yield
    parked = {id(thread) for thread in parked_threads()}
    assert wait_parked(120000), "a parked thread did not end"
    dangling = []
    for thread, where in list(started.items()):
        if id(thread) in parked:
            continue
        try:
            running = thread.isRunning()
        except RuntimeError:  # the C++ object is already gone: not running
            continue
        if running:
            dangling.append(where)
            thread.wait(60000)
    if dangling:
        pytest.fail(f"{len(dangling)} QThread(s) left running; started at:\n" + dangling[0])


@pytest.fixture
def answer_yes(monkeypatch):
    """Modal questions answer Yes at once instead of waiting for a person."""
    asked: list[str] = []

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


def error_boxes(widget) -> list[str]:
    """Texts of the (non-modal) error boxes currently open over ``widget``."""
    return [
        box.text()
        for box in widget.window().findChildren(QMessageBox)
        if box.icon() == QMessageBox.Icon.Critical and box.isVisible()
    ]


@pytest.fixture
def window(qtbot, answer_yes):
    """The real main window, shown; closed afterwards (which stops every worker thread)."""
    from ganstudio.qt.main_window import MainWindow

    def stop_training(w: MainWindow) -> None:
        # closing while training only starts stopping; pytest-qt deletes the window after
        # close(), so the run must have ended first
        if w.train_view.session is not None:
            w.train_view.stop()
            qtbot.waitUntil(lambda: w.train_view.session is None, timeout=60000)

    w = MainWindow()
    qtbot.addWidget(w, before_close_func=stop_training)
    w.resize(1100, 750)
    w.show()
    qtbot.waitExposed(w)
    yield w
    stop_training(w)
    w.close()
    assert not w.isVisible()


@pytest.fixture
def explorer(qtbot):
    """The latent explorer, shown; its worker thread is stopped afterwards."""
    from ganstudio.qt.latent.explorer import LatentExplorer

    w = LatentExplorer()
    qtbot.addWidget(w)
    w.resize(1100, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.shutdown()
    assert not w.jobs.thread_running()


@pytest.fixture
def file_reads(monkeypatch) -> list[str]:
    """Names of the threads that read sample arrays (np.load, RunDir.load_samples)."""
    threads: list[str] = []
    original_np_load, original_load_samples = np.load, RunDir.load_samples

    def np_load(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return original_np_load(*args, **kwargs)

    def load_samples(self, step):
        threads.append(threading.current_thread().name)
        return original_load_samples(self, step)

    monkeypatch.setattr(np, "load", np_load)
    monkeypatch.setattr(RunDir, "load_samples", load_samples)
    return threads
