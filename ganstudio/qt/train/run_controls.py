"""Start / Pause-Resume / Stop / Step buttons and the progress bar with steps/s and ETA.

The buttons show the main window's QActions (which carry the keyboard shortcuts), so
enabling an action enables its button. GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QProgressBar,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ganstudio.core.progress import progress_text


class StatusLine(QWidget):
    """One line of text that repaints only itself when it changes.

    A QLabel asks its window to lay out again on every ``setText``; with the progress text
    changing five times a second that repainted some twenty widgets of the Train tab each
    time (the sample grid among them), all on the GUI thread. Text wider than the line is
    elided; the whole text is the tooltip.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = text
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # parents need not paint

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.setToolTip(text)
            self.update()

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(
            metrics.horizontalAdvance("step 000000/000000 · 00.00 steps/s"), metrics.height() + 4
        )

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        painter.setPen(self.palette().windowText().color())
        text = self.fontMetrics().elidedText(self._text, Qt.TextElideMode.ElideRight, self.width())
        painter.drawText(
            self.rect(), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text
        )
        painter.end()


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
        self.label = StatusLine("Not started")
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

    def update_progress(
        self, step: int, epoch: float, steps_per_sec: float, note: str = ""
    ) -> None:
        """Show the progress of ``step``; ``note`` (e.g. who writes a watched run) follows."""
        self.step = step
        self.bar.setValue(min(step, self.bar.maximum()))
        text = progress_text(step, self.total, epoch, steps_per_sec)
        self.label.setText(f"{text} · {note}" if note else text)

    def set_message(self, text: str) -> None:
        self.label.setText(text)
