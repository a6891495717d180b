"""Space and Esc pause and stop training on the Train tab only, and editors keep them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.qt.scripted_trainer import factory


@pytest.fixture
def training(window, qtbot):
    """The real window running a scripted (endless, slow-stepping) training run."""
    tv = window.train_view
    tv.trainer_factory = factory(step_time=0.002)
    cfg = tv.panel.config()
    cfg.steps, cfg.sample_every = 10_000_000, 100_000
    tv.panel.set_config(cfg)
    window.activateWindow()
    qtbot.waitActive(window)
    assert window.start_training()
    qtbot.waitUntil(lambda: tv.loss_plot.series.last_step >= 5, timeout=30000)
    yield window
    window.stop_action.trigger()
    qtbot.waitUntil(lambda: not tv.running, timeout=30000)


def press(qtbot, widget, key) -> None:
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(widget.hasFocus, timeout=5000)
    qtbot.keyClick(widget, key)  # delivered, shortcuts included, before it returns
    QApplication.processEvents()  # and what it posted


def test_space_on_the_train_views_plot_pauses_and_resumes(training, qtbot):
    tv = training.train_view
    press(qtbot, tv.loss_plot.canvas, Qt.Key.Key_Space)
    assert tv.paused and training.pause_action.text() == "Resume"
    press(qtbot, tv.loss_plot.canvas, Qt.Key.Key_Space)
    assert not tv.paused
    press(qtbot, tv.loss_plot.canvas, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not tv.running, timeout=30000)


def test_space_and_esc_in_a_spin_box_neither_pause_nor_stop(training, qtbot):
    tv = training.train_view
    training.tabs.setCurrentWidget(training.explorer)
    seed = training.explorer.controls.seed
    seed.setValue(7)
    seed.selectAll()
    press(qtbot, seed, Qt.Key.Key_Space)
    press(qtbot, seed, Qt.Key.Key_Escape)
    assert not tv.paused and tv.session is not None and not tv.session.control.stop_requested


def test_space_on_the_audio_tab_does_not_pause(training, qtbot):
    tv = training.train_view
    training.tabs.setCurrentWidget(training.audio_page)
    press(qtbot, training.audio_panel.files, Qt.Key.Key_Space)
    press(qtbot, training.audio_panel.loop_box, Qt.Key.Key_Space)
    assert training.audio_panel.loop_box.isChecked()  # Space toggled the box it was on
    assert not tv.paused and not tv.session.control.stop_requested


def test_ctrl_period_stops_from_any_tab(training, qtbot):
    tv = training.train_view
    training.tabs.setCurrentWidget(training.audio_page)
    files = training.audio_panel.files
    files.setFocus()
    qtbot.waitUntil(files.hasFocus, timeout=5000)
    qtbot.keyClick(files, Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not tv.running, timeout=30000)
