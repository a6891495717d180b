"""A form for what a foreign generator file's shapes cannot tell (output range, axes,
sound settings): one row per :class:`~ganstudio.core.foreign.answers.Question`, each
with its choices or a number field, filled with the default. GUI thread only."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


class AnswersDialog(QDialog):
    """Ask the open questions of one model file; :meth:`answers` after ``accept``."""

    def __init__(self, name: str, summary: str, questions: list, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"About {name}")
        self.fields: dict[str, QComboBox | QLineEdit] = {}
        intro = QLabel(
            f"<b>{name}</b> {summary}.<br>Its shapes do not tell the following; the answers "
            "are kept beside the file, so you are asked only once."
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        for q in questions:
            if q.choices:
                field = QComboBox()
                field.addItems(list(q.choices))
                field.setCurrentText(q.default)
            else:
                field = QLineEdit(q.default)
            field.setToolTip(q.text)
            field.setObjectName(q.key)
            label = QLabel(q.text)
            label.setWordWrap(True)
            form.addRow(label, field)
            self.fields[q.key] = field
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def answers(self) -> dict[str, str]:
        """The values in the form, keyed by question."""
        return {
            key: field.currentText() if isinstance(field, QComboBox) else field.text().strip()
            for key, field in self.fields.items()
        }
