"""Latent explorer controls: seed, random, truncation, class, basis and direction sliders.

Pure view: it holds no latent state, only emits what the user changed. GUI thread only.
"""

from __future__ import annotations

import random

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ganstudio.core.latent.space import TRUNCATION_MAX
from ganstudio.qt.latent.worker import GenInfo

SLIDER_SCALE = 100  # slider ticks per latent unit
SLIDER_RANGE = 3.0  # sliders span [-3, 3]: three standard deviations of the prior
MAX_SLIDERS = 8


class LatentControls(QWidget):
    """Seed box, Random, truncation, class combo, basis choice and coefficient sliders."""

    seed_changed = Signal(int)
    truncation_changed = Signal(float)
    class_changed = Signal(int)
    basis_changed = Signal(str)  # "axes", "pca:output" or "pca:<layer name>"
    coeff_changed = Signal(int, float)
    open_requested = Signal()
    snapshot_changed = Signal(str)  # "latest" | "best": which of a run's generators

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.open_button = QPushButton("Open run folder or generator…")
        self.open_button.clicked.connect(self.open_requested)
        form = QFormLayout()
        self.snapshot = QComboBox()
        self.snapshot.addItem("Latest (as trained so far)", "latest")
        self.snapshot.addItem("Best (by the quality metric)", "best")
        self.snapshot.setToolTip("A run folder's latest generator or its best checkpoint")
        self.snapshot.setEnabled(False)
        self.snapshot.currentIndexChanged.connect(
            lambda i: self.snapshot_changed.emit(self.snapshot.itemData(i))
        )
        form.addRow("Generator", self.snapshot)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.random_button = QPushButton("Random")
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.seed, 1)
        seed_row.addWidget(self.random_button)
        form.addRow("Seed", seed_row)
        self.truncation = QSlider(Qt.Orientation.Horizontal)
        self.truncation.setRange(0, round(TRUNCATION_MAX * 100))
        self.truncation.setValue(100)
        self.truncation_label = QLabel("1.00")
        trunc_row = QHBoxLayout()
        trunc_row.addWidget(self.truncation, 1)
        trunc_row.addWidget(self.truncation_label)
        form.addRow("Truncation", trunc_row)
        self.class_combo = QComboBox()
        self.class_label = QLabel("Class")
        form.addRow(self.class_label, self.class_combo)
        self.basis = QComboBox()
        form.addRow("Sliders move", self.basis)
        self.sliders_box = QGroupBox("Directions")
        self.sliders_layout = QFormLayout(self.sliders_box)
        self.sliders: list[QSlider] = []
        self._value_labels: list[QLabel] = []
        outer = QVBoxLayout(self)
        outer.addWidget(self.open_button)
        outer.addLayout(form)
        outer.addWidget(self.sliders_box)
        outer.addStretch(1)

        self.seed.valueChanged.connect(self.seed_changed)
        self.random_button.clicked.connect(self._randomize)
        self.truncation.valueChanged.connect(self._on_truncation)
        self.class_combo.currentIndexChanged.connect(self._on_class)
        self.basis.currentIndexChanged.connect(self._on_basis)

    # ---------------------------------------------------------------- set up
    def configure(self, info: GenInfo) -> None:
        """Rebuild for a generator (emits nothing)."""
        self.blockSignals(True)
        try:
            self.class_combo.clear()
            self.class_combo.addItems(list(info.class_names))
            conditional = info.num_classes > 0
            self.class_combo.setVisible(conditional)
            self.class_label.setVisible(conditional)
            self.basis.clear()
            self.basis.addItem("Latent coordinates", "axes")
            if info.latent_dim > 2:
                self.basis.addItem("Principal directions of the output", "pca:output")
                for name in info.layers:
                    self.basis.addItem(f"Principal directions of layer {name}", f"pca:{name}")
            self.set_slider_count(min(info.latent_dim, MAX_SLIDERS), "z")
        finally:
            self.blockSignals(False)

    def set_slider_count(self, k: int, prefix: str) -> None:
        """Show ``k`` sliders labelled ``prefix`` 0..k-1 (existing values are reset)."""
        while self.sliders_layout.rowCount():
            self.sliders_layout.removeRow(0)
        self.sliders, self._value_labels = [], []
        for i in range(k):
            slider = QSlider(Qt.Orientation.Horizontal)
            slider.setRange(-int(SLIDER_RANGE * SLIDER_SCALE), int(SLIDER_RANGE * SLIDER_SCALE))
            value = QLabel("+0.00")
            value.setMinimumWidth(44)
            row = QHBoxLayout()
            row.addWidget(slider, 1)
            row.addWidget(value)
            slider.valueChanged.connect(lambda v, i=i: self._on_slider(i, v))
            self.sliders_layout.addRow(f"{prefix}{i}", row)
            self.sliders.append(slider)
            self._value_labels.append(value)

    def set_coeffs(self, coeffs: np.ndarray) -> None:
        """Move the sliders to ``coeffs`` without emitting ``coeff_changed``."""
        for slider, label, c in zip(self.sliders, self._value_labels, coeffs, strict=False):
            slider.blockSignals(True)
            slider.setValue(round(float(c) * SLIDER_SCALE))
            slider.blockSignals(False)
            label.setText(f"{float(c):+.2f}")

    def truncation_value(self) -> float:
        return self.truncation.value() / 100.0

    # ----------------------------------------------------------------- slots
    def _randomize(self) -> None:
        self.seed.setValue(random.randrange(0, 2**31 - 1))

    def _on_truncation(self, value: int) -> None:
        self.truncation_label.setText(f"{value / 100:.2f}")
        self.truncation_changed.emit(value / 100.0)

    def _on_class(self, index: int) -> None:
        if index >= 0:
            self.class_changed.emit(index)

    def _on_basis(self, index: int) -> None:
        if index >= 0:
            self.basis_changed.emit(self.basis.itemData(index))

    def _on_slider(self, i: int, value: int) -> None:
        c = value / SLIDER_SCALE
        self._value_labels[i].setText(f"{c:+.2f}")
        self.coeff_changed.emit(i, c)
