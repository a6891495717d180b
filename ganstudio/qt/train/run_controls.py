"""Start / Pause-Resume / Stop / Step buttons and the progress bar with steps/s and ETA.

The buttons show the main window's QActions (which carry the keyboard shortcuts), so
enabling an action enables its button. GUI thread only.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QVBoxLayout, QWidget

from ganstudio.core.progress import progress_text


class RunControls(QWidget):
    """A row of buttons bound to actions, a progress bar and its text."""

    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        buttons = QHBoxLayout()
        self.buttons: list[QToolButton] = []
        for action in actions:
            button = QToolButton()
            button.setDefaultAction(action)
            buttons.addWidget(button)
            self.buttons.append(button)
        buttons.addStretch(1)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.bar.setTextVisible(True)
        self.label = QLabel("Not started")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.bar)
        layout.addWidget(self.label)
        self.step = 0
        self.total = 0

    def reset(self, step: int, total: int) -> None:
        self.step, self.total = step, max(1, total)
        self.bar.setRange(0, self.total)
        self.bar.setValue(min(step, self.total))
        self.label.setText(f"step {step}/{total}")

    def update_progress(self, step: int, epoch: float, steps_per_sec: float) -> None:
        self.step = step
        self.bar.setValue(min(step, self.bar.maximum()))
        self.label.setText(progress_text(step, self.total, epoch, steps_per_sec))

    def set_message(self, text: str) -> None:
        self.label.setText(text)
