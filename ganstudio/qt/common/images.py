"""Showing float images in [0, 1] in Qt widgets (GUI thread only)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from ganstudio.core.imaging import to_uint8


def uint8_to_qimage(arr: np.ndarray) -> QImage:
    """A deep-copied QImage of a uint8 (h, w), (h, w, 1) or (h, w, 3) image."""
    arr = np.asarray(arr, np.uint8)
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[..., 0]
    arr = np.ascontiguousarray(arr)
    h, w = arr.shape[:2]
    if arr.ndim == 2:
        fmt = QImage.Format.Format_Grayscale8
    elif arr.shape[2] == 3:
        fmt = QImage.Format.Format_RGB888
    else:
        raise ValueError(f"cannot show an image of shape {arr.shape}")
    return QImage(arr.data, w, h, arr.strides[0], fmt).copy()  # own the pixels


def array_to_qimage(image: np.ndarray) -> QImage:
    """A deep-copied QImage of a float (h, w), (h, w, 1) or (h, w, 3) image in [0, 1]."""
    return uint8_to_qimage(to_uint8(image))


class ImageView(QLabel):
    """A label that shows one float image scaled to fit, with crisp (nearest) pixels."""

    def __init__(self, min_size: int = 160, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(QSize(min_size, min_size))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setStyleSheet("background: #202020; color: #bbbbbb;")
        self._image: QImage | None = None
        self._array: np.ndarray | None = None

    def set_array(self, image: np.ndarray) -> None:
        """Show ``image`` (float, [0, 1]); keeps a reference for :meth:`array`."""
        self._array = np.asarray(image, np.float32)
        self._image = array_to_qimage(self._array)
        self._rescale()

    def array(self) -> np.ndarray | None:
        """The float image shown now (None before the first one)."""
        return self._array

    def clear_image(self, text: str = "") -> None:
        self._image = self._array = None
        self.clear()
        self.setText(text)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        if self._image is None:
            return
        size = self.contentsRect().size()
        pix = QPixmap.fromImage(self._image).scaled(
            size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation
        )
        self.setPixmap(pix)
