"""The first-start welcome: what to click to train, where runs are kept, how to bring data.

:func:`offer_welcome` shows it as a banner across the top of the main window when the
user has not dismissed it and no run exists yet. *Got it* dismisses it for good; it also
steps aside (for this session) once a run is opened or started. GUI thread only.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QWidget,
)

from ganstudio.core.rundir import default_runs_root, list_runs


def welcome_html() -> str:
    runs = html.escape(str(default_runs_root()))
    return (
        "<b>Welcome to GAN Studio.</b> To watch a GAN learn, press <b>Start</b> "
        "(Ctrl+Return) on the <i>Train</i> tab: it trains a DCGAN on the built-in digits, "
        f"offline, in a few minutes.<br>Every run is kept as a folder in <tt>{runs}</tt>; "
        "<i>File → Open run…</i> opens it again.<br>Your own pictures: choose "
        "<i>Open image folder…</i> (or <i>Open .npz…</i>) under <i>Dataset</i>, or drop a "
        "folder on the window. Your own sounds: the <i>Audio</i> tab's <i>Open folder…</i> "
        "plays them; <tt>ganstudio train --model specgan --dataset audio:FOLDER</tt> "
        "trains on them."
    )


class WelcomePanel(QFrame):
    """The welcome text with a *Got it* button; ``dismissed`` when it is pressed."""

    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel(welcome_html())
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.button = QPushButton("Got it")
        self.button.clicked.connect(self.dismissed)
        layout = QHBoxLayout(self)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)


def should_welcome(window: QMainWindow) -> bool:
    """True on a first start: not dismissed before and no run folder yet."""
    return not window.settings.welcome_dismissed() and not list_runs(default_runs_root())


def offer_welcome(window: QMainWindow) -> QDockWidget | None:
    """Show the welcome banner on ``window`` if :func:`should_welcome`; return its dock."""
    if not should_welcome(window):
        return None
    panel = WelcomePanel()
    dock = QDockWidget("Welcome", window)
    dock.setObjectName("welcome-dock")
    dock.setWidget(panel)
    dock.setTitleBarWidget(QWidget())  # a banner, not a movable tool window
    dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
    window.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, dock)

    def dismiss() -> None:
        window.settings.dismiss_welcome()
        window.settings.sync()
        dock.hide()

    panel.dismissed.connect(dismiss)
    window.train_view.run_opened.connect(lambda _path: dock.hide())
    window.welcome_dock = dock
    return dock
