"""Live loss plot: D and G loss, and mean D(x) / D(G(z)), with EMA smoothing and log scale.

Data arrives in batches (:meth:`LossPlot.add_metrics`) and only marks the plot dirty; a
QTimer (``refresh_hz``) pushes the downsampled series into the lines with ``set_data`` and
blits them. Axis limits grow with headroom, so full redraws are rare. matplotlib is
imported, and the canvas built, only after the widget was first painted (the window
appears without waiting for it) or when :meth:`LossPlot.ensure_canvas` is called. GUI
thread only.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ganstudio.core.training_curves import MetricSeries

MAX_POINTS = 2000


class LossPlot(QWidget):
    """Two stacked axes fed from StepMetrics batches or metrics.jsonl records."""

    def __init__(self, parent: QWidget | None = None, refresh_hz: float = 5.0) -> None:
        super().__init__(parent)
        self.series = MetricSeries()
        self.canvas = None  # a BlitCanvas, built by ensure_canvas()
        self.lines: dict = {}
        self._total_steps = 0
        self._dirty = False
        self.smooth_box = QCheckBox("Smooth (EMA)")
        self.log_box = QCheckBox("Log scale")
        self.smooth_box.toggled.connect(self._options_changed)
        self.log_box.toggled.connect(self._options_changed)
        options = QHBoxLayout()
        options.addWidget(self.smooth_box)
        options.addWidget(self.log_box)
        options.addStretch(1)
        self._pending = QLabel("Loss plot")
        self._pending.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._pending.setMinimumSize(400, 240)  # holds the canvas' place in the splitter
        self._build_queued = False
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addLayout(options)
        self._layout.addWidget(self._pending, 1)
        self._reset_limits()
        self.timer = QTimer(self)
        self.timer.setInterval(int(1000 / refresh_hz))
        self.timer.timeout.connect(self.refresh)
        self.timer.start()

    # -- the canvas ------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self.canvas is None and not self._build_queued:
            self._build_queued = True
            QTimer.singleShot(0, self.ensure_canvas)  # after this first frame is on screen

    def ensure_canvas(self):
        """Import matplotlib and build the axes and lines (once); returns the canvas."""
        if self.canvas is not None:
            return self.canvas
        # deferred: matplotlib: the plot is built when first shown
        from ganstudio.qt.common.plot_canvas import BlitCanvas

        self.canvas = BlitCanvas()
        fig = self.canvas.figure
        self.ax_loss, self.ax_d = fig.subplots(2, 1, sharex=True)
        self.ax_loss.set_ylabel("loss")
        self.ax_d.set_ylabel("mean D output")
        self.ax_d.set_xlabel("step")
        add = self.canvas.add_animated
        self.lines = {
            "d_loss": add(self.ax_loss.plot([], [], label="D loss", color="tab:red")[0]),
            "g_loss": add(self.ax_loss.plot([], [], label="G loss", color="tab:blue")[0]),
            "d_real": add(self.ax_d.plot([], [], label="D(x)", color="tab:green")[0]),
            "d_fake": add(self.ax_d.plot([], [], label="D(G(z))", color="tab:orange")[0]),
        }
        for ax in (self.ax_loss, self.ax_d):
            ax.legend(loc="upper right", fontsize="small")
            ax.grid(True, alpha=0.3)
        self._layout.replaceWidget(self._pending, self.canvas)
        self._pending.deleteLater()
        self._layout.activate()  # sized now: its first draw must not see a 0x0 figure
        self._reset_limits()
        self._dirty = True
        return self.canvas

    # -- data in ---------------------------------------------------------------------
    def clear(self, total_steps: int = 0) -> None:
        self.series.clear()
        self._total_steps = total_steps
        self._reset_limits()
        self._dirty = True

    def set_total_steps(self, total_steps: int) -> None:
        self._total_steps = int(total_steps)
        self._dirty = True

    def add_metrics(self, records: Iterable[object]) -> None:
        """Append StepMetrics events or metrics.jsonl dicts; drawn on the next tick."""
        if self.series.extend(records):
            self._dirty = True

    # -- drawing ---------------------------------------------------------------------
    def _reset_limits(self) -> None:
        self._xmax = 100.0
        self._ylims: dict[str, tuple[float, float] | None] = {"loss": None, "d": None}

    def _options_changed(self) -> None:
        self._ylims = {"loss": None, "d": None}
        self._dirty = True
        self.refresh()

    def refresh(self) -> None:
        """Timer tick: push new data into the lines if anything changed."""
        if not self._dirty or not self.isVisible() or self.canvas is None:
            return
        self._dirty = False
        x, ys = self.series.view(MAX_POINTS, smooth=self.smooth_box.isChecked())
        for key, line in self.lines.items():
            line.set_data(x, ys[key])
        full = self._update_limits(x, ys)
        if full:
            self.canvas.request_full_draw()
        else:
            self.canvas.update_artists()

    def _update_limits(self, x: np.ndarray, ys: dict[str, np.ndarray]) -> bool:
        """Grow limits with headroom when data leaves them; True if a full draw is needed."""
        full = False
        last = float(x[-1]) if len(x) else 0.0
        target = max(self._total_steps, last, 1.0)
        if target > self._xmax or (self._total_steps and self._xmax != self._total_steps):
            self._xmax = float(self._total_steps) if self._total_steps >= last else last * 1.5
            self.ax_d.set_xlim(0, self._xmax)
            full = True
        log = self.log_box.isChecked()
        loss_vals = np.concatenate([ys["d_loss"], ys["g_loss"]])
        d_vals = np.concatenate([ys["d_real"], ys["d_fake"]])
        for name, ax, vals in (("loss", self.ax_loss, loss_vals), ("d", self.ax_d, d_vals)):
            vals = vals[np.isfinite(vals)]
            if not len(vals):
                continue
            lo, hi = float(vals.min()), float(vals.max())
            cur = self._ylims[name]
            if cur is not None and cur[0] <= lo and hi <= cur[1]:
                continue
            span = max(hi - lo, 1e-3)
            new = (lo - 0.5 * span, hi + 0.5 * span)  # headroom: few full redraws
            if name == "d" and lo >= 0 and hi <= 1:
                new = (-0.02, 1.02)
            elif name == "loss" and log and lo > 0:
                new = (lo / 2.0, hi * 2.0)
            if cur is not None:
                new = (min(new[0], cur[0]), max(new[1], cur[1]))
            self._ylims[name] = new
            if name == "loss" and log:
                self._apply_log_scale(ax, new)
            else:
                ax.set_yscale("linear")
                ax.set_ylim(*new)
            full = True
        return full

    @staticmethod
    def _apply_log_scale(ax, lims: tuple[float, float]) -> None:
        if lims[0] > 0:
            ax.set_yscale("log")
            ax.set_ylim(max(lims[0], 1e-6), lims[1])
        else:  # Wasserstein losses go negative: symmetric log
            ax.set_yscale("symlog", linthresh=1.0)
            ax.set_ylim(*lims)
        if not all(math.isfinite(v) for v in lims):
            ax.autoscale()
