"""Small message helpers: errors shown without blocking the window, yes/no questions.

GUI thread only. Errors use a non-modal QMessageBox, so the window keeps working
while the message is on screen; questions are modal (tests monkeypatch
``QMessageBox.question``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def show_error(parent: QWidget | None, title: str, text: str, details: str = "") -> QMessageBox:
    """Show ``text`` in a non-modal error box (with optional details) and return the box."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(title)
    box.setText(text)
    if details:
        box.setDetailedText(details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.show()
    return box


def ask_yes_no(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask a question; True when the user answers Yes."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
