"""Space (pause / resume) and Esc (stop) act on the Train tab only, never on another tab,
and never take a key that the focused editor needs.

The Pause action's Space shortcut gets the ``WidgetWithChildrenShortcut`` context and is
added to the training view; Esc is a shortcut of that view that triggers the Stop action
(whose own ``Ctrl+.`` stays window-wide, like the menu entries). An event filter on the
view answers the ShortcutOverride of a focused editor, so Space types into a line edit
or spin box, toggles a check box or opens a combo box, and Esc cancels an edit. GUI
thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

TEXT_ENTRY = (QLineEdit, QAbstractSpinBox, QTextEdit, QPlainTextEdit, QComboBox)
KEEPS_KEY = {
    Qt.Key.Key_Space: (*TEXT_ENTRY, QAbstractButton, QAbstractItemView),
    Qt.Key.Key_Escape: TEXT_ENTRY,
}


class RunKeys(QObject):
    """Binds Space to ``pause`` and Esc to ``stop`` inside ``view`` (see module docstring)."""

    def __init__(self, view: QWidget, pause: QAction, stop: QAction) -> None:
        super().__init__(view)
        pause.setShortcuts([QKeySequence(Qt.Key.Key_Space)])
        pause.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        pause.setAutoRepeat(False)  # holding Space must not flip pause on and off
        view.addAction(pause)
        self.esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), view)
        self.esc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.esc.setAutoRepeat(False)
        self.esc.activated.connect(stop.trigger)
        self.esc.setEnabled(stop.isEnabled())
        stop.enabledChanged.connect(self.esc.setEnabled)
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and not event.modifiers():
            keeps = KEEPS_KEY.get(Qt.Key(event.key()))
            if keeps and isinstance(QApplication.focusWidget(), keeps):
                event.accept()  # the editor gets the key press; no shortcut fires
                return True
        return False
