"""The settings form's collapsible "Advanced" group: where and how fast to train.

Strategy (tf.distribute), devices, XLA and mixed precision: fields of
:class:`~ganstudio.core.config.TrainConfig` that most runs leave alone, so the group starts
folded. A multi-worker run is started with ``ganstudio train`` on every machine; the
window then watches the chief's run folder. GUI thread only.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

STRATEGY_LABELS = {
    "auto": "Automatic (several GPUs: mirrored)",
    "default": "One device",
    "mirrored": "Mirrored (all GPUs of this machine)",
    "multiworker": "Multi-worker (a cluster, see README)",
}
FIELDS = ("strategy", "devices", "xla", "mixed_precision")


class AdvancedSettings(QWidget):
    """A folded group of rarely changed training fields; ``values()`` / ``set_values()``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.toggle = QToolButton(text="Advanced", checkable=True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setAutoRaise(True)
        self.body = QWidget()
        self.strategy = QComboBox()
        for name, label in STRATEGY_LABELS.items():
            self.strategy.addItem(label, name)
        self.strategy.setToolTip(
            "tf.distribute strategy; the batch size is the global batch, split over all replicas"
        )
        self.devices = QLineEdit()
        self.devices.setPlaceholderText("all visible (or a count: 2, or GPU:0,GPU:1)")
        self.xla = QCheckBox("Compile the training step with XLA")
        self.mixed_precision = QCheckBox("Mixed precision (float16 on a GPU)")
        form = QFormLayout(self.body)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Strategy", self.strategy)
        form.addRow("Devices", self.devices)
        form.addRow("", self.xla)
        form.addRow("", self.mixed_precision)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toggle)
        layout.addWidget(self.body)
        self.body.setVisible(False)
        self.toggle.toggled.connect(self.set_expanded)

    def set_expanded(self, expanded: bool) -> None:
        self.toggle.setChecked(expanded)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)

    def values(self) -> dict[str, Any]:
        return {
            "strategy": self.strategy.currentData(),
            "devices": self.devices.text().strip(),
            "xla": self.xla.isChecked(),
            "mixed_precision": self.mixed_precision.isChecked(),
        }

    def set_values(self, values: dict[str, Any]) -> None:
        """Show the advanced fields that ``values`` (a config dict) holds; keep the others."""
        if "strategy" in values:
            self.strategy.setCurrentIndex(max(self.strategy.findData(values["strategy"]), 0))
        if "devices" in values:
            self.devices.setText(str(values["devices"] or ""))
        if "xla" in values:
            self.xla.setChecked(bool(values["xla"]))
        if "mixed_precision" in values:
            self.mixed_precision.setChecked(bool(values["mixed_precision"]))
