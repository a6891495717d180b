"""Overlaid curves of several runs: one training curve and one quality metric.

Each run keeps its colour on both axes. The metric list offers each (extractor, metric)
pair the runs have; only runs measured with that extractor are drawn, so numbers from
different extractors never share an axis. The x axis is the step or the wall time.
GUI thread only.
"""

from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ganstudio.core.compare import RunData
from ganstudio.core.metrics.measures import axis_title

TRAIN_CURVES = {"d_loss": "D loss", "g_loss": "G loss", "d_real": "D(x)", "d_fake": "D(G(z))"}
X_AXES = {"step": "step", "time": "wall time (minutes)"}


def run_colour(index: int) -> str:
    return f"C{index % 10}"


class CompareCurves(QWidget):
    """Two axes (a training curve above, a quality metric below) over several runs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runs: list[RunData] = []
        self.canvas = FigureCanvasQTAgg(Figure(figsize=(6, 4), layout="constrained"))
        self.ax_train, self.ax_metric = self.canvas.figure.subplots(2, 1)
        self.x_axis = QComboBox()
        for key, label in X_AXES.items():
            self.x_axis.addItem(label, key)
        self.train_curve = QComboBox()
        for key, label in TRAIN_CURVES.items():
            self.train_curve.addItem(label, key)
        self.metric = QComboBox()
        self.metric.setMinimumContentsLength(24)
        for box in (self.x_axis, self.train_curve, self.metric):
            box.currentIndexChanged.connect(self.redraw)
        row = QHBoxLayout()
        for label, box in (
            ("x", self.x_axis),
            ("curve", self.train_curve),
            ("metric", self.metric),
        ):
            row.addWidget(QLabel(label))
            row.addWidget(box, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.canvas, 1)

    def set_runs(self, runs: list[RunData]) -> None:
        self.runs = list(runs)
        keep = self.metric.currentData()
        curves: dict[tuple[str, str], str] = {}
        for run in self.runs:
            for extractor, key, label in run.evals.curves():
                curves.setdefault((extractor, key), label)
        self.metric.blockSignals(True)
        self.metric.clear()
        for (extractor, key), label in curves.items():
            self.metric.addItem(label, [extractor, key])
        index = self.metric.findData(keep) if keep else -1
        self.metric.setCurrentIndex(max(index, 0) if curves else -1)
        self.metric.blockSignals(False)
        self.redraw()

    def drawn_lines(self) -> dict[str, int]:
        """How many run curves each axis shows now (for tests and the status line)."""
        return {"train": len(self.ax_train.lines), "metric": len(self.ax_metric.lines)}

    def redraw(self) -> None:
        by_time = self.x_axis.currentData() == "time"
        key = self.train_curve.currentData() or "d_loss"
        metric = self.metric.currentData()
        for ax in (self.ax_train, self.ax_metric):
            ax.clear()
            ax.grid(True, alpha=0.3)
        for i, run in enumerate(self.runs):
            colour = run_colour(i)
            x = run.minutes if by_time else run.steps
            self.ax_train.plot(x, run.train[key], color=colour, lw=1, label=run.name)
            if metric:
                extractor, name = metric
                steps, values = run.evals.points(extractor, name)
                if len(steps):
                    xs = run.eval_minutes(extractor) if by_time else steps
                    self.ax_metric.plot(xs, values, "o-", color=colour, ms=3, label=run.name)
        self.ax_train.set_ylabel(TRAIN_CURVES[key])
        self.ax_metric.set_ylabel(axis_title(metric[1]) if metric else "metric")
        self.ax_metric.set_xlabel(X_AXES["time" if by_time else "step"])
        if not metric:
            self.ax_metric.text(
                0.5, 0.5, "no quality metrics in these runs", ha="center",
                transform=self.ax_metric.transAxes,
            )  # fmt: skip
        if self.runs:
            self.ax_train.legend(fontsize="small", loc="upper right")
        self.canvas.draw_idle()
