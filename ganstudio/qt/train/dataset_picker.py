"""The dataset list of the training form, filled from the table of data sources.

Each source's ready-made choices come first, then its "Open …" entries (a file or folder
dialog whose answer becomes ``prefix:PATH``). Specs set from outside (a run, a dropped
file) are added above the separator. GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QWidget

from ganstudio.core.data.source_table import DataSource, data_sources, describe_spec, spec_label

_BROWSE = "<browse:{}>"  # item data of an "Open …" entry


class DatasetPicker(QComboBox):
    """A list of dataset specs; ``currentData()`` is the spec (or an "Open …" marker)."""

    chosen = Signal(str)  # a person picked (or browsed to) this spec

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._browse: dict[str, DataSource] = {}
        for source in data_sources():
            for choice in source.choices:
                self.addItem(choice.label, choice.spec)
                self.setItemData(self.count() - 1, choice.description, Qt.ItemDataRole.ToolTipRole)
        self.insertSeparator(self.count())
        self._first_browse = self.count()
        for source in data_sources():
            if source.browse is not None:
                key = _BROWSE.format(source.prefix)
                self._browse[key] = source
                self.addItem(source.browse.label, key)
        self._last_index = 0
        self.currentIndexChanged.connect(self._picked)

    def spec(self) -> str:
        """The selected spec (``digits`` while an "Open …" entry is being answered)."""
        spec = self.currentData()
        return spec if spec and spec not in self._browse else "digits"

    def set_spec(self, spec: str) -> None:
        """Select ``spec``, adding it above the separator if the list lacks it; no signal."""
        self.blockSignals(True)
        try:
            index = self.findData(spec)
            if index < 0:
                index = self._first_browse - 1  # before the separator
                self.insertItem(index, spec_label(spec), spec)
                self.setItemData(index, describe_spec(spec), Qt.ItemDataRole.ToolTipRole)
                self._first_browse += 1
            self.setCurrentIndex(index)
        finally:
            self.blockSignals(False)
        self._last_index = index

    def _picked(self, index: int) -> None:
        spec = self.itemData(index)
        if spec in self._browse:
            spec = self._ask_path(self._browse[spec])
            if not spec:
                self.blockSignals(True)
                self.setCurrentIndex(self._last_index)
                self.blockSignals(False)
                return
            self.set_spec(spec)
        self._last_index = self.currentIndex()
        self.chosen.emit(spec)

    def _ask_path(self, source: DataSource) -> str:
        browse = source.browse
        assert browse is not None
        if browse.file_filter is not None:
            path, _ = QFileDialog.getOpenFileName(self, browse.title, "", browse.file_filter)
        else:
            path = QFileDialog.getExistingDirectory(self, browse.title)
        return f"{source.prefix}:{path}" if path else ""
