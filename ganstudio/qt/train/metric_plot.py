"""The quality metric plot under the loss plots: one metric of one extractor at a time.

Fed with evaluation records (metrics.jsonl dicts or EvalMetrics events); a list chooses
the curve (each names its extractor, so different extractors never share an axis). The
step of the best checkpoint is marked. Clicking a point emits ``step_clicked`` (the view
then shows that step's sample grid). Evaluations are rare, so every change is one
``draw_idle``. matplotlib is imported, and the canvas built, after the widget was first
painted or when :attr:`canvas` or :attr:`ax` is first used (the window appears without
waiting for it). GUI thread only.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ganstudio.core.metrics.eval_curves import EvalSeries, eval_record
from ganstudio.core.metrics.measures import axis_title


class MetricPlot(QWidget):
    """A quality-metric curve with the best step marked; click a point to see its step."""

    step_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series = EvalSeries()
        self._canvas = None  # built by ensure_canvas()
        self._build_queued = False
        self.choice = QComboBox()
        self.choice.setMinimumContentsLength(28)
        self.choice.currentIndexChanged.connect(self.redraw)
        self.caption = QLabel("Quality metrics appear here as the run is evaluated")
        row = QHBoxLayout()
        row.addWidget(QLabel("Metric"))
        row.addWidget(self.choice, 1)
        row.addWidget(self.caption, 2)
        self._pending = QLabel("Quality metrics")
        self._pending.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._pending.setMinimumHeight(120)  # holds the canvas' place
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addLayout(row)
        self._layout.addWidget(self._pending, 1)
        self.total_steps = 0

    # -- the canvas -----------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self._canvas is None and not self._build_queued:
            self._build_queued = True
            QTimer.singleShot(0, self.ensure_canvas)  # after this first frame is on screen

    @property
    def canvas(self):
        return self.ensure_canvas()

    @property
    def ax(self):
        self.ensure_canvas()
        return self._ax

    def ensure_canvas(self):
        """Import matplotlib and build the axes (once); returns the canvas."""
        if self._canvas is not None:
            return self._canvas
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        canvas = FigureCanvasQTAgg(Figure(figsize=(5, 1.8), layout="constrained"))
        ax = self._ax = canvas.figure.subplots()
        ax.set_xlabel("step")
        ax.grid(True, alpha=0.3)
        (self.line,) = ax.plot([], [], "o-", color="tab:purple", ms=4, picker=6)
        (self.best_marker,) = ax.plot([], [], "*", color="gold", ms=16, mec="black")
        self.best_line = ax.axvline(0, color="gold", ls="--", lw=1)
        self.best_line.set_visible(False)
        canvas.mpl_connect("pick_event", self._on_pick)
        self._layout.replaceWidget(self._pending, canvas)
        self._pending.deleteLater()
        self._canvas = canvas
        self.redraw()
        return canvas

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
        if self._canvas is None:  # drawn when the canvas is built
            return
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
        self.ax.set_ylabel(axis_title(key))
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
