"""*Help* menu: About GAN Studio (versions, device, log folder) and Show log folder.

GUI thread only. TensorFlow loads on a background thread after the window appears, so
the About box says "loading…" for TensorFlow, Keras and the device until the engine
probe has reported (the window's ``engine_device``), and fills them in while it is open.
"""

from __future__ import annotations

import html
import platform
import sys

import PySide6
from PySide6.QtCore import Qt, QTimer, QUrl, qVersion
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QMenu,
    QVBoxLayout,
)

from ganstudio import __version__
from ganstudio.logs import log_dir

LOADING = "loading…"


def _module_version(name: str) -> str:
    module = sys.modules.get(name)
    return str(getattr(module, "__version__", "")) or LOADING


def about_facts(device: str | None) -> list[tuple[str, str]]:
    """(label, value) pairs shown in the About box; ``device`` None while the engine loads."""
    ready = device is not None
    return [
        ("GAN Studio", __version__),
        ("TensorFlow", _module_version("tensorflow") if ready else LOADING),
        ("Keras", _module_version("keras") if ready else LOADING),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("Python", platform.python_version()),
        ("Device", device or LOADING),
        ("Log folder", str(log_dir())),
    ]


class AboutDialog(QDialog):
    """Versions and where the logs are; refreshes itself until the engine has loaded."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("About GAN Studio")
        self._window = window
        self.label = QLabel()
        self.label.setObjectName("about-text")
        self.label.setOpenExternalLinks(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(buttons)
        self._timer = QTimer(self)
        self._timer.setInterval(500)
        self._timer.timeout.connect(self.refresh)
        self.refresh()
        self._timer.start()

    def refresh(self) -> None:
        device = getattr(self._window, "engine_device", None)
        rows = []
        for label, value in about_facts(device):
            shown = html.escape(value)
            if label == "Log folder":
                url = QUrl.fromLocalFile(value).toString()
                shown = f'<a href="{html.escape(url)}">{shown}</a>'
            rows.append(f"<tr><td><b>{label}</b>&nbsp;&nbsp;</td><td>{shown}</td></tr>")
        self.label.setText(
            "<h3>GAN Studio</h3><p>Train and explore generative adversarial networks.</p>"
            f"<table>{''.join(rows)}</table>"
        )
        if device is not None:
            self._timer.stop()

    def text(self) -> str:
        """The facts as plain text (what a bug report should quote)."""
        device = getattr(self._window, "engine_device", None)
        return "\n".join(f"{label}: {value}" for label, value in about_facts(device))


def show_about(window: QMainWindow) -> AboutDialog:
    """Open (or raise) the window's non-modal About box and return it."""
    dialog = window.findChild(AboutDialog)
    if dialog is None:
        dialog = AboutDialog(window)
    dialog.refresh()
    dialog.show()
    dialog.raise_()
    return dialog


def open_log_folder() -> bool:
    """Show the log folder in the file manager (created first if needed)."""
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def add_help_menu(window: QMainWindow) -> QMenu:
    """Append the *Help* menu to ``window``'s menu bar."""
    menu = window.menuBar().addMenu("&Help")
    about = QAction("About GAN Studio", window)
    about.setMenuRole(QAction.MenuRole.AboutRole)
    about.triggered.connect(lambda: show_about(window))
    logs = QAction("Show log folder", window)
    logs.triggered.connect(open_log_folder)
    menu.addAction(about)
    menu.addAction(logs)
    window.about_action = about
    return menu
