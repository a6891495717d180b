"""Keyframes, interpolation strip, animation and export buttons of the latent explorer.

Pure view plus the frames it shows: the explorer owns the keyframes' latents and
renders paths; this panel lists them, plays the rendered frames and asks for exports.
GUI thread only; the animation timer stops in :meth:`stop`.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ganstudio.core.latent.export import strip_image
from ganstudio.qt.common.images import ImageView


class KeyframePanel(QWidget):
    """Keyframe list, interpolation settings, strip + animation, export buttons."""

    add_requested = Signal()
    clear_requested = Signal()
    interpolate_requested = Signal()
    export_png_requested = Signal()
    export_gif_requested = Signal()
    export_folder_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.keyframe_list = QListWidget()
        self.keyframe_list.setMaximumHeight(90)
        self.add_button = QPushButton("Add current point as keyframe")
        self.clear_button = QPushButton("Clear keyframes")
        self.mode = QComboBox()
        self.mode.addItem("Linear", "linear")
        self.mode.addItem("Spherical", "spherical")
        self.frames = QSpinBox()
        self.frames.setRange(1, 120)
        self.frames.setValue(8)
        self.frames.setSuffix(" frames / segment")
        self.interpolate_button = QPushButton("Interpolate")
        self.strip = ImageView(min_size=48)
        self.strip.setMinimumHeight(48)
        self.animation = ImageView(min_size=96)
        self.png_button = QPushButton("Export PNG strip…")
        self.gif_button = QPushButton("Export GIF…")
        self.count = QSpinBox()
        self.count.setRange(1, 100000)
        self.count.setValue(64)
        self.count.setMaximumWidth(110)
        self.folder_button = QPushButton("Generate N images to folder…")
        self.status = QLabel("")

        grid = QGridLayout()
        grid.addWidget(self.add_button, 0, 0)
        grid.addWidget(self.clear_button, 0, 1)
        grid.addWidget(self.mode, 1, 0)
        grid.addWidget(self.frames, 1, 1)
        grid.addWidget(self.interpolate_button, 2, 0, 1, 2)
        exports = QHBoxLayout()
        exports.addWidget(self.png_button)
        exports.addWidget(self.gif_button)
        exports.addStretch(1)
        exports.addWidget(QLabel("N ="))
        exports.addWidget(self.count)
        exports.addWidget(self.folder_button)
        left = QVBoxLayout()
        left.addWidget(self.keyframe_list)
        left.addLayout(grid)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addWidget(self.animation, 1)
        outer = QVBoxLayout(self)
        outer.addLayout(body)
        outer.addWidget(self.strip)
        outer.addLayout(exports)
        outer.addWidget(self.status)

        self._frames: np.ndarray | None = None
        self._frame_index = 0
        self.timer = QTimer(self)
        self.timer.setInterval(100)
        self.timer.timeout.connect(self._next_frame)
        self.add_button.clicked.connect(self.add_requested)
        self.clear_button.clicked.connect(self.clear_requested)
        self.interpolate_button.clicked.connect(self.interpolate_requested)
        self.png_button.clicked.connect(self.export_png_requested)
        self.gif_button.clicked.connect(self.export_gif_requested)
        self.folder_button.clicked.connect(self.export_folder_requested)
        self._update_buttons()

    def set_keyframes(self, descriptions: list[str]) -> None:
        self.keyframe_list.clear()
        self.keyframe_list.addItems(descriptions)
        self._update_buttons()

    def set_frames(self, frames: np.ndarray | None) -> None:
        """Show rendered frames (n, h, w, c) as a strip and loop them as an animation."""
        self._frames = None if frames is None else np.asarray(frames, np.float32)
        self._frame_index = 0
        if self._frames is None or len(self._frames) == 0:
            self.timer.stop()
            self.strip.clear_image()
            self.animation.clear_image()
        else:
            self.strip.set_array(strip_image(self._frames))
            self.animation.set_array(self._frames[0])
            self.timer.start()
        self._update_buttons()

    def frames_shown(self) -> np.ndarray | None:
        return self._frames

    def mode_value(self) -> str:
        return self.mode.currentData()

    def stop(self) -> None:
        self.timer.stop()

    def _next_frame(self) -> None:
        if self._frames is None or len(self._frames) == 0:
            return
        self._frame_index = (self._frame_index + 1) % len(self._frames)
        self.animation.set_array(self._frames[self._frame_index])

    def _update_buttons(self) -> None:
        self.interpolate_button.setEnabled(self.keyframe_list.count() >= 2)
        has_frames = self._frames is not None and len(self._frames) > 0
        self.png_button.setEnabled(has_frames)
        self.gif_button.setEnabled(has_frames)
