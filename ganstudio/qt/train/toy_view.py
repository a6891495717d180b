"""2-D toy view (as in GAN Lab): real vs generated points over the discriminator's heat map.

Fed from SampleGrid events with ``kind == "points"``: ``images`` holds the generated
points (n, 2); ``extra["d_grid"]`` the discriminator's output on a (G, G) grid over
``extra["d_grid_extent"]`` = (xmin, xmax, ymin, ymax), which is also the plotted area, so
the heat map fills the whole plot; ``extra["real_points"]`` real samples (m, 2). Updates
are blitted; limits change (a full redraw) only when that extent does. matplotlib is
imported, and the canvas built, on the first frame or the first paint, not when the
window is built. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from ganstudio.core.data.source_table import mode_coverage_of


class ToyView(QWidget):
    """Scatter of real (green) and generated (purple) points over D's output."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = None  # a BlitCanvas with ax, heat, real, fake, built by ensure_canvas()
        self.caption = QLabel("Discriminator output behind real and generated points")
        self.slider = QSlider(Qt.Orientation.Horizontal)  # scrub through every frame so far
        self.slider.setEnabled(False)
        self.slider.valueChanged.connect(self._show_frame)
        row = QHBoxLayout()
        row.addWidget(self.caption, 1)
        row.addWidget(self.slider, 1)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addStretch(1)  # the canvas goes here
        self._layout.addLayout(row)
        self._build_queued = False
        self.frames: list[tuple[int, np.ndarray, Mapping[str, object]]] = []
        self.dataset = ""  # the toy set's spec, for the modes-covered count
        self._limits: tuple[float, float, float, float] | None = None
        self.step = -1
        self.updates = 0

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self.canvas is None and not self._build_queued:
            self._build_queued = True
            QTimer.singleShot(0, self.ensure_canvas)

    def ensure_canvas(self):
        """Import matplotlib and build the axes and artists (once); returns the canvas."""
        if self.canvas is not None:
            return self.canvas
        # deferred: matplotlib: the plot is built when first shown
        from ganstudio.qt.common.plot_canvas import BlitCanvas

        self.canvas = BlitCanvas()
        self.ax = self.canvas.figure.subplots()
        self.ax.set_aspect("equal", adjustable="box")
        self.heat = self.canvas.add_animated(
            self.ax.imshow(
                np.zeros((2, 2)),
                origin="lower",
                cmap="RdBu",
                vmin=0.0,
                vmax=1.0,
                extent=(-1, 1, -1, 1),
                interpolation="bilinear",
                alpha=0.7,
            )
        )
        self.heat.set_visible(False)
        self.real = self.canvas.add_animated(
            self.ax.scatter([], [], s=6, c="tab:green", label="real", alpha=0.6)
        )
        self.fake = self.canvas.add_animated(
            self.ax.scatter([], [], s=6, c="tab:purple", label="generated", alpha=0.8)
        )
        self.ax.legend(loc="upper right", fontsize="small")
        self.colorbar = self.canvas.figure.colorbar(self.heat, ax=self.ax, label="D output")
        self._layout.removeItem(self._layout.itemAt(0))
        self._layout.insertWidget(0, self.canvas, 1)
        self._layout.activate()  # sized now: its first draw must not see a 0x0 figure
        return self.canvas

    def clear(self) -> None:
        self.frames.clear()
        self.slider.setRange(0, 0)
        self.slider.setEnabled(False)
        self._limits = None
        self.step = -1
        if self.canvas is not None:
            self.heat.set_visible(False)
            self.real.set_offsets(np.zeros((0, 2)))
            self.fake.set_offsets(np.zeros((0, 2)))
            self.canvas.request_full_draw()

    def show_points(
        self, step: int, points: np.ndarray, extra: Mapping[str, object] | None = None
    ) -> None:
        """Keep a frame of generated ``points`` (n, 2) with real points and D's grid from
        ``extra``; show it if the slider is at the newest frame (it follows training)."""
        frame = (int(step), np.asarray(points, dtype=np.float32).reshape(-1, 2), dict(extra or {}))
        if self.frames and self.frames[-1][0] == frame[0]:
            self.frames[-1] = frame
        else:
            self.frames.append(frame)
        follow = self.slider.value() >= len(self.frames) - 2
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(self.frames) - 1)
        if follow:
            self.slider.setValue(len(self.frames) - 1)
        self.slider.blockSignals(False)
        self.slider.setEnabled(len(self.frames) > 1)
        if follow:
            self._show_frame(len(self.frames) - 1)

    def _show_frame(self, index: int) -> None:
        if not 0 <= index < len(self.frames):
            return
        step, points, extra = self.frames[index]
        self.ensure_canvas()
        self.fake.set_offsets(points)
        real = extra.get("real_points")
        if real is not None:
            self.real.set_offsets(np.asarray(real, dtype=np.float32).reshape(-1, 2))
        full = False
        grid = extra.get("d_grid")
        extent = extra.get("d_grid_extent")
        if grid is not None and extent is not None:
            grid = np.asarray(grid, dtype=np.float32)
            lo, hi = float(np.nanmin(grid)), float(np.nanmax(grid))
            if lo < 0 or hi > 1:  # a critic's score, not a probability: scale per frame
                self.heat.set_clim(lo, hi if hi > lo else lo + 1)
            else:
                self.heat.set_clim(0.0, 1.0)
            self.heat.set_data(grid)
            ext = tuple(float(v) for v in extent)
            if tuple(self.heat.get_extent()) != ext:
                self.heat.set_extent(ext)
                full = True
            self.heat.set_visible(True)
        full = self._fit_limits(points, real, extent) or full
        self.step = int(step)
        self.caption.setText(
            f"step {step}: D's output behind real and generated points" + self._coverage(points)
        )
        self.updates += 1
        if full:
            self.canvas.request_full_draw()
        else:
            self.canvas.update_artists()

    def _coverage(self, points: np.ndarray) -> str:
        """ "; 5/8 modes covered" for a set with modes (its data source counts them;
        ``dataset`` is the set's spec)."""
        counted = mode_coverage_of(self.dataset, points) if self.dataset else None
        if counted is None:
            return ""
        covered, total = counted
        return f"; {covered}/{total} modes covered"

    def _fit_limits(self, points, real, extent) -> bool:
        """The heat map's extent is the plotted area (the engine sizes it to the points);
        without one, fit the points. True if the limits changed (a full redraw)."""
        if extent is not None:
            limits = tuple(float(v) for v in extent)
        else:
            parts = [points]
            if real is not None:
                parts.append(np.asarray(real, dtype=np.float32).reshape(-1, 2))
            allp = np.concatenate(parts)
            allp = allp[np.isfinite(allp).all(axis=1)]
            if not len(allp):
                return False
            (x0, y0), (x1, y1) = allp.min(axis=0), allp.max(axis=0)
            cur = self._limits
            if cur and cur[0] <= x0 and x1 <= cur[1] and cur[2] <= y0 and y1 <= cur[3]:
                return False
            pad_x, pad_y = 0.1 * max(x1 - x0, 1e-3), 0.1 * max(y1 - y0, 1e-3)
            limits = (x0 - pad_x, x1 + pad_x, y0 - pad_y, y1 + pad_y)
        if limits == self._limits:
            return False
        self._limits = limits
        self.ax.set_xlim(limits[0], limits[1])
        self.ax.set_ylim(limits[2], limits[3])
        return True
