"""Help → About (versions, device, log folder), the first-start welcome and the app icon."""

from __future__ import annotations

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QApplication

from ganstudio import __version__
from ganstudio.core.rundir import RunDir, default_runs_root
from ganstudio.logs import log_dir
from ganstudio.qt.common.about import AboutDialog
from ganstudio.qt.common.identity import application_icon, apply_identity
from ganstudio.qt.common.settings import AppSettings
from ganstudio.qt.common.welcome import offer_welcome
from ganstudio.resources import APP_ID, ICON_SIZES
from tests.core.helpers import small_config


def test_about_shows_versions_and_fills_in_the_engine(qtbot, window):
    window.about_action.trigger()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None and dialog.isVisible()
    text = dialog.text()
    for expected in (f"GAN Studio: {__version__}", f"Qt: {qVersion()}", PySide6.__version__):
        assert expected in text
    assert f"Log folder: {log_dir()}" in text
    assert "TensorFlow: loading…" in text and "Device: loading…" in text
    import tensorflow as tf  # what the engine probe does on its thread

    window.set_engine_ready("CPU")
    qtbot.waitUntil(lambda: tf.__version__ in dialog.label.text(), timeout=5000)
    assert "Device: CPU" in dialog.text() and "loading" not in dialog.label.text()
    window.about_action.trigger()  # a second time raises the same box
    assert len(window.findChildren(AboutDialog)) == 1


def test_welcome_on_first_start_until_dismissed(qtbot, window):
    dock = offer_welcome(window)
    assert dock is not None
    qtbot.waitUntil(dock.isVisible, timeout=5000)
    text = dock.widget().label.text()
    assert "Start" in text and str(default_runs_root()) in text
    assert "Open image folder" in text and "Audio" in text
    dock.widget().button.click()
    assert not dock.isVisible()
    assert AppSettings().welcome_dismissed()  # kept for the next start
    assert offer_welcome(window) is None


def test_no_welcome_once_a_run_exists(qtbot, window, tmp_path):
    run = RunDir(default_runs_root() / "00001-dcgan-digits")
    run.path.mkdir(parents=True)
    run.write_config(small_config("dcgan"))
    assert offer_welcome(window) is None


def test_welcome_steps_aside_when_a_run_opens(qtbot, window):
    dock = offer_welcome(window)
    qtbot.waitUntil(dock.isVisible, timeout=5000)
    window.train_view.run_opened.emit("/somewhere/00001-dcgan-digits")
    assert not dock.isVisible()
    assert not AppSettings().welcome_dismissed()


def test_application_icon_has_every_size(qtbot, window):
    app = QApplication.instance()
    before = (app.windowIcon(), app.desktopFileName())
    try:
        apply_identity(app)
        sizes = {s.width() for s in app.windowIcon().availableSizes()}
        assert sizes == set(ICON_SIZES)
        assert app.desktopFileName() == APP_ID
        assert not window.windowIcon().isNull()
        assert window.windowIcon().cacheKey() == app.windowIcon().cacheKey()
    finally:
        app.setWindowIcon(before[0])
        app.setDesktopFileName(before[1])
    assert not application_icon().isNull()
