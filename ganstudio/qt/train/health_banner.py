"""A visible banner for health warnings (collapse, a winning discriminator, divergence).

Shows the newest warning's text (what was seen and what to try) on a coloured bar above
the plots until the user closes it or a new run starts. GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

TITLES = {
    "collapse": "Mode collapse?",
    "discriminator": "Discriminator winning",
    "diverging": "Diverging",
    "oscillating": "Oscillating",
    "metrics": "Quality metrics",
}


class HealthBanner(QFrame):
    """Hidden until :meth:`show_warning`; a close button hides it again."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("healthBanner")
        self.setStyleSheet(
            "#healthBanner { background: #fff3cd; border: 1px solid #d39e00; border-radius: 4px; }"
            " QLabel { color: #533f03; }"
        )
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setToolTip("Hide this warning")
        self.close_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.warnings: list[tuple[int, str, str]] = []
        self.hide()

    def show_warning(self, step: int, kind: str, message: str) -> None:
        self.warnings.append((int(step), kind, message))
        title = TITLES.get(kind, kind)
        self.label.setText(f"<b>⚠ {title}</b> (step {step}): {message}")
        self.show()

    def dismiss(self) -> None:
        self.hide()

    def clear(self) -> None:
        self.warnings.clear()
        self.label.clear()
        self.hide()

    @property
    def text(self) -> str:
        return self.label.text()
