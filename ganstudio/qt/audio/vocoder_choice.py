"""The vocoder in use: "Phase reconstruction" or a vocoder (a melgan run, or a foreign
spectrogram -> waveform file), chosen in one combo box of the Audio tab.

*Resynthesize with model…* uses it; the sound pads, the sample grid's tiles and the
explorer's sounds use it in place of phase reconstruction when it is a melgan run whose
mel settings match the spectrograms'. GUI thread only; nothing is loaded here (each
consumer loads the vocoder on its own worker thread from the path).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLabel, QWidget

PHASE = "Phase reconstruction"
_CHOOSE = "\x00choose"


def vocoder_path(chosen: str) -> str:
    """A run folder for a file picked inside one (``config.json``, ``generator.keras``)."""
    p = Path(chosen)
    if p.name == "config.json":
        return str(p.parent)
    if p.name == "generator.keras" and p.parent.name == "generator":
        return str(p.parent.parent)
    return str(p)


class VocoderChooser(QWidget):
    """``Vocoder: [Phase reconstruction | <vocoders> | Choose vocoder…]``.

    Signal ``changed(str)``: the chosen vocoder's path, "" for phase reconstruction.
    """

    changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        self.combo.setToolTip(
            "How spectrograms become sound (sound pads, sample grid, explorer) and which "
            "vocoder Resynthesize with model… uses. A vocoder stands in for phase "
            "reconstruction only where its mel settings match."
        )
        self.combo.addItem(PHASE, "")
        self.combo.addItem("Choose vocoder…", _CHOOSE)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Vocoder:"))
        layout.addWidget(self.combo)
        self._last = 0
        self.combo.activated.connect(self._on_activated)

    def current_path(self) -> str:
        data = self.combo.currentData()
        return "" if data in ("", _CHOOSE, None) else str(data)

    def add_vocoder(self, path: str, select: bool = True) -> None:
        """List ``path`` (once) and, with ``select``, make it the one in use."""
        path = vocoder_path(path)
        index = self.combo.findData(path)
        if index < 0:
            index = self.combo.count() - 1  # before "Choose vocoder…"
            self.combo.insertItem(index, Path(path).name, path)
            self.combo.setItemData(index, path, 3)  # tooltip: the whole path
        if select:
            self._select(index)

    def use_phase_reconstruction(self) -> None:
        self._select(0)

    def _select(self, index: int) -> None:
        changed = index != self.combo.currentIndex() or index != self._last
        self.combo.setCurrentIndex(index)
        self._last = index
        if changed:
            self.changed.emit(self.current_path())

    def _on_activated(self, index: int) -> None:
        if self.combo.itemData(index) == _CHOOSE:
            self.combo.setCurrentIndex(self._last)
            self.ask()
        elif index != self._last:
            self._last = index
            self.changed.emit(self.current_path())

    def ask(self) -> str:
        """Ask for a vocoder (a melgan run's config.json or generator.keras, or a
        .keras/.h5 file); returns its path ("" if none was chosen)."""
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Choose a vocoder: a melgan run (its config.json) or a .keras / .h5 file",
            "",
            "Vocoders (config.json generator.keras *.keras *.h5 *.hdf5);;All files (*)",
        )
        if path:
            self.add_vocoder(path)
        return vocoder_path(path) if path else ""
