"""Left half of the latent explorer: the latent map with its axis choice, and the
current point's image shown large (with Play for audio generators). GUI thread only."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ganstudio.qt.common.images import ImageView
from ganstudio.qt.kinds import kind_view
from ganstudio.qt.latent.map import LatentMapView
from ganstudio.qt.latent.worker import GenInfo


class ViewPanel(QWidget):
    """The map (with horizontal/vertical direction combos and extent) and the large view."""

    axes_changed = Signal(int, int)
    extent_changed = Signal(float)
    cells_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.map_view = LatentMapView()
        self.axis_x = QComboBox()
        self.axis_y = QComboBox()
        self.extent = QDoubleSpinBox()
        self.extent.setRange(0.25, 10.0)
        self.extent.setSingleStep(0.25)
        self.extent.setValue(3.0)
        self.cells = QSpinBox()
        self.cells.setRange(2, 32)
        self.cells.setValue(20)
        self.cells.setSuffix(" cells")
        self.image = ImageView(min_size=200)
        self.play_button = QPushButton("Play sound")
        self.play_button.setVisible(False)
        self.autoplay = QCheckBox("Play on every change")
        self.autoplay.setVisible(False)
        self.status = QLabel("No generator loaded")
        self.status.setWordWrap(True)

        axes = QHBoxLayout()
        axes.addWidget(QLabel("Map →"))
        axes.addWidget(self.axis_x)
        axes.addWidget(QLabel("↑"))
        axes.addWidget(self.axis_y)
        axes.addWidget(QLabel("± extent"))
        axes.addWidget(self.extent)
        axes.addWidget(self.cells)
        left = QVBoxLayout()
        left.addWidget(self.map_view, 1)
        left.addLayout(axes)
        right = QVBoxLayout()
        right.addWidget(self.image, 1)
        play = QHBoxLayout()
        play.addWidget(self.play_button)
        play.addWidget(self.autoplay)
        right.addLayout(play)
        right.addWidget(self.status)
        outer = QHBoxLayout(self)
        outer.addLayout(left, 1)
        outer.addLayout(right, 1)

        self.axis_x.currentIndexChanged.connect(self._on_axes)
        self.axis_y.currentIndexChanged.connect(self._on_axes)
        self.extent.valueChanged.connect(self._on_extent)
        self.cells.valueChanged.connect(self.cells_changed)

    def configure(self, info: GenInfo, names: list[str], cells: int) -> None:
        playable = kind_view(info.kind).playable
        self.play_button.setVisible(playable)
        self.autoplay.setVisible(playable)
        self.cells.blockSignals(True)
        self.cells.setValue(cells)
        self.cells.blockSignals(False)
        what = f"{info.kind} generator, {info.latent_dim}-D latent"
        if info.num_classes:
            what += f", {info.num_classes} classes"
        self.set_status(f"{info.source or 'generator'}: {what}")
        self.set_slider_names(names)

    def set_slider_names(self, names: list[str]) -> None:
        for combo, index in ((self.axis_x, 0), (self.axis_y, 1)):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(names)
            combo.setCurrentIndex(min(index, len(names) - 1))
            combo.blockSignals(False)
        self.map_view.set_axis_names(*self._names())

    def _names(self) -> tuple[str, str]:
        return self.axis_x.currentText(), self.axis_y.currentText()

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    def show_image(self, image: np.ndarray) -> None:
        self.image.set_array(image)

    def _on_axes(self) -> None:
        a, b = self.axis_x.currentIndex(), self.axis_y.currentIndex()
        self.map_view.set_axis_names(*self._names())
        if a >= 0 and b >= 0 and a != b:
            self.axes_changed.emit(a, b)

    def _on_extent(self, value: float) -> None:
        self.map_view.set_extent(value)
        self.extent_changed.emit(float(value))
