"""A tab page that builds its panel the first time it is shown or asked for.

Panels with heavy imports (the audio panel: matplotlib views, librosa's warm-up) need not
delay the window: :class:`LazyPanel` holds a factory and calls it on the first
``showEvent`` or :meth:`LazyPanel.panel` call. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyPanel(QWidget):
    """An empty page until :meth:`panel` builds ``factory()`` into it (once)."""

    def __init__(self, factory: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._factory = factory
        self._panel: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @property
    def is_built(self) -> bool:
        return self._panel is not None

    def panel(self) -> QWidget:
        """The panel, built now if it was not yet."""
        if self._panel is None:
            self._panel = self._factory()
            self._layout.addWidget(self._panel)
            self._layout.activate()  # laid out now, before anything in it draws
        return self._panel

    def showEvent(self, event) -> None:
        self.panel()
        super().showEvent(event)
