"""The live sample grid with a history slider and PNG / GIF export.

Grids arrive tiled (see :mod:`ganstudio.qt.train.grid_history`): live ones tiled on the
training thread, a run folder's read on a worker. The view keeps every step but only
the newest grids in memory; when the slider goes to an older one, it is read back from
the run folder (``set_source``) on the view's :class:`JobRunner`, and the GIF export
reads them there too. The canvas paints with nearest-neighbour scaling. While the
slider sits at the newest grid it follows new ones. GUI thread only.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from ganstudio.core.imaging import save_png
from ganstudio.qt.common.images import uint8_to_qimage
from ganstudio.qt.common.jobs import JobRunner
from ganstudio.qt.train.grid_history import KEEP_GRIDS, Grid, GridHistory, load_grid, make_grid
from ganstudio.qt.train.grid_history import write_gif as write_gif_job


class GridCanvas(QWidget):
    """Paints one image scaled to fit, with nearest-neighbour sampling and square pixels."""

    clicked = Signal(float, float)  # a click, in the image's pixel coordinates

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image: QImage | None = None
        self._target = QRect()
        self.setMinimumSize(160, 160)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # a click focuses the Train view

    def mousePressEvent(self, event) -> None:
        if self._image is None or self._target.isEmpty():
            return
        pos = event.position()
        sx = self._image.width() / self._target.width()
        sy = self._image.height() / self._target.height()
        self.clicked.emit((pos.x() - self._target.x()) * sx, (pos.y() - self._target.y()) * sy)

    def set_image(self, image: QImage | None) -> None:
        self._image = image
        self.update()

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        if self._image is None or self._image.isNull():
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No samples yet")
            return
        iw, ih = self._image.width(), self._image.height()
        scale = min(self.width() / iw, self.height() / ih)
        if scale >= 2:
            scale = int(scale)  # whole-number zoom keeps every pixel the same size
        w, h = max(1, int(iw * scale)), max(1, int(ih * scale))
        target = QRect((self.width() - w) // 2, (self.height() - h) // 2, w, h)
        self._target = target
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.drawImage(target, self._image)


class SampleGridView(QWidget):
    """Newest sample grid, a slider over every grid so far, and export buttons."""

    grid_shown = Signal(int)  # step of the grid on screen
    tile_clicked = Signal(object)  # np.ndarray: the clicked sample (audio grids only)
    exported = Signal(str)  # a GIF was written (its path)
    export_failed = Signal(str)
    sound_clicked = Signal(object, int)  # samples, rate: a vocoder view's original or resynth

    def __init__(self, parent: QWidget | None = None, keep: int = KEEP_GRIDS) -> None:
        super().__init__(parent)
        self.history = GridHistory(keep)
        self.source: str | None = None  # the run folder older grids are read back from
        self._cols: int | None = None
        self._kind: str | None = None
        self._shown: Grid | None = None
        self.jobs = JobRunner("sample history", self)
        self.jobs.done.connect(self._on_job_done)
        self.jobs.failed.connect(self._on_job_failed)
        self.canvas = GridCanvas()
        self.canvas.clicked.connect(self._on_canvas_click)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 0)
        self.slider.setEnabled(False)
        self.slider.valueChanged.connect(self._show_index)
        self.step_label = QLabel("no samples")
        self.png_button = QPushButton("Save PNG…")
        self.gif_button = QPushButton("Save GIF…")
        self.png_button.clicked.connect(self._ask_png)
        self.gif_button.clicked.connect(self._ask_gif)
        row = QHBoxLayout()
        row.addWidget(self.slider, 1)
        row.addWidget(self.step_label)
        row.addWidget(self.png_button)
        row.addWidget(self.gif_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(row)
        self._update_buttons()

    @property
    def steps(self) -> list[int]:
        return self.history.steps

    def set_source(self, run: str | None, cols: int | None = None, kind: str | None = None) -> None:
        """Where grids no longer in memory are read back from, and how they are tiled
        (``kind``: the run's output kind, see :mod:`ganstudio.qt.kinds`)."""
        self.source, self._cols, self._kind = run, cols, kind

    def clear(self) -> None:
        self.history.clear()
        self.jobs.cancel("show")
        self._shown = None
        self.slider.setRange(0, 0)
        self.slider.setEnabled(False)
        self.canvas.set_image(None)
        self.step_label.setText("no samples")
        self._update_buttons()

    def add_grid(
        self,
        step: int,
        images: np.ndarray,
        cols: int | None = None,
        keep_samples: bool = False,
        sounds: dict | None = None,
    ) -> None:
        """Tile and keep a new grid here (``cols`` per row); see :meth:`add_tiled`.

        ``keep_samples`` keeps the samples themselves so a click on a tile can hand that
        sample out (``tile_clicked``): used for audio, where a click plays the sound.
        ``sounds`` (a vocoder run's view: ``original``, ``resynth`` (k, n), ``sample_rate``)
        makes a click on a tile's left half emit its original and on its right half its
        resynthesis (``sound_clicked``).
        """
        self.add_tiled(make_grid(step, images, cols, keep_samples, sounds))

    def add_tiled(self, grid: Grid) -> None:
        """Keep a tiled grid; show it if the slider follows the newest grid."""
        follow = not self.steps or self.slider.value() == len(self.steps) - 1
        index, new = self.history.add(grid)
        if not new:  # e.g. the final grid re-sent on stop
            if self.slider.value() == index:
                self._show_index(index)
            return
        self.set_steps(self.steps, follow=follow)

    def add_batch(self, steps: list[int], grids: list[Grid]) -> None:
        """Make a run folder's ``steps`` known, with the newest of them tiled (``grids``);
        show the newest if the slider follows."""
        follow = not self.steps or self.slider.value() == len(self.steps) - 1
        for grid in grids:
            self.history.put(grid)
        self.set_steps(steps, follow)

    def set_steps(self, steps: list[int], follow: bool = True) -> None:
        """Make ``steps`` known; show the newest if ``follow``."""
        self.history.set_steps(steps)
        last = len(self.steps) - 1
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(0, last))
        if follow:
            self.slider.setValue(last)
        self.slider.blockSignals(False)
        self.slider.setEnabled(last > 0)
        if follow:
            self._show_index(last)
        self._update_buttons()

    @property
    def current_index(self) -> int:
        return self.slider.value() if self.steps else -1

    def tile(self, index: int) -> np.ndarray | None:
        """The tiled grid at ``index`` if it is in memory."""
        grid = self.history.get(index if index >= 0 else len(self.steps) + index)
        return None if grid is None else grid.tile

    def _show_index(self, i: int) -> None:
        if not 0 <= i < len(self.steps):
            return
        grid = self.history.get(i)
        if grid is None:  # no longer in memory: read it back off the GUI thread
            if not self.source:
                self.step_label.setText(f"step {self.steps[i]}: not kept (no run folder)")
                return
            self.step_label.setText(f"step {self.steps[i]}: loading…")
            args = (self.source, self.steps[i], self._cols, self._kind)
            self.jobs.submit("show", load_grid, *args)
            return
        self.jobs.cancel("show")
        self._shown = grid
        self.canvas.set_image(uint8_to_qimage(grid.tile))
        self.step_label.setText(f"step {grid.step} ({i + 1}/{len(self.steps)})")
        self.grid_shown.emit(grid.step)

    def _on_job_done(self, _token: int, lane: str, result: object) -> None:
        if lane == "show" and isinstance(result, Grid):
            self.history.put(result)
            if self.steps and self.steps[self.current_index] == result.step:
                self._show_index(self.current_index)
        elif lane == "gif":
            self.exported.emit(str(result))

    def _on_job_failed(self, _token: int, lane: str, message: str) -> None:
        if lane == "gif":
            self.export_failed.emit(message)
        else:
            self.step_label.setText(f"cannot read that grid: {message}")

    def tile_at(self, x: float, y: float, index: int | None = None) -> tuple[int, float] | None:
        """(tile number, horizontal position 0..1 within it) under image pixel (x, y) of
        grid ``index`` (default: shown), for grids whose samples are kept."""
        grid = self._shown if index is None else self.history.get(index)
        if grid is None or grid.samples is None:
            return None
        samples, cols = grid.samples, grid.cols
        h, w = samples.shape[1:3]
        col, row = int((x - 1) // (w + 1)), int((y - 1) // (h + 1))
        k = row * cols + col
        if not (0 <= col < cols and 0 <= k < len(samples)):
            return None
        return k, float(x - 1 - col * (w + 1)) / w

    def sample_at(self, x: float, y: float, index: int | None = None) -> np.ndarray | None:
        """The kept sample under image pixel (x, y) of grid ``index`` (default: shown)."""
        grid = self._shown if index is None else self.history.get(index)
        hit = self.tile_at(x, y, index)
        if grid is None or hit is None:
            return None
        return grid.samples[hit[0]].astype(np.float32)

    def _on_canvas_click(self, x: float, y: float) -> None:
        hit = self.tile_at(x, y)
        sounds = self._shown.sounds if self._shown is not None else None
        if hit is not None and sounds:
            key = "original" if hit[1] < 0.5 else "resynth"
            self.sound_clicked.emit(sounds[key][hit[0]], int(sounds["sample_rate"]))
            return
        sample = self.sample_at(x, y)
        if sample is not None:
            self.tile_clicked.emit(sample)

    def _update_buttons(self) -> None:
        self.png_button.setEnabled(bool(self.steps))
        self.gif_button.setEnabled(bool(self.steps))

    # -- export ----------------------------------------------------------------------
    def export_png(self, path: str | Path, index: int | None = None, scale: int = 4) -> Path:
        """Save the grid at ``index`` (default: the one shown) as a PNG."""
        if not self.steps:
            raise ValueError("there is no sample grid to save yet")
        grid = self._shown if index is None else self.history.get(index)
        if grid is None:
            raise ValueError("that sample grid is still being read; try again in a moment")
        return save_png(grid.tile.astype(np.float32) / 255.0, path, scale=scale)

    def export_gif(self, path: str | Path, fps: float = 8.0, scale: int = 2) -> int:
        """Write every grid so far as an animated GIF (a timelapse of training) on the
        worker; ``exported(path)`` or ``export_failed(message)`` follows."""
        if not self.steps:
            raise ValueError("there are no sample grids to animate yet")
        args = (str(path), list(self.steps), self.history.cached(), self.source, self._cols)
        return self.jobs.submit("gif", write_gif_job, *args, fps, scale)

    def shutdown(self) -> None:
        """Stop the history worker (bounded wait); the owner calls it before exit."""
        self.jobs.shutdown()

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)

    def _ask_png(self) -> None:
        step = self.steps[self.current_index] if self.steps else 0
        path, _ = QFileDialog.getSaveFileName(
            self, "Save sample grid", f"samples_step_{step}.png", "PNG images (*.png)"
        )
        if path:
            self.export_png(path)

    def _ask_gif(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save timelapse", "samples.gif", "GIF animations (*.gif)"
        )
        if path:
            self.export_gif(path)
