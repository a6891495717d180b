"""The live sample grid with a history slider and PNG / GIF export.

Every SampleGrid (or a run folder's saved grid) is tiled once into a uint8 image and
kept, so the slider can scrub through the whole run. The view paints that image with
nearest-neighbour scaling. While the slider sits at the newest grid it follows new
ones. GUI thread only.
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

from ganstudio.core.imaging import grid_shape, save_gif, save_png, tile_grid, to_uint8
from ganstudio.qt.common.images import uint8_to_qimage


def grid_to_uint8(images: np.ndarray, cols: int | None = None) -> np.ndarray:
    """Tile (n, h, w, c) float images in [0, 1] into one (H, W, 1|3) uint8 image."""
    images = np.asarray(images, dtype=np.float32)
    # (h, w, c) is a single, already tiled image
    tiled = images if images.ndim == 3 else tile_grid(images, cols=cols, pad=1, pad_value=0.5)
    if tiled.shape[-1] not in (1, 3):
        tiled = tiled[..., :1]
    return np.ascontiguousarray(to_uint8(tiled))


class GridCanvas(QWidget):
    """Paints one image scaled to fit, with nearest-neighbour sampling and square pixels."""

    clicked = Signal(float, float)  # a click, in the image's pixel coordinates

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image: QImage | None = None
        self._target = QRect()
        self.setMinimumSize(160, 160)

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
    sound_clicked = Signal(object, int)  # samples, rate: a vocoder view's original or resynth

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.steps: list[int] = []
        self.tiles: list[np.ndarray] = []
        self.raw: dict[int, tuple[np.ndarray, int]] = {}  # index -> (samples, cols), audio only
        self.sounds: dict[int, dict] = {}  # index -> a vocoder view's sounds (core.vocoder.live)
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

    def clear(self) -> None:
        self.steps.clear()
        self.tiles.clear()
        self.raw.clear()
        self.sounds.clear()
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
        """Keep a new grid (``cols`` per row, e.g. one per class); show it if following.

        ``keep_samples`` keeps the samples themselves so a click on a tile can hand that
        sample out (``tile_clicked``): used for audio, where a click plays the sound.
        ``sounds`` (a vocoder run's view: ``original``, ``resynth`` (k, n), ``sample_rate``)
        makes a click on a tile's left half emit its original and on its right half its
        resynthesis (``sound_clicked``).
        """
        tile = grid_to_uint8(images, cols)
        raw = None
        if (keep_samples or sounds) and np.ndim(images) == 4:
            raw = (np.asarray(images, np.float16), cols or grid_shape(len(images))[1])
        if self.steps and step in self.steps:  # e.g. the final grid re-sent on stop
            i = self.steps.index(step)
            self.tiles[i] = tile
            if raw is not None:
                self.raw[i] = raw
            if sounds:
                self.sounds[i] = sounds
            if self.slider.value() == i:
                self._show_index(i)
            return
        follow = not self.steps or self.slider.value() == len(self.steps) - 1
        self.steps.append(int(step))
        self.tiles.append(tile)
        if raw is not None:
            self.raw[len(self.tiles) - 1] = raw
        if sounds:
            self.sounds[len(self.tiles) - 1] = sounds
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(self.steps) - 1)
        self.slider.blockSignals(False)
        self.slider.setEnabled(len(self.steps) > 1)
        if follow:
            self.slider.setValue(len(self.steps) - 1)
            self._show_index(len(self.steps) - 1)
        self._update_buttons()

    @property
    def current_index(self) -> int:
        return self.slider.value() if self.steps else -1

    def _show_index(self, i: int) -> None:
        if not 0 <= i < len(self.tiles):
            return
        self.canvas.set_image(uint8_to_qimage(self.tiles[i]))
        self.step_label.setText(f"step {self.steps[i]} ({i + 1}/{len(self.steps)})")
        self.grid_shown.emit(self.steps[i])

    def tile_at(self, x: float, y: float, index: int | None = None) -> tuple[int, float] | None:
        """(tile number, horizontal position 0..1 within it) under image pixel (x, y) of
        grid ``index`` (default: shown), for grids whose samples are kept."""
        i = self.current_index if index is None else index
        if i not in self.raw:
            return None
        samples, cols = self.raw[i]
        h, w = samples.shape[1:3]
        col, row = int((x - 1) // (w + 1)), int((y - 1) // (h + 1))
        k = row * cols + col
        if not (0 <= col < cols and 0 <= k < len(samples)):
            return None
        return k, float(x - 1 - col * (w + 1)) / w

    def sample_at(self, x: float, y: float, index: int | None = None) -> np.ndarray | None:
        """The kept sample under image pixel (x, y) of grid ``index`` (default: shown)."""
        i = self.current_index if index is None else index
        hit = self.tile_at(x, y, i)
        return None if hit is None else self.raw[i][0][hit[0]].astype(np.float32)

    def _on_canvas_click(self, x: float, y: float) -> None:
        hit = self.tile_at(x, y)
        sounds = self.sounds.get(self.current_index)
        if hit is not None and sounds is not None:
            key = "original" if hit[1] < 0.5 else "resynth"
            self.sound_clicked.emit(sounds[key][hit[0]], int(sounds["sample_rate"]))
            return
        sample = self.sample_at(x, y)
        if sample is not None:
            self.tile_clicked.emit(sample)

    def _update_buttons(self) -> None:
        self.png_button.setEnabled(bool(self.steps))
        self.gif_button.setEnabled(len(self.steps) > 0)

    # -- export ----------------------------------------------------------------------
    def export_png(self, path: str | Path, index: int | None = None, scale: int = 4) -> Path:
        """Save the grid at ``index`` (default: the one shown) as a PNG."""
        if not self.steps:
            raise ValueError("there is no sample grid to save yet")
        i = self.current_index if index is None else index
        return save_png(self.tiles[i].astype(np.float32) / 255.0, path, scale=scale)

    def export_gif(self, path: str | Path, fps: float = 8.0, scale: int = 2) -> Path:
        """Save every grid so far as an animated GIF (a timelapse of training)."""
        if not self.steps:
            raise ValueError("there are no sample grids to animate yet")
        frames = [t.astype(np.float32) / 255.0 for t in self.tiles]
        return save_gif(frames, path, fps=fps, scale=scale)

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
