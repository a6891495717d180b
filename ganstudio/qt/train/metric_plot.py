"""The quality metric plot under the loss plots: one metric of one extractor at a time.

Fed with evaluation records (metrics.jsonl dicts or EvalMetrics events); a list chooses
the curve (each names its extractor, so different extractors never share an axis). The
step of the best checkpoint is marked. Clicking a point emits ``step_clicked`` (the view
then shows that step's sample grid). Evaluations are rare, so every change is one
``draw_idle``. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ganstudio.core.metrics.series import EvalSeries, eval_record


class MetricPlot(QWidget):
    """A quality-metric curve with the best step marked; click a point to see its step."""

    step_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series = EvalSeries()
        self.canvas = FigureCanvasQTAgg(Figure(figsize=(5, 1.8), layout="constrained"))
        self.ax = self.canvas.figure.subplots()
        self.ax.set_xlabel("step")
        self.ax.grid(True, alpha=0.3)
        (self.line,) = self.ax.plot([], [], "o-", color="tab:purple", ms=4, picker=6)
        (self.best_marker,) = self.ax.plot([], [], "*", color="gold", ms=16, mec="black")
        self.best_line = self.ax.axvline(0, color="gold", ls="--", lw=1)
        self.best_line.set_visible(False)
        self.choice = QComboBox()
        self.choice.setMinimumContentsLength(28)
        self.choice.currentIndexChanged.connect(self.redraw)
        self.caption = QLabel("Quality metrics appear here as the run is evaluated")
        row = QHBoxLayout()
        row.addWidget(QLabel("Metric"))
        row.addWidget(self.choice, 1)
        row.addWidget(self.caption, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.canvas, 1)
        self.canvas.mpl_connect("pick_event", self._on_pick)
        self.total_steps = 0

    # -- data in --------------------------------------------------------------------------
    def clear(self, total_steps: int = 0) -> None:
        self.series.clear()
        self.total_steps = total_steps
        self._sync_choices()
        self.redraw()

    def add_records(self, records: Iterable[dict]) -> None:
        """Add metrics.jsonl records (others than training evaluations are skipped)."""
        if self.series.extend(records):
            self._sync_choices()
            self.redraw()

    def add_event(self, event) -> None:
        """Add an EvalMetrics event."""
        self.add_records([eval_record(event)])

    def truncate_after(self, step: int) -> None:
        self.series.truncate_after(step)
        self.redraw()

    # -- drawing --------------------------------------------------------------------------
    @property
    def current(self) -> tuple[str, str] | None:
        data = self.choice.currentData()
        return tuple(data) if data else None

    def _sync_choices(self) -> None:
        curves = self.series.curves()
        have = [tuple(self.choice.itemData(i)) for i in range(self.choice.count())]
        if [(e, k) for e, k, _ in curves] == have:
            return
        keep = self.current
        self.choice.blockSignals(True)
        self.choice.clear()
        for extractor, key, label in curves:
            self.choice.addItem(label, [extractor, key])
        index = self.choice.findData(list(keep)) if keep else -1
        self.choice.setCurrentIndex(max(index, 0) if curves else -1)
        self.choice.blockSignals(False)

    def redraw(self) -> None:
        current = self.current
        if current is None:
            self.line.set_data([], [])
            self.best_marker.set_data([], [])
            self.best_line.set_visible(False)
            self.canvas.draw_idle()
            return
        extractor, key = current
        steps, values = self.series.points(extractor, key)
        self.line.set_data(steps, values)
        self.ax.set_ylabel(self.choice.currentText().split(" (")[0])
        best = self.series.best_step(extractor)
        self.best_line.set_visible(best is not None)
        if best is not None:
            self.best_line.set_xdata([best, best])
            at = np.flatnonzero(steps == best)
            self.best_marker.set_data(steps[at], values[at])
            self.caption.setText(f"best checkpoint: step {best} (★)")
        else:
            self.best_marker.set_data([], [])
            self.caption.setText("click a point to see that step's samples")
        finite = values[np.isfinite(values)]
        self.ax.set_xlim(0, max(self.total_steps, float(steps.max()) if len(steps) else 1.0, 1.0))
        if len(finite):
            lo, hi = float(finite.min()), float(finite.max())
            pad = max(hi - lo, abs(hi) * 0.05, 1e-6) * 0.15
            self.ax.set_ylim(lo - pad, hi + pad)
        self.canvas.draw_idle()

    def _on_pick(self, event) -> None:
        if event.artist is not self.line or not len(event.ind):
            return
        steps = self.line.get_xdata()
        self.step_clicked.emit(int(steps[int(event.ind[0])]))
